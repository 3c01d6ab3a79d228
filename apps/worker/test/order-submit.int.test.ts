import { type Channel, yourRefFor } from '@exact-sync/core';
import { type DatabaseHandle, findOrder, insertOrder, openDatabase } from '@exact-sync/db';
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
import type { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { submitOrder } from '../src/orders/submit-order.ts';
import { runEntitySync } from '../src/sync/sync-entity.run.ts';
import { insertConnection, runDeps, simClient, testGovernor, withBudgetWaits } from './sync-helpers.ts';

const DIVISION = 100002;
const log = pino({ level: 'silent' });
let db: TestDatabase;
let handle: DatabaseHandle;
let proc: RunningProcess & { url: string };
let sim: SimControl;
let redis: Redis;
let exact: ExactClient;
let connectionId: string;
let skus: string[];
let customerCode: string;
const prefix = uniqueName('order_submit');

async function newOrder(reference: string, overrides: Partial<Parameters<typeof insertOrder>[1]> = {}) {
  const channel: Channel = overrides.channel ?? 'b2b';
  const { order } = await insertOrder(handle.db, {
    connectionId,
    channel,
    reference,
    yourRef: yourRefFor(channel, reference),
    payloadHash: reference,
    customer: { code: customerCode },
    lines: [
      { sku: skus[0] ?? '', quantity: '2', unitPrice: '9.5' },
      { sku: skus[1] ?? '', quantity: '1' },
    ],
    ...overrides,
  });
  return order;
}

const submit = (orderId: string, b2cAccountCode?: string) =>
  withBudgetWaits(() =>
    submitOrder(
      { database: handle, exact, log },
      { orderId, policy: { b2cAccountCode, lookupsPerKeyPerHour: 20, rejectionsPerKeyPerHour: 2 } },
    ),
  );

async function orderCalls(): Promise<number> {
  const stats = await sim.stats(DIVISION);
  return stats.calls.reduce((n, c) => n + c.count, 0);
}

beforeAll(async () => {
  db = await createTestDatabase('order_submit');
  handle = openDatabase(db.url, { max: 4 });
  proc = await startSimulator({ SIM_ITEMS: '200', SIM_ACCOUNTS: '50' });
  sim = simControl(proc.url);
  redis = workerRedis(testRedisUrl());
  exact = await simClient(sim, proc.url, DIVISION, testGovernor(redis, prefix));
  connectionId = await insertConnection(handle, proc.url, DIVISION);
  for (const entity of ['items', 'accounts'] as const) {
    await withBudgetWaits(() => runEntitySync(runDeps(handle), exact, { connectionId, entity }));
  }
  const remoteItems = await sim.dataset(DIVISION, 'items');
  skus = remoteItems.slice(0, 2).map((r) => String(r.Code));
  customerCode = String((await sim.dataset(DIVISION, 'accounts'))[0]?.Code).trim();
});

beforeEach(async () => {
  await sim.faults({ serverErrorRate: 0, resetAfterPostRate: 0, latencyMs: 0 });
  await sim.resetStats();
});

afterAll(async () => {
  await exact?.close();
  redis?.disconnect();
  await deleteRedisKeys(prefix);
  await proc?.stop();
  await handle?.close();
  await db?.drop();
});

describe('submitting orders to the simulator', () => {
  it('costs exactly one call when SKUs and customer are synced, and stores OrderID and OrderNumber', async () => {
    const order = await newOrder('ONE-CALL');
    const result = await submit(order.id);
    expect(result).toMatchObject({ outcome: 'submitted', posted: true });
    expect(await orderCalls()).toBe(1);
    const stored = await findOrder(handle.db, order.id);
    expect(stored?.status).toBe('submitted');
    expect(stored?.exactOrderNumber).toBeGreaterThan(0);
    const { data, postsByYourRef } = await sim.orders(DIVISION);
    expect(postsByYourRef['B2B-ONE-CALL']).toBe(1);
    const remote = data.find((o) => o.YourRef === 'B2B-ONE-CALL');
    expect(remote?.OrderNumber).toBe(stored?.exactOrderNumber);
    expect(remote?.lines).toHaveLength(2);
  });

  it('after a reset that swallowed the answer, finds the order by YourRef instead of posting again', async () => {
    const order = await newOrder('RESET-1');
    await sim.faults({ resetAfterPostRate: 1, only: 'orders' });
    await expect(submit(order.id)).rejects.toThrow();
    await sim.faults({ resetAfterPostRate: 0 });
    expect(await submit(order.id)).toMatchObject({ outcome: 'submitted', posted: false });
    expect((await sim.orders(DIVISION)).postsByYourRef['B2B-RESET-1']).toBe(1);
    expect((await findOrder(handle.db, order.id))?.status).toBe('submitted');
  });

  it('after a 5xx that did not apply the post, posts once when Exact is back', async () => {
    const order = await newOrder('FIVE-1');
    await sim.faults({ serverErrorRate: 1, only: 'orders' });
    await expect(submit(order.id)).rejects.toThrow();
    await sim.faults({ serverErrorRate: 0 });
    expect(await submit(order.id)).toMatchObject({ outcome: 'submitted', posted: true });
    expect((await sim.orders(DIVISION)).postsByYourRef['B2B-FIVE-1']).toBe(1);
  });

  it('looks up a SKU and a customer created in Exact after the last sync, without a single refused call', async () => {
    const { created: itemIds } = await sim.mutate(DIVISION, { entity: 'items', create: 1 });
    const { created: accountIds } = await sim.mutate(DIVISION, { entity: 'accounts', create: 1 });
    const item = (await sim.dataset(DIVISION, 'items')).find((r) => r.ID === itemIds[0]);
    const account = (await sim.dataset(DIVISION, 'accounts')).find((r) => r.ID === accountIds[0]);
    await sim.resetStats();
    const order = await newOrder('FRESH', {
      customer: { code: String(account?.Code).trim() },
      lines: [{ sku: String(item?.Code), quantity: '1' }],
    });
    expect(await submit(order.id)).toMatchObject({ outcome: 'submitted', posted: true });
    const calls = (await sim.stats(DIVISION)).calls;
    expect(calls.filter((c) => c.status >= 400)).toEqual([]);
    const [posted] = (await sim.orders(DIVISION)).data.filter((o) => o.YourRef === 'B2B-FRESH');
    expect(posted?.OrderedBy).toBe(account?.ID);
  });

  it('rejects unknown SKUs and customers with a clear reason and never posts them', async () => {
    const sku = await newOrder('BAD-SKU', { lines: [{ sku: 'NO-SUCH-SKU', quantity: '1' }] });
    expect(await submit(sku.id)).toMatchObject({ outcome: 'rejected', reason: 'unknown SKU NO-SUCH-SKU' });
    const customer = await newOrder('BAD-CUST', { customer: { code: 'NOBODY' } });
    expect(await submit(customer.id)).toMatchObject({
      outcome: 'rejected',
      reason: 'unknown customer code NOBODY',
      rejection: { code: 'unknown_customer' },
    });
    const stored = await findOrder(handle.db, sku.id);
    expect(stored).toMatchObject({
      status: 'rejected',
      statusReason: 'unknown SKU NO-SUCH-SKU',
      rejection: {
        code: 'unknown_sku',
        problems: [{ code: 'unknown_sku', field: 'lines.0.sku', message: 'unknown SKU NO-SUCH-SKU' }],
      },
    });
    expect((await sim.orders(DIVISION)).postsByYourRef['B2B-BAD-SKU']).toBeUndefined();
    expect((await sim.stats(DIVISION)).calls.filter((c) => c.status >= 400)).toEqual([]);
  });

  it('stores Exact’s message when Exact refuses the order, and does not retry it', async () => {
    // Deleted in Exact after the last sync: only Exact can tell.
    const gone = (await sim.dataset(DIVISION, 'items')).filter((i) => i.IsSalesItem === true)[5];
    await sim.mutate(DIVISION, { entity: 'items', deleteIds: [gone?.ID] });
    const order = await newOrder('EXACT-400', { lines: [{ sku: String(gone?.Code), quantity: '1' }] });
    const result = await submit(order.id);
    expect(result).toMatchObject({ outcome: 'rejected', rejection: { code: 'exact_rejected' } });
    const stored = await findOrder(handle.db, order.id);
    expect(stored?.statusReason).toContain('does not exist');
    expect(stored?.rejection?.problems).toEqual([
      { code: 'exact_rejected', field: null, message: stored?.statusReason },
    ]);
    expect(await submit(order.id)).toEqual({ outcome: 'nothing-to-do', status: 'rejected' });
  });

  it('books b2c consumers on the channel’s default account, apart from the b2b order with the same reference', async () => {
    const b2b = await newOrder('SAME-REF');
    const b2c = await newOrder('SAME-REF', {
      channel: 'b2c',
      customer: { name: 'Ann Smith', email: 'ann@example.com' },
    });
    await submit(b2b.id);
    await submit(b2c.id, customerCode);
    const { data } = await sim.orders(DIVISION);
    const refs = data.map((o) => o.YourRef);
    expect(refs).toContain('B2B-SAME-REF');
    expect(refs).toContain('B2C-SAME-REF');
    expect(String(data.find((o) => o.YourRef === 'B2C-SAME-REF')?.Description)).toContain('Ann Smith');
  });
});
