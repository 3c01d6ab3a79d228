import { ENTITY_NAMES, type JobName, type JobPayload } from '@exact-sync/core';
import { items, syncState, updateConnection } from '@exact-sync/db';
import type { TokenManager } from '@exact-sync/exact';
import { bullPrefix, enqueue, workerRedis } from '@exact-sync/queues';
import {
  createTestDatabase,
  deleteRedisKeys,
  type RunningProcess,
  type SimControl,
  simControl,
  startSimulator,
  type TestDatabase,
  testRedisUrl,
  uniqueName,
  waitFor,
} from '@exact-sync/testkit';
import type { Worker } from 'bullmq';
import { eq } from 'drizzle-orm';
import type { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { startConsumers } from '../src/consumers.ts';
import { createHandlers } from '../src/jobs/handlers.ts';
import { createServices, type WorkerServices } from '../src/services.ts';
import { insertConnection } from './sync-helpers.ts';

// A connection paused for longer than Exact keeps deletions, resumed: the worker's own jobs on real Redis and
// Postgres against the simulator, the worker's clock and the simulator's moved two months ahead together.
const DIVISION = 100001;
const DAY = 86_400_000;
const STALE = 'deletions cursor older than Exact keeps deletions; full resync requested';
const prefix = uniqueName('retention');
let db: TestDatabase;
let proc: RunningProcess & { url: string };
let sim: SimControl;
let services: WorkerServices;
let consumerRedis: Redis;
let workers: Worker[];
const logLines: string[] = [];
const clock = { offset: 0, now: () => Date.now() + clock.offset };

/** Enqueues a job and waits until it has run to the end. */
async function run<K extends JobName>(name: K, payload: JobPayload<K>): Promise<void> {
  const id = await enqueue(services.queues, name, payload);
  await new Promise<void>((resolve, reject) => {
    for (const worker of workers) {
      worker.on('completed', (job) => job.id === id && resolve());
      worker.on('failed', (job, error) => job?.id === id && reject(error));
    }
  });
}

/** Waits until the runs the finished initial syncs enqueued (a deletions round) have run too. */
async function idle(): Promise<void> {
  await waitFor('an idle sync queue', async () => {
    const counts = await services.queues.sync.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
    return Object.values(counts).every((n) => n === 0);
  });
}

const states = async (connectionId: string) =>
  services.database.db.select().from(syncState).where(eq(syncState.connectionId, connectionId));
const staleResyncs = async () =>
  (await services.metrics.registry.getSingleMetric('exs_deletion_stale_resyncs_total')?.get())?.values.reduce(
    (n, v) => n + v.value,
    0,
  ) ?? 0;

beforeAll(async () => {
  db = await createTestDatabase('retention');
  proc = await startSimulator({ SIM_ITEMS: '200', SIM_ACCOUNTS: '20', SIM_MINUTE_LIMIT: '1000' });
  sim = simControl(proc.url);
  const config = loadConfig({
    DATABASE_URL: db.url,
    REDIS_URL: testRedisUrl(),
    EXACT_CLIENT_ID: 'exact-sim-client',
    EXACT_CLIENT_SECRET: 'exact-sim-secret',
    TOKEN_ENCRYPTION_KEY: 'ab'.repeat(32),
    ADMIN_TOKEN: 'admin-token-of-this-test',
    REDIS_PREFIX: prefix,
  });
  const log = pino({ level: 'info' }, { write: (line: string) => logLines.push(line) });
  // Tokens straight from the simulator: two months on, any token issued before has long expired.
  const tokens: TokenManager = {
    providerFor: () => ({
      accessToken: async () => (await sim.token(DIVISION)).access_token,
      refreshAfterUnauthorized: async () => (await sim.token(DIVISION)).access_token,
    }),
    completeAuthorization: () => Promise.reject(new Error('not used')),
    refreshIdle: () => Promise.reject(new Error('not used')),
  };
  services = { ...createServices(config, log, clock), tokens };
  consumerRedis = workerRedis(testRedisUrl());
  workers = startConsumers({
    connection: consumerRedis,
    redisPrefix: prefix,
    handlers: createHandlers(services),
    log,
  });
});

afterAll(async () => {
  await Promise.all(workers?.map((w) => w.close()) ?? []);
  consumerRedis?.disconnect();
  await services?.close();
  await deleteRedisKeys(bullPrefix(prefix));
  await deleteRedisKeys(prefix);
  await proc?.stop();
  await db?.drop();
});

describe('a connection paused longer than Exact keeps deletions', () => {
  it('is re-read in full with tombstones once when it resumes, and not a second time', async () => {
    const { db: pg } = services.database;
    const connectionId = await insertConnection(services.database, proc.url, DIVISION);
    for (const entity of ENTITY_NAMES) await run('sync.entity', { connectionId, entity });
    await run('sync.deleted', { connectionId });
    await idle();
    // A record deleted while paused whose deletion Exact no longer lists: only a full resync finds it gone.
    const ghost = crypto.randomUUID();
    await pg.insert(items).values({ connectionId, exactId: ghost, timestamp: 1n, code: 'GHOST' });

    await updateConnection(pg, connectionId, { paused: true });
    clock.offset += 60 * DAY;
    await sim.advance(60 * DAY);
    await run('sync.deleted', { connectionId });
    expect((await states(connectionId)).find((s) => s.entity === 'deleted')?.staleResyncAt).toBeNull();

    // Resuming enqueues a deletions round, as the api does.
    await updateConnection(pg, connectionId, { paused: false });
    await run('sync.deleted', { connectionId });
    const chain = (await states(connectionId)).find((s) => s.entity === 'deleted');
    expect(chain?.staleResyncAt?.getTime()).toBeGreaterThan(Date.now() + 59 * DAY);
    expect(chain?.staleResyncReason).toMatch(/60 days ago, beyond the 55-day retention/);
    // The round enqueued the full resyncs: every entity re-read, the ghost tombstoned.
    await waitFor('the full resyncs', async () => {
      const all = await states(connectionId);
      return ENTITY_NAMES.every((e) => all.some((s) => s.entity === e && s.fullResyncRequested === 0));
    }).catch((error: Error) => {
      throw new Error(`${error.message}\n${logLines.slice(-8).join('')}`);
    });
    await waitFor('the ghost tombstoned', async () => {
      const [row] = await pg.select().from(items).where(eq(items.exactId, ghost));
      return row?.deletedAt !== null;
    });
    expect(await staleResyncs()).toBe(1);

    await run('sync.deleted', { connectionId });
    clock.offset += 10 * DAY;
    await run('sync.deleted', { connectionId });
    const again = (await states(connectionId)).find((s) => s.entity === 'deleted');
    expect(again?.staleResyncAt).toEqual(chain?.staleResyncAt);
    expect(await staleResyncs()).toBe(1);
    expect(logLines.filter((l) => l.includes(STALE))).toHaveLength(1);
  });
});
