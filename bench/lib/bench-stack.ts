import { type DatabaseHandle, openDatabase } from '@exact-sync/db';
import { deleteRedisKeys, type Stack, type StackOptions, startStack, uniqueName } from '@exact-sync/testkit';
import type { Cleanup } from './cleanup.ts';
import { benchDatabase, benchRedisUrl } from './services.ts';

export interface BenchStack {
  stack: Stack;
  /** A small pool on the stack's database, for reading progress. */
  handle: DatabaseHandle;
  databaseUrl: string;
}

export interface BenchStackOptions {
  label: string;
  simEnv: Record<string, string>;
  env?: Record<string, string>;
  workers?: number;
  /** Own Redis (e.g. `startOwnRedis().url`); default the shared one, under a unique prefix deleted afterwards. */
  redisUrl?: string;
  /** Postgres server to create the database on; default the shared local one. */
  postgresUrl?: string;
}

/**
 * Simulator, api and worker processes on a new database of their own, with a quiet log: the benchmark's figures
 * come from the simulator, Postgres and the api, not from log lines. Everything is stopped by the cleanup.
 */
export async function startBenchStack(cleanup: Cleanup, options: BenchStackOptions): Promise<BenchStack> {
  const databaseUrl = await benchDatabase(cleanup, options.label, options.postgresUrl);
  const redisUrl = options.redisUrl ?? benchRedisUrl();
  const redisPrefix = uniqueName(options.label).replace(/^t_/, 'bench_');
  if (options.redisUrl === undefined) {
    cleanup.defer('delete Redis keys', async () => {
      await deleteRedisKeys(redisPrefix, redisUrl);
      await deleteRedisKeys(`{${redisPrefix}}`, redisUrl);
    });
  }
  const stackOptions: StackOptions = {
    databaseUrl,
    redisUrl,
    redisPrefix,
    simEnv: options.simEnv,
    env: { LOG_LEVEL: 'warn', ...options.env },
    workers: options.workers ?? 1,
  };
  const stack = await startStack(stackOptions);
  cleanup.defer('stop simulator, api and workers', () => stack.stop());
  const handle = openDatabase(databaseUrl, { max: 2, applicationName: 'bench' });
  cleanup.defer('close the bench pool', () => handle.close());
  return { stack, handle, databaseUrl };
}
