import { execFile } from 'node:child_process';
import { chownSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '@exact-sync/testkit';
import { saveOutput } from './bench-stack.ts';
import type { Cleanup } from './cleanup.ts';

const run = promisify(execFile);
const BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';

export interface OwnPostgres {
  /** URL of the `postgres` database of this instance, to create databases on. */
  readonly url: string;
  /** `pg_ctl restart -m fast`: every connection is cut, as in a failover. */
  restart(): Promise<void>;
}

/**
 * A Postgres instance of the benchmark's own (initdb in a temporary directory, a free port, trust auth), so
 * restarting it never touches the shared server. Postgres refuses to run as root: then it runs as `postgres`.
 * Stopped and its directory removed by the cleanup.
 */
export async function startOwnPostgres(cleanup: Cleanup): Promise<OwnPostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-pg-'));
  cleanup.defer('remove the Postgres directory', () => rmSync(dir, { recursive: true, force: true }));
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    chownSync(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  const pg = (tool: string, args: string[]) =>
    asRoot
      ? run('runuser', ['-u', 'postgres', '--', `${BIN}/${tool}`, ...args])
      : run(`${BIN}/${tool}`, args);
  const data = join(dir, 'data');
  await pg('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync']);
  const port = await freePort();
  const ctl = (action: string, extra: string[] = []) =>
    pg('pg_ctl', [
      '-D',
      data,
      '-o',
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`,
      '-l',
      join(dir, 'log'),
      '-w',
      ...extra,
      action,
    ]);
  await ctl('start');
  cleanup.defer('stop the own Postgres', async () => {
    await ctl('stop', ['-m', 'immediate']);
    saveOutput('postgres', 'log', readFileSync(join(dir, 'log'), 'utf8'));
  });
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    restart: async () => {
      await ctl('restart', ['-m', 'fast']);
    },
  };
}
