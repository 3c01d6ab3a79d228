import { randomUUID } from 'node:crypto';
import { yourRefFor } from '@exact-sync/core';
import {
  apiKeys,
  type DatabaseHandle,
  exactLookups,
  findOrder,
  insertOrder,
  openDatabase,
  orders,
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
import { eq, inArray, sql } from 'drizzle-orm';
import type { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type SubmitPolicy, submitOrder } from '../src/orders/submit-order.ts';
import { runEntitySync } from '../src/sync/sync-entity.run.ts';
import { insertConnection, simClient, testGovernor, withBudgetWaits } from './sync-helpers.ts';

const DIVISION = 100002;
const POLICY: SubmitPolicy = {
  b2cAccountCode: undefined,
  lookupsPerKeyPerHour: 20,
  rejectionsPerKeyPerHour: 2,
};
const log = pino({ level: 'silent' });
const prefix = uniqueName('order_checks');
let db: TestDatabase;
let handle: DatabaseHandle;
let proc: RunningProcess & { url: string };
let sim: SimControl;
let redis: Redis;
let exact: ExactClient;
let connectionId: string;
let references = 0;
type SimRecord = Awaited<ReturnType<SimControl['dataset']>>[number];
let items: SimRecord[];
let accounts: SimRecord[];

const code = (record: SimRecord | undefined): string => String(record?.Code).trim();

async function newKey(): Promise<string> {
  const [row] = await handle.db
    .insert(apiKeys)
    .values({ connectionId, channel: 'b2b', keyHash: randomUUID(), keyPrefix: 'exs_test' })
    .returning({ id: apiKeys.id });
  if (!row) throw new Error('no key');
  return row.id;
}

async function newOrder(
  apiKeyId: string | null,
  customer: { code: string } | { exactId: string },
  skus: readonly string[],
) {
  const reference = `CHK-${++references}`;
  const { order } = await insertOrder(handle.db, {
    connectionId,
    channel: 'b2b',
    reference,
    apiKeyId,
    yourRef: yourRefFor('b2b', reference),
    payloadHash: reference,
    customer,
    lines: skus.map((sku) => ({ sku, quantity: '1' })),
  });
  return order;
}

/** Submits as the queue would: budget waits and busy answers are tried again a moment later. */
async function submit(orderId: string, policy: SubmitPolicy = POLICY) {
  for (;;) {
    const result = await withBudgetWaits(() =>
      submitOrder({ database: handle, exact, log }, { orderId, policy }),
    );
    if (result.outcome !== 'busy') return result;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Exact calls since the last reset, as `METHOD endpoint status` → count. */
async function exactCalls(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const c of (await sim.stats(DIVISION)).calls) {
    const key = `${c.method} ${c.endpoint} ${c.status}`;
    out[key] = (out[key] ?? 0) + c.count;
  }
  return out;
}

async function sync(): Promise<void> {
  for (const entity of ['items', 'accounts'] as const) {
    await withBudgetWaits(() => runEntitySync({ db: handle.db, log }, exact, { connectionId, entity }));
  }
}

beforeAll(async () => {
  db = await createTestDatabase('order_checks');
  handle = openDatabase(db.url, { max: 6 });
  proc = await startSimulator({ SIM_ITEMS: '100', SIM_ACCOUNTS: '30' });
  sim = simControl(proc.url);
  redis = workerRedis(testRedisUrl());
  exact = await simClient(sim, proc.url, DIVISION, testGovernor(redis, prefix));
  connectionId = await insertConnection(handle, proc.url, DIVISION);
  items = (await sim.dataset(DIVISION, 'items')).filter((i) => i.IsSalesItem === true);
  accounts = (await sim.dataset(DIVISION, 'accounts')).filter((a) => a.Blocked === false);
  // One blocked customer and one item that is not for sale, both synced.
  await sim.mutate(DIVISION, { entity: 'accounts', records: [{ ID: accounts[1]?.ID, Blocked: true }] });
  await sim.mutate(DIVISION, { entity: 'items', records: [{ ID: items[1]?.ID, IsSalesItem: false }] });
  await sync();
});

beforeEach(async () => {
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

describe('checking orders before anything is posted', () => {
  it('lists every problem, looks each unknown code up once, as filters that cost no error', async () => {
    const key = await newKey();
    const ghost = randomUUID();
    const first = await newOrder(key, { exactId: ghost }, ['GHOST-1', code(items[0]), "GHOST'2"]);
    expect(await submit(first.id)).toMatchObject({ outcome: 'rejected' });
    expect((await findOrder(handle.db, first.id))?.rejection).toEqual({
      code: 'unknown_customer',
      problems: [
        { code: 'unknown_customer', field: 'customer.exactId', message: `unknown customer ${ghost}` },
        { code: 'unknown_sku', field: 'lines.0.sku', message: 'unknown SKU GHOST-1' },
        { code: 'unknown_sku', field: 'lines.2.sku', message: "unknown SKU GHOST'2" },
      ],
    });
    expect(await exactCalls()).toEqual({ 'GET logistics/Items 200': 2, 'GET crm/Accounts 200': 1 });

    // The same unknown codes again, from another key even: the answers are remembered, Exact is not asked.
    await sim.resetStats();
    const again = await newOrder(await newKey(), { exactId: ghost }, ['GHOST-1']);
    expect(await submit(again.id)).toMatchObject({ rejection: { code: 'unknown_customer' } });
    expect(await exactCalls()).toEqual({});
    const remembered = await handle.db
      .select()
      .from(exactLookups)
      .where(eq(exactLookups.connectionId, connectionId));
    expect(remembered.filter((r) => r.exactId === null && r.answeredAt !== null)).toHaveLength(3);
  });

  it('finds a SKU created in Exact after the sync by one lookup, and uses the answer for later orders', async () => {
    const { created } = await sim.mutate(DIVISION, {
      entity: 'items',
      records: [{ Code: 'NEW-AFTER-SYNC', IsSalesItem: true }],
    });
    const customer = { code: code(accounts[0]) };
    const first = await newOrder(await newKey(), customer, ['NEW-AFTER-SYNC', code(items[0])]);
    expect(await submit(first.id)).toMatchObject({ outcome: 'submitted', posted: true });
    const second = await newOrder(await newKey(), customer, ['NEW-AFTER-SYNC']);
    expect(await submit(second.id)).toMatchObject({ outcome: 'submitted', posted: true });
    expect(await exactCalls()).toEqual({
      'GET logistics/Items 200': 1,
      'POST salesorder/SalesOrders 201': 2,
    });
    const posted = (await sim.orders(DIVISION)).data.find((o) => o.YourRef === second.yourRef);
    expect((posted?.lines as { Item: string }[] | undefined)?.[0]?.Item).toBe(created[0]);
  });

  it('rejects a blocked customer and an item not for sale without calling Exact, synced or looked up', async () => {
    const synced = await newOrder(await newKey(), { code: code(accounts[1]) }, [
      code(items[1]),
      code(items[0]),
    ]);
    expect(await submit(synced.id)).toMatchObject({
      outcome: 'rejected',
      rejection: {
        code: 'blocked_customer',
        problems: [
          { code: 'blocked_customer', field: 'customer.code' },
          { code: 'not_a_sales_item', field: 'lines.0.sku' },
        ],
      },
    });
    expect(await exactCalls()).toEqual({});

    await sim.mutate(DIVISION, { entity: 'accounts', records: [{ Code: 'BLOCKED-NEW', Blocked: true }] });
    await sim.mutate(DIVISION, { entity: 'items', records: [{ Code: 'NOT-FOR-SALE', IsSalesItem: false }] });
    const looked = await newOrder(await newKey(), { code: 'BLOCKED-NEW' }, ['NOT-FOR-SALE']);
    expect(await submit(looked.id)).toMatchObject({
      rejection: { problems: [{ code: 'blocked_customer' }, { code: 'not_a_sales_item' }] },
    });
    expect(await exactCalls()).toEqual({ 'GET logistics/Items 200': 1, 'GET crm/Accounts 200': 1 });
  });

  it('bounds the lookups one key may cause in an hour, and says so', async () => {
    const key = await newKey();
    const skus = ['LIM-1', 'LIM-2', 'LIM-3', 'LIM-4', 'LIM-5'];
    const order = await newOrder(key, { code: code(accounts[0]) }, skus);
    expect(await submit(order.id, { ...POLICY, lookupsPerKeyPerHour: 3 })).toMatchObject({
      outcome: 'rejected',
    });
    expect(await exactCalls()).toEqual({ 'GET logistics/Items 200': 3 });
    const problems = (await findOrder(handle.db, order.id))?.rejection?.problems ?? [];
    expect(problems.map((p) => p.code)).toEqual(Array(5).fill('unknown_sku'));
    expect(problems.slice(0, 3).map((p) => p.message)).toEqual([
      'unknown SKU LIM-1',
      'unknown SKU LIM-2',
      'unknown SKU LIM-3',
    ]);
    expect(problems[3]?.message).toMatch(/LIM-4.*3 lookups in Exact an hour are used up/);

    // The key's next order asks nothing new; a known code still works for it.
    await sim.resetStats();
    const next = await newOrder(key, { code: code(accounts[0]) }, ['LIM-6', code(items[0])]);
    expect(await submit(next.id, { ...POLICY, lookupsPerKeyPerHour: 3 })).toMatchObject({
      outcome: 'rejected',
    });
    expect(await exactCalls()).toEqual({});
  });

  it('lets one process ask about a code while another waits for its answer', async () => {
    const customer = { code: code(accounts[0]) };
    const racing = await Promise.all(
      Array.from({ length: 4 }, async () => newOrder(await newKey(), customer, ['RACE-SKU'])),
    );
    const results = await Promise.all(racing.map((o) => submit(o.id)));
    expect(results.map((r) => r.outcome)).toEqual(['rejected', 'rejected', 'rejected', 'rejected']);
    expect(await exactCalls()).toEqual({ 'GET logistics/Items 200': 1 });
  });
});

describe('a key whose orders Exact rejected', () => {
  /** A synced item deleted in Exact since: only Exact can tell, and refuses the order. */
  async function goneItem(i: number): Promise<string> {
    const item = items[10 + i];
    await sim.mutate(DIVISION, { entity: 'items', deleteIds: [item?.ID] });
    return code(item);
  }

  it('posts nothing more of the key once Exact rejected its limit, until the hour has room', async () => {
    const key = await newKey();
    const customer = { code: code(accounts[0]) };
    for (const i of [0, 1]) {
      const bad = await newOrder(key, customer, [await goneItem(i)]);
      expect(await submit(bad.id)).toMatchObject({ rejection: { code: 'exact_rejected' } });
    }
    const valid = await newOrder(key, customer, [code(items[0])]);
    const held = await submit(valid.id);
    expect(held).toMatchObject({ outcome: 'held', rejections: 2 });
    const hourFromNow = Date.now() + 3_600_000;
    expect(held.outcome === 'held' && Math.abs(held.until.getTime() - hourFromNow)).toBeLessThan(60_000);
    expect((await findOrder(handle.db, valid.id))?.status).toBe('accepted');
    // Another key is not held.
    const other = await newOrder(await newKey(), customer, [code(items[0])]);
    expect(await submit(other.id)).toMatchObject({ outcome: 'submitted' });
    expect(await exactCalls()).toEqual({
      'POST salesorder/SalesOrders 400': 2,
      'POST salesorder/SalesOrders 201': 1,
    });

    // An hour later the rejections have left the window.
    await handle.db
      .update(orders)
      .set({ rejectedAt: sql`${orders.rejectedAt} - interval '1 hour'` })
      .where(inArray(orders.apiKeyId, [key]));
    expect(await submit(valid.id)).toMatchObject({ outcome: 'submitted' });
  });

  it('lets the key post one order at a time, so parallel orders never exceed its limit', async () => {
    const key = await newKey();
    const customer = { code: code(accounts[0]) };
    const bad = await Promise.all([2, 3, 4].map(async (i) => newOrder(key, customer, [await goneItem(i)])));
    const results = await Promise.all(
      bad.map((o) => submit(o.id, { ...POLICY, rejectionsPerKeyPerHour: 1 })),
    );
    expect(results.map((r) => r.outcome).sort()).toEqual(['held', 'held', 'rejected']);
    expect(await exactCalls()).toEqual({ 'POST salesorder/SalesOrders 400': 1 });
  });
});
