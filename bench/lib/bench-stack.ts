import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
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
  /** Runs the apps' builds with node (`pnpm build` first), not their sources with tsx. */
  built?: boolean;
  /** Runs api and worker sources through tsx's CLI (node parent + app), as `pnpm dev` does. */
  tsxCli?: boolean;
}

const outDir = fileURLToPath(new URL(`../out/${process.pid}/`, import.meta.url));

/** Keeps what a process printed in bench/out/<pid>/ (ignored by git), to read after a run that missed a target. */
export function saveOutput(label: string, name: string, text: string): void {
  mkdirSync(outDir, { recursive: true });
  writeFileSync(`${outDir}${label}-${name}-${Date.now().toString(36)}.log`, text);
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
    built: options.built,
    tsxCli: options.tsxCli,
  };
  const stack = await startStack(stackOptions);
  cleanup.defer('stop simulator, api and workers', async () => {
    await stack.stop();
    saveOutput(options.label, 'api', stack.api.output());
    for (const [i, worker] of stack.workers.entries())
      saveOutput(options.label, `worker-${i}`, worker.output());
  });
  const handle = openDatabase(databaseUrl, { max: 2, applicationName: 'bench' });
  cleanup.defer('close the bench pool', () => handle.close());
  return { stack, handle, databaseUrl };
}
