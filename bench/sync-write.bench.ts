/**
 * The sync write path on its own (issue #19): the worker's run of one entity (`runEntitySync`), in this process,
 * against the simulator with a rate limit that never binds, one entity at a time, each in a full (initial) sync.
 * Prints per entity the page-to-commit time (from a page's arrival to the commit of its rows and cursor: what the
 * worker's `exs_sync_page_commit_seconds` measures), records/s page-to-commit, and records/s from the first call to
 * the last commit (the fetch included, the next page fetched while the current one is written; waits for the governor's pacing
 * left out).
 * `--quick`: 10k items (about 31k records over the four entities); else 100k.
 *
 *   pnpm bench sync-write [--quick]
 */
import { ENTITY_NAMES, type EntityName } from '@exact-sync/core';
import { connections, openDatabase } from '@exact-sync/db';
import {
  createExactClient,
  createGovernor,
  createUndiciTransport,
  RetryLaterError,
  systemClock,
} from '@exact-sync/exact';
import { deleteRedisKeys, simControl, startSimulator, uniqueName } from '@exact-sync/testkit';
import { Redis } from 'ioredis';
import { createLogger } from '../apps/worker/src/logger.ts';
import { runEntitySync } from '../apps/worker/src/sync/sync-entity.run.ts';
import type { SyncRunDeps } from '../apps/worker/src/sync/sync-run-deps.ts';
import { type Cleanup, runBench } from './lib/cleanup.ts';
import { num, printTable } from './lib/figures.ts';
import { benchDatabase, benchRedisUrl } from './lib/services.ts';

const quick = process.argv.includes('--quick');
const ITEMS = quick ? 10_000 : 100_000;
const DIVISION = 300001;

interface Figures {
  entity: EntityName;
  records: number;
  pages: number;
  commitSeconds: number;
  wallSeconds: number;
  /** Time the governor's pacing made the run wait: left out of the wall time. */
  waitedSeconds: number;
}

async function run(cleanup: Cleanup): Promise<boolean> {
  const sim = await startSimulator({
    SIM_DIVISIONS: String(DIVISION),
    SIM_ITEMS: String(ITEMS),
    SIM_ACCOUNTS: String(ITEMS / 10),
    SIM_MINUTE_LIMIT: '1000000',
    SIM_DAY_LIMIT: '1000000',
  });
  cleanup.defer('stop the simulator', () => sim.stop());
  const databaseUrl = await benchDatabase(cleanup, 'sync_write');
  // The worker's own pool size.
  const handle = openDatabase(databaseUrl, { max: 10, applicationName: 'bench' });
  cleanup.defer('close the pool', () => handle.close());
  const redis = new Redis(benchRedisUrl(), { maxRetriesPerRequest: null });
  const prefix = uniqueName('sync_write').replace(/^t_/, 'bench_');
  cleanup.defer('delete Redis keys and close Redis', async () => {
    await deleteRedisKeys(prefix, benchRedisUrl());
    redis.disconnect();
  });

  const governor = createGovernor(
    { redis, clock: systemClock, keyPrefix: prefix },
    { syncReservePerMinute: 10, syncReservePerDay: 300 },
  );
  const { access_token } = await simControl(sim.url).token(DIVISION);
  const exact = createExactClient(
    {
      governor,
      clock: systemClock,
      transport: createUndiciTransport(),
      tokens: { accessToken: async () => access_token, refreshAfterUnauthorized: async () => access_token },
    },
    { baseUrl: sim.url, division: DIVISION },
  );
  const [row] = await handle.db
    .insert(connections)
    .values({ name: 'Bench shop', exactBaseUrl: sim.url, division: DIVISION, status: 'active' })
    .returning({ id: connections.id });
  if (!row) throw new Error('no connection');

  const figures: Figures[] = [];
  const log = createLogger('warn');
  const deps = (f: Figures): SyncRunDeps => ({
    db: handle.db,
    log,
    clock: systemClock,
    errorRetryMs: 3_600_000,
    events: {
      held: () => {},
      fieldDropped: () => {},
      staleResync: () => {},
      strategySwitched: () => {},
      pageCommitted(_entity, records, seconds) {
        f.records += records;
        f.pages += 1;
        f.commitSeconds += seconds;
      },
    },
  });
  let ok = true;
  for (const entity of ENTITY_NAMES) {
    const f: Figures = { entity, records: 0, pages: 0, commitSeconds: 0, wallSeconds: 0, waitedSeconds: 0 };
    const started = performance.now();
    let waited = 0;
    let result: Awaited<ReturnType<typeof runEntitySync>> | undefined;
    while (!result) {
      try {
        result = await runEntitySync(deps(f), exact, { connectionId: row.id, entity });
      } catch (error) {
        // The governor paces the lane (as the worker does, by putting the job back): wait and go on.
        if (!(error instanceof RetryLaterError)) throw error;
        const ms = Math.max(0, error.until - Date.now());
        waited += ms;
        await new Promise((r) => setTimeout(r, ms));
      }
    }
    f.waitedSeconds = waited / 1000;
    f.wallSeconds = (performance.now() - started) / 1000 - f.waitedSeconds;
    ok &&= result.outcome === 'done' && result.completedFull;
    figures.push(f);
  }

  console.log(
    `sync write path: one full sync per entity, ${num(ITEMS)} items, in this process, one at a time`,
  );
  const total = figures.reduce(
    (a, f) => ({
      records: a.records + f.records,
      commit: a.commit + f.commitSeconds,
      wall: a.wall + f.wallSeconds,
    }),
    { records: 0, commit: 0, wall: 0 },
  );
  printTable(
    [
      'entity',
      'records',
      'pages',
      'page→commit ms/page',
      'records/s page→commit',
      'records/s first call→last commit',
    ],
    [
      ...figures.map((f) => [
        f.entity,
        num(f.records),
        f.pages,
        ((1000 * f.commitSeconds) / Math.max(1, f.pages)).toFixed(1),
        num(f.records / Math.max(1e-9, f.commitSeconds)),
        num(f.records / Math.max(1e-9, f.wallSeconds)),
      ]),
      ['all', num(total.records), '', '', num(total.records / total.commit), num(total.records / total.wall)],
    ],
  );
  return ok;
}

await runBench(run);
