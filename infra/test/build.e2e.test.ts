import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, rmSync } from 'node:fs';
import {
  deleteRedisKeys,
  onboard,
  repoRoot,
  type Stack,
  startStack,
  testDatabaseUrl,
  testRedisUrl,
  uniqueName,
  waitFor,
} from '@exact-sync/testkit';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAll } from '../../scripts/bundle.ts';

// What the image and the start command run: `pnpm build`, then node on the files in dist/.
const database = uniqueName('built');
const prefix = uniqueName('built');
// A copy of the migration command's dist/ elsewhere in its package: it must find its migrations in its own folder.
const copy = `packages/db/${uniqueName('dist-copy')}`;
const databaseUrl = (() => {
  const url = new URL(testDatabaseUrl());
  url.pathname = `/${database}`;
  return url.toString();
})();
const admin = postgres(testDatabaseUrl(), { max: 1, onnotice: () => {} });
let stack: Stack | undefined;

// What `pnpm build` does (scripts/build.ts prints its figures around it).
beforeAll(() => buildAll());

afterAll(async () => {
  await stack?.stop();
  await deleteRedisKeys(prefix, testRedisUrl());
  await deleteRedisKeys(`{${prefix}}`, testRedisUrl());
  await admin.unsafe(`drop database if exists ${database} with (force)`);
  await admin.end();
  rmSync(`${repoRoot}${copy}`, { recursive: true, force: true });
});

describe('the build (pnpm build), run with node', () => {
  it('migrates a new database with the built migration command, from its own folder', async () => {
    await admin.unsafe(`create database ${database}`);
    cpSync(`${repoRoot}packages/db/dist`, `${repoRoot}${copy}/dist`, { recursive: true });
    const migrate = () =>
      spawnSync(process.execPath, ['--enable-source-maps', `${repoRoot}${copy}/dist/migrate.cli.js`], {
        env: { PATH: process.env.PATH, DATABASE_URL: databaseUrl },
        encoding: 'utf8',
      });
    const first = migrate();
    expect(first.stderr).toBe('');
    expect(first.stdout.trim()).toBe('migrations applied');
    expect(first.status).toBe(0);
    // Every migration of the journal is applied, and applying again changes nothing.
    expect(migrate().status).toBe(0);
    const journal = JSON.parse(readFileSync(`${repoRoot}packages/db/drizzle/meta/_journal.json`, 'utf8')) as {
      entries: unknown[];
    };
    const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
    try {
      const [applied] = await sql`select count(*)::int as n from drizzle.__drizzle_migrations`;
      expect(applied?.n).toBe(journal.entries.length);
      const [orders] = await sql`select to_regclass('public.orders') is not null as present`;
      expect(orders?.present).toBe(true);
    } finally {
      await sql.end();
    }
  });

  it('starts the built simulator, api and worker, which answer their health checks and sync a division', async () => {
    stack = await startStack({
      built: true,
      databaseUrl,
      redisUrl: testRedisUrl(),
      redisPrefix: prefix,
      simEnv: { SIM_ITEMS: '20', SIM_ACCOUNTS: '5' },
      env: { LOG_LEVEL: 'warn' },
    });
    for (const [proc, file] of [
      [stack.sim, 'apps/exact-sim/dist/main.js'],
      [stack.api, 'apps/api/dist/server.js'],
      [stack.workers[0], 'apps/worker/dist/main.js'],
    ] as const) {
      expect(proc?.child.spawnargs).toEqual([process.execPath, '--enable-source-maps', `${repoRoot}${file}`]);
    }
    const workerUrl = /worker listening on (\S+)/.exec(stack.workers[0]?.output() ?? '')?.[1];
    for (const url of [stack.apiUrl, workerUrl]) {
      const res = await fetch(`${url}/health/ready`);
      expect(res.status, url).toBe(200);
      expect(((await res.json()) as { status: string }).status).toBe('ok');
    }
    // OAuth through the api, then the worker's sync through the governor (its Lua scripts ship in dist/).
    const id = await onboard(stack);
    const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
    try {
      await waitFor(
        'the items synced',
        async () =>
          (await sql`select count(*)::int as n from items where connection_id = ${id}`)[0]?.n === 20,
        60_000,
      );
    } finally {
      await sql.end();
    }
  });
});
