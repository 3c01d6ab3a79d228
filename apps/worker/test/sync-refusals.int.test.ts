import { type DatabaseHandle, items, openDatabase, syncState } from '@exact-sync/db';
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
import { and, eq } from 'drizzle-orm';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runEntitySync } from '../src/sync/sync-entity.run.ts';
import { insertConnection, runDeps, simClient, testGovernor, withBudgetWaits } from './sync-helpers.ts';

// Exact changing under a running sync: a field removed from an endpoint, optional or essential. The simulator's
// control API removes it; its error budget counts the 400s exactly as Exact would.
const DIVISION = 100001;
const HOUR = 3_600_000;
const ITEMS = 'sync/Logistics/Items';
let db: TestDatabase;
let handle: DatabaseHandle;
let proc: RunningProcess & { url: string };
let sim: SimControl;
let redis: Redis;
let exact: ExactClient;
const prefix = uniqueName('sync_refusals');

/** A clock the test moves: the hour between retries passes in no time. */
const clock = { offset: 0, now: () => Date.now() + clock.offset };
const deps = () => runDeps(handle, { clock });

/** Answers of the simulator to the items sync endpoint, by status. */
async function itemCalls(): Promise<Record<number, number>> {
  const { calls } = await sim.stats(DIVISION);
  const out: Record<number, number> = {};
  for (const c of calls.filter((c) => c.endpoint === ITEMS)) out[c.status] = (out[c.status] ?? 0) + c.count;
  return out;
}

async function itemsState(connectionId: string) {
  const [row] = await handle.db
    .select()
    .from(syncState)
    .where(and(eq(syncState.connectionId, connectionId), eq(syncState.entity, 'items')));
  return row;
}

const runItems = (connectionId: string) =>
  withBudgetWaits(() => runEntitySync(deps(), exact, { connectionId, entity: 'items' }));

beforeAll(async () => {
  db = await createTestDatabase('sync_refusals');
  handle = openDatabase(db.url, { max: 4 });
  proc = await startSimulator({ SIM_ITEMS: '300', SIM_ACCOUNTS: '20', SIM_MINUTE_LIMIT: '1000' });
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

describe('Exact refusing a sync page for good', () => {
  it('drops an optional field Exact no longer has after one error, and the sync goes on without it', async () => {
    const connectionId = await insertConnection(handle, proc.url, DIVISION);
    await runItems(connectionId);
    await sim.dropField(ITEMS, 'Barcode');
    const { updated } = await sim.mutate(DIVISION, { entity: 'items', update: 5 });
    await sim.resetStats();

    const result = await runItems(connectionId);
    expect(result.outcome).toBe('done');
    expect(result.records).toBe(5);
    expect(await itemCalls()).toEqual({ 200: 1, 400: 1 });
    const state = await itemsState(connectionId);
    expect(state?.droppedFields).toEqual(['Barcode']);
    expect(state?.errorSince).toBeNull();
    const [changed] = await handle.db
      .select()
      .from(items)
      .where(and(eq(items.connectionId, connectionId), eq(items.exactId, String(updated[0]).toLowerCase())));
    expect(changed?.barcode).toBeNull();
    expect(changed?.code).not.toBe('');

    // Later runs leave the field out from the start: no second error.
    await sim.mutate(DIVISION, { entity: 'items', update: 2 });
    await runItems(connectionId);
    expect((await itemCalls())[400]).toBe(1);
  });

  it('puts the entity in error when an essential field goes, and calls Exact again once an hour at most', async () => {
    const connectionId = await insertConnection(handle, proc.url, DIVISION);
    await runItems(connectionId);
    await sim.dropField(ITEMS, 'Code');
    await sim.resetStats();

    const refusedAt = clock.now();
    expect((await runItems(connectionId)).outcome).toBe('error');
    let state = await itemsState(connectionId);
    expect(state?.lastError).toBe("Property 'Code' does not exist.");
    expect(state?.retryAt?.getTime()).toBeGreaterThanOrEqual(refusedAt + HOUR);
    expect(state?.retryAt?.getTime()).toBeLessThan(clock.now() + HOUR);
    const since = state?.errorSince;
    expect(since).not.toBeNull();
    expect(state?.droppedFields).toEqual([]);

    // Within the hour a run returns without a call.
    clock.offset += HOUR - 1_000;
    expect((await runItems(connectionId)).outcome).toBe('held');
    expect(await itemCalls()).toEqual({ 400: 1 });

    // After it, one retry; Exact still refuses, so one more error and another hour.
    clock.offset += 2_000;
    expect((await runItems(connectionId)).outcome).toBe('error');
    expect((await runItems(connectionId)).outcome).toBe('held');
    expect(await itemCalls()).toEqual({ 400: 2 });
    state = await itemsState(connectionId);
    expect(state?.errorSince).toEqual(since);

    // Exact has the field again: the next retry syncs and the error is gone.
    await sim.restoreFields();
    clock.offset += HOUR + 1_000;
    expect((await runItems(connectionId)).outcome).toBe('done');
    state = await itemsState(connectionId);
    expect([state?.errorSince, state?.retryAt, state?.lastError]).toEqual([null, null, null]);
    expect(await itemCalls()).toEqual({ 200: 1, 400: 2 });
  });
});
