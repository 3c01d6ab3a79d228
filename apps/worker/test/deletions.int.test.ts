import { ENTITY_NAMES, type EntityName } from '@exact-sync/core';
import {
  type DatabaseHandle,
  items,
  openDatabase,
  pendingDeletions,
  SYNC_TABLES,
  switchDeletionStrategy,
  syncState,
} from '@exact-sync/db';
import type { ExactClient } from '@exact-sync/exact';
import { workerRedis } from '@exact-sync/queues';
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
} from '@exact-sync/testkit';
import { and, eq, isNotNull } from 'drizzle-orm';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runDeletions } from '../src/sync/deletions.run.ts';
import { runEntitySync } from '../src/sync/sync-entity.run.ts';
import {
  expectEquality,
  insertConnection,
  runDeps,
  simClient,
  testGovernor,
  withBudgetWaits,
} from './sync-helpers.ts';

// Deletions per entity against the simulator: parked while an entity is not ready, two strategies with their own
// cursors, and a cursor older than Exact's memory. Runs are called directly; the worker's clock is the test's.
const DIVISION = 100001;
const DAY = 86_400_000;
let db: TestDatabase;
let handle: DatabaseHandle;
let proc: RunningProcess & { url: string };
let sim: SimControl;
let redis: Redis;
let exact: ExactClient;
const prefix = uniqueName('deletions');
const clock = { offset: 0, now: () => Date.now() + clock.offset };
const deps = () => runDeps(handle, { clock });

const syncEntity = (connectionId: string, entity: EntityName) =>
  withBudgetWaits(() => runEntitySync(deps(), exact, { connectionId, entity }));
const deletions = (connectionId: string) =>
  withBudgetWaits(() => runDeletions(deps(), exact, { connectionId }));

async function syncAll(connectionId: string) {
  for (const entity of ENTITY_NAMES) await syncEntity(connectionId, entity);
  return deletions(connectionId);
}

async function assertEqual(connectionId: string): Promise<void> {
  const all = await expectEquality(handle, sim, connectionId, DIVISION);
  for (const entity of ENTITY_NAMES) expect(all[entity].local, entity).toEqual(all[entity].remote);
}

/** exact id → tombstone time of every tombstoned row of the connection, for all entities. */
async function tombstones(connectionId: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const entity of ENTITY_NAMES) {
    const table = SYNC_TABLES[entity];
    const rows = await handle.db
      .select({ id: table.exactId, at: table.updatedAt })
      .from(table)
      .where(and(eq(table.connectionId, connectionId), isNotNull(table.deletedAt)));
    for (const r of rows) out.set(r.id, r.at.getTime());
  }
  return out;
}

const chainCursors = async (connectionId: string) =>
  Object.fromEntries(
    (await handle.db.select().from(syncState).where(eq(syncState.connectionId, connectionId)))
      .filter((s) => s.entity.startsWith('deleted'))
      .map((s) => [s.entity, s.cursor]),
  );

beforeAll(async () => {
  db = await createTestDatabase('deletions');
  handle = openDatabase(db.url, { max: 4 });
  proc = await startSimulator({ SIM_ITEMS: '400', SIM_ACCOUNTS: '60', SIM_MINUTE_LIMIT: '2000' });
  sim = simControl(proc.url);
  redis = workerRedis(testRedisUrl());
  exact = await simClient(sim, proc.url, DIVISION, testGovernor(redis, prefix));
});

afterEach(async () => {
  await sim.restoreFields();
});

afterAll(async () => {
  await exact?.close();
  redis?.disconnect();
  await deleteRedisKeys(prefix);
  await proc?.stop();
  await handle?.close();
  await db?.drop();
});

