import { ENTITY_NAMES, WEBHOOK_TOPICS } from '@exact-sync/core';
import { type DatabaseHandle, openDatabase, syncState, webhookSubscriptions } from '@exact-sync/db';
import {
  createTestDatabase,
  type OwnRedis,
  onboard,
  type Stack,
  startOwnRedis,
  startStack,
  storefrontKey,
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
/** The entities the read API serves and the simulator changes at random. */
const CATALOGUE = ['items', 'stock', 'prices', 'accounts'] as const;
let secondConnection = '';

/** How often a worker asked for a full resync of the connection after a division event. */
function resyncRequests(connectionId: string): number {
  const lines = stack.workers.flatMap((w) => w.output().split('\n'));
  return lines.filter((l) => l.includes('full resync requested') && l.includes(connectionId)).length;
}

async function equal(connectionId: string, division: number): Promise<boolean> {
  const all = await expectEquality(handle, stack.simControl, connectionId, division);
  return ENTITY_NAMES.every((e) => {
    const { local, remote } = all[e];
    return local.size === remote.size && [...remote].every(([id, ts]) => local.get(id) === ts);
  });
}

/** Every row a storefront gets from the read API for an entity, page by page (tombstones with `since`). */
async function pullAll(
  key: string,
  entity: string,
  since?: string,
): Promise<{ exactId: string; deleted: boolean }[]> {
  const rows: { exactId: string; deleted: boolean }[] = [];
  let cursor: string | null = null;
  do {
    const query = new URLSearchParams({ limit: '1000' });
    // Everything Exact holds: items not for sale and ended prices too.
    if (entity === 'items') query.set('include', 'not_for_sale,ended');
    if (entity === 'prices') query.set('include', 'ended');
    if (since) query.set('updated_since', since);
    if (cursor) query.set('cursor', cursor);
    const res = await stack.call('GET', `/v1/${entity}?${query}`, { token: key });
    const body = res.body as { data: { exactId: string; deleted: boolean }[]; nextCursor: string | null };
    rows.push(...body.data);
    cursor = body.nextCursor;
  } while (cursor);
  return rows;
}

/** The read API serves exactly the simulator's live dataset: the same IDs, each once. */
async function readApiEqual(key: string, division: number): Promise<boolean> {
  for (const entity of CATALOGUE) {
    const served = (await pullAll(key, entity)).map((r) => r.exactId);
    const live = (await stack.simControl.dataset(division, entity)).map((r) => r.ID.toLowerCase());
    if (served.length !== live.length || new Set(served).size !== served.length) return false;
    const set = new Set(served);
    if (!live.every((id) => set.has(id))) return false;
  }
  return true;
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
    env: { DIVISION_CHECK_INTERVAL_MS: '1000' },
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
    const key = await storefrontKey(stack, id, 'b2b');
    await waitFor('the read API serving the live dataset', () => readApiEqual(key, 100001), 30_000);
    const beforeChanges = new Date().toISOString();
    const deleted: string[] = [];

    for (const entity of CATALOGUE) {
      const changed = await stack.simControl.mutate(100001, { entity, create: 3, update: 10, delete: 2 });
      if (entity === 'items') deleted.push(...changed.deleted.map((d) => d.toLowerCase()));
    }
    const sync = await stack.call('POST', `/v1/connections/${id}/sync`, { body: {} });
    expect(sync.status).toBe(202);
    await waitFor('equality after changes', () => equal(id, 100001), 60_000);
    await waitFor('the read API after changes', () => readApiEqual(key, 100001), 30_000);
    // A storefront pulling changes learns of the deletions: they come back as tombstones.
    expect(deleted.length).toBeGreaterThan(0);
    await waitFor(
      'tombstones in an updated_since pull',
      async () => {
        const pulled = await pullAll(key, 'items', beforeChanges);
        return deleted.every((d) => pulled.some((r) => r.exactId === d && r.deleted));
      },
      30_000,
    );

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
      return rows.length === WEBHOOK_TOPICS.length && rows.every((r) => r.exactId !== null);
    });
  });

  it('ends with equality although the worker is SIGKILLed again and again during a full sync', async () => {
    // current/Me must confirm the division: the simulator's user works in 100002 while it authorizes.
    await stack.simControl.config({ userDivision: 100002 });
    const id = await onboard(stack, { division: 100002 }).finally(() =>
      stack.simControl.config({ userDivision: 0 }),
    );
    secondConnection = id;
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

  it('re-reads everything after the division moves to another database and its Timestamps restart', async () => {
    const id = secondConnection;
    await stack.simControl.moveDivision(100002);
    await stack.simControl.mutate(100002, { entity: 'items', update: 5, delete: 3 });
    // Only a full resync brings the restarted (lower) Timestamps in: an increment asks for higher ones.
    await waitFor('equality after the move', () => equal(id, 100002), 100_000).catch((error: Error) => {
      const log = stack.workers
        .map((w) => w.output())
        .join('\n')
        .split('\n');
      const moves = log
        .filter((l) => /division|moved/.test(l))
        .slice(-10)
        .join('\n');
      throw new Error(`${error.message}\n${moves}`);
    });
  });

  it('re-reads everything once after the division is linked to Exact HR, as once after the move', async () => {
    const id = secondConnection;
    // The checks run every second: a few rounds since the move asked for no second resync.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(resyncRequests(id)).toBe(1);
    await stack.simControl.relinkDivisionHr(100002);
    await stack.simControl.mutate(100002, { entity: 'prices', update: 4, delete: 2 });
    await waitFor('equality after the HR link', () => equal(id, 100002), 100_000);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(resyncRequests(id)).toBe(2);
  });
});
