import { ENTITY_NAMES } from '@exact-sync/core';
import { type DatabaseHandle, openDatabase, syncState, webhookSubscriptions } from '@exact-sync/db';
import {
  createTestDatabase,
  type OwnRedis,
  onboard,
  type Stack,
  startOwnRedis,
  startStack,
  type TestDatabase,
  uniqueName,
  waitFor,
} from '@exact-sync/testkit';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectEquality } from './sync-helpers.ts';

let db: TestDatabase;
let handle: DatabaseHandle;
let redis: OwnRedis;
let stack: Stack;
let firstConnection = '';

async function equal(connectionId: string, division: number): Promise<boolean> {
  const all = await expectEquality(handle, stack.simControl, connectionId, division);
  return ENTITY_NAMES.every((e) => {
    const { local, remote } = all[e];
    return local.size === remote.size && [...remote].every(([id, ts]) => local.get(id) === ts);
  });
}

async function initialDone(connectionId: string): Promise<boolean> {
  const states = await handle.db.select().from(syncState).where(eq(syncState.connectionId, connectionId));
  return ENTITY_NAMES.every((e) => states.some((s) => s.entity === e && s.phase === 'incremental'));
}

beforeAll(async () => {
  db = await createTestDatabase('sync_lane');
  handle = openDatabase(db.url, { max: 2 });
  redis = await startOwnRedis();
  stack = await startStack({
    databaseUrl: db.url,
    redisUrl: redis.url,
    redisPrefix: uniqueName('lane'),
    simEnv: { SIM_ITEMS: '4000', SIM_ACCOUNTS: '400', SIM_MINUTE_LIMIT: '600', SIM_DAY_LIMIT: '100000' },
  });
});

afterAll(async () => {
  await stack?.stop();
  await redis?.stop();
  await handle?.close();
  await db?.drop();
});

describe('the sync lane through real processes', () => {
  it('onboards over HTTP, syncs everything, and keeps up with changes including deletions', async () => {
    const id = await onboard(stack, { division: 100001 });
    firstConnection = id;
    await waitFor('initial sync', () => initialDone(id), 90_000);
    await waitFor('equality after the initial sync', () => equal(id, 100001), 30_000);

    for (const entity of ENTITY_NAMES) {
      await stack.simControl.mutate(100001, { entity, create: 3, update: 10, delete: 2 });
    }
    const sync = await stack.call('POST', `/v1/connections/${id}/sync`, { body: {} });
    expect(sync.status).toBe(202);
    await waitFor('equality after changes', () => equal(id, 100001), 60_000);

    // The status shows the interval the planner promised: never below SYNC_MIN_INTERVAL_MS (2 s in the stack).
    await waitFor('a planned interval in the status', async () => {
      const status = (await stack.call('GET', `/v1/connections/${id}/status`)).body as {
        entities: Record<string, { plannedIntervalSeconds: number | null }>;
      };
      return ENTITY_NAMES.every((e) => (status.entities[e]?.plannedIntervalSeconds ?? 0) >= 2);
    });

    // With PUBLIC_URL set, the division is subscribed to the topics of the synced entities, once each.
    await waitFor('webhook subscriptions', async () => {
      const rows = await handle.db
        .select()
        .from(webhookSubscriptions)
        .where(eq(webhookSubscriptions.connectionId, id));
      return rows.length === 3 && rows.every((r) => r.exactId !== null);
    });
  });

  it('ends with equality although the worker is SIGKILLed again and again during a full sync', async () => {
    const id = await onboard(stack, { division: 100002 });
    for (let round = 0; round < 4; round++) {
      await new Promise((r) => setTimeout(r, 400 + Math.random() * 600));
      const victim = stack.workers.shift();
      await victim?.kill();
      await stack.startWorker();
    }
    await waitFor('equality after kills', () => equal(id, 100002), 120_000);
  });

  it('ends with equality after its Redis is flushed in the middle of a sync', async () => {
    const id = firstConnection;
    await stack.simControl.mutate(100001, { entity: 'items', update: 50, delete: 5 });
    const full = await stack.call('POST', `/v1/connections/${id}/sync`, { body: { full: true } });
    expect(full.status).toBe(202);
    await new Promise((r) => setTimeout(r, 300));
    await redis.flush();
    await waitFor(
      'full resync finished',
      async () => {
        const states = await handle.db.select().from(syncState).where(eq(syncState.connectionId, id));
        return states
          .filter((s) => s.entity !== 'deleted')
          .every((s) => s.fullResyncRequested === 0 && s.nextUrl === null);
      },
      90_000,
    );
    await waitFor('equality after the flush', () => equal(id, 100001), 30_000);
  });
});