describe('deletions per entity', () => {
  it('parks the deletions of an entity in error, applies the others, and the parked ones once it recovers', async () => {
    const connectionId = await insertConnection(handle, proc.url, DIVISION);
    await syncAll(connectionId);
    await sim.dropField('sync/Logistics/Items', 'Code');
    expect((await syncEntity(connectionId, 'items')).outcome).toBe('error');

    const { deleted: gone } = await sim.mutate(DIVISION, { entity: 'items', delete: 4 });
    await sim.mutate(DIVISION, { entity: 'accounts', delete: 3 });
    const round = await deletions(connectionId);
    expect(round.parked).toBe(4);
    // The accounts are tombstoned, and the stock and prices of the deleted items with them.
    expect(round.applied).toBeGreaterThanOrEqual(3);
    const parked = await handle.db
      .select()
      .from(pendingDeletions)
      .where(eq(pendingDeletions.connectionId, connectionId));
    expect(parked.map((p) => p.exactId).sort()).toEqual(gone.map((id) => id.toLowerCase()).sort());

    await sim.restoreFields();
    clock.offset += 3_600_001;
    expect((await syncEntity(connectionId, 'items')).outcome).toBe('done');
    const tombstoned = await handle.db
      .select()
      .from(items)
      .where(and(eq(items.connectionId, connectionId), isNotNull(items.deletedAt)));
    expect(tombstoned.map((r) => r.exactId).sort()).toEqual(gone.map((id) => id.toLowerCase()).sort());
    expect(
      await handle.db.select().from(pendingDeletions).where(eq(pendingDeletions.connectionId, connectionId)),
    ).toEqual([]);
    await assertEqual(connectionId);
  });

  it('costs one call per entity and one per chain in an idle round, with either strategy', async () => {
    const connectionId = await insertConnection(handle, proc.url, DIVISION);
    await syncAll(connectionId);
    await sim.resetStats();
    await syncAll(connectionId);
    expect((await sim.stats(DIVISION)).total).toBe(ENTITY_NAMES.length + 1);

    expect(await switchDeletionStrategy(handle.db, connectionId, 'per_type', new Date(clock.now()))).toBe(
      true,
    );
    await sim.resetStats();
    const round = await syncAll(connectionId);
    expect(round.strategy).toBe('per_type');
    // One typed chain per synced entity.
    expect((await sim.stats(DIVISION)).total).toBe(2 * ENTITY_NAMES.length);
  });

  it('switches strategies without skipping a deletion or applying one twice', async () => {
    const connectionId = await insertConnection(handle, proc.url, DIVISION);
    await syncAll(connectionId);
    await sim.mutate(DIVISION, { entity: 'items', delete: 3 });
    await sim.foreignDeletions(DIVISION, 2_500);
    await sim.mutate(DIVISION, { entity: 'accounts', delete: 2 });
    // The deletions above are not read yet when the strategy changes: the typed chains start where the
    // unfiltered one stood, so they find them.
    const before = await chainCursors(connectionId);
    expect(await switchDeletionStrategy(handle.db, connectionId, 'per_type', new Date(clock.now()))).toBe(
      true,
    );
    const after = await chainCursors(connectionId);
    for (const chain of ['deleted_items', 'deleted_stock', 'deleted_prices', 'deleted_accounts']) {
      expect(after[chain], chain).toBe(before.deleted);
    }
    await sim.resetStats();
    const typed = await deletions(connectionId);
    expect(typed.strategy).toBe('per_type');
    // One typed chain per entity, none paging through the 2,500 foreign deletions, none read twice after a wait.
    const deletedCalls = (await sim.stats(DIVISION)).calls.filter((c) => c.endpoint === 'sync/Deleted');
    expect(deletedCalls.reduce((n, c) => n + c.count, 0)).toBe(ENTITY_NAMES.length);
    await assertEqual(connectionId);
    const seen = await tombstones(connectionId);

    // Back to one chain: it starts at the lowest typed cursor; what it reads again changes no tombstone.
    await handle.db
      .update(syncState)
      .set({ cursor: 1n })
      .where(and(eq(syncState.connectionId, connectionId), eq(syncState.entity, 'deleted_stock')));
    await sim.mutate(DIVISION, { entity: 'stock', delete: 2 });
    expect(await switchDeletionStrategy(handle.db, connectionId, 'all', new Date(clock.now()))).toBe(true);
    expect((await chainCursors(connectionId)).deleted).toBe(1n);
    const again = await deletions(connectionId);
    expect(again.strategy).toBe('all');
    await assertEqual(connectionId);
    const now = await tombstones(connectionId);
    for (const [id, at] of seen) expect(now.get(id), id).toBe(at);
    expect(now.size).toBe(seen.size + 2);
  });

  it('re-reads everything once when a deletions cursor is older than Exact keeps deletions', async () => {
    const connectionId = await insertConnection(handle, proc.url, DIVISION);
    await syncAll(connectionId);
    // A row whose deletion Exact has forgotten: only a full resync finds out it is gone.
    const ghost = crypto.randomUUID();
    await handle.db.insert(items).values({ connectionId, exactId: ghost, timestamp: 1n, code: 'GHOST' });

    clock.offset += 60 * DAY;
    const before = clock.now();
    const stale = await deletions(connectionId);
    expect(stale.staleResync.sort()).toEqual([...ENTITY_NAMES].sort());
    const states = await handle.db.select().from(syncState).where(eq(syncState.connectionId, connectionId));
    const chain = states.find((s) => s.entity === 'deleted');
    expect(chain?.staleResyncAt?.getTime()).toBeGreaterThanOrEqual(before);
    expect(chain?.staleResyncReason).toContain('60 days ago');
    expect(
      states
        .filter((s) => s.fullResyncRequested > 0)
        .map((s) => s.entity)
        .sort(),
    ).toEqual([...ENTITY_NAMES].sort());
    for (const entity of ENTITY_NAMES) await syncEntity(connectionId, entity);
    const [row] = await handle.db.select().from(items).where(eq(items.exactId, ghost));
    expect(row?.deletedAt).not.toBeNull();
    await assertEqual(connectionId);

    // Not a second time: the chain is fresh again, also a retention's worth of days later while it keeps running.
    clock.offset += DAY;
    expect((await deletions(connectionId)).staleResync).toEqual([]);
    clock.offset += 50 * DAY;
    expect((await deletions(connectionId)).staleResync).toEqual([]);
  });
});
