import { type DatabaseHandle, openDatabase, syncState } from '@exact-sync/db';
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

const DIVISION = 100001;
let db: TestDatabase;
let handle: DatabaseHandle;
let redis: OwnRedis;
let stack: Stack;
let keys: { b2b: string; b2c: string };
let skus: string[];
let customer: string;

interface OrderView {
  id: string;
  status: string;
  reference: string;
  channel: string;
  exactOrderNumber: number | null;
}

async function place(channel: 'b2b' | 'b2c', reference: string): Promise<OrderView> {
  const res = await stack.call('POST', '/v1/orders', {
    token: keys[channel],
    body: {
      reference,
      customer: channel === 'b2b' ? { code: customer } : { name: 'Ann Smith', email: 'ann@example.com' },
      lines: [
        { sku: skus[0], quantity: '2', unitPrice: '10' },
        { sku: skus[1], quantity: '1' },
      ],
    },
  });
  expect(res.status).toBe(202);
  return res.body as OrderView;
}

async function allOrders(): Promise<OrderView[]> {
  const out: OrderView[] = [];
  let cursor: string | null = null;
  do {
    const query: string = cursor ? `?limit=1000&cursor=${cursor}` : '?limit=1000';
    const page = (await stack.call('GET', `/v1/orders${query}`)).body as {
      data: OrderView[];
      nextCursor: string | null;
    };
    out.push(...page.data);
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

/** Every order is submitted, Exact holds each YourRef exactly once, and the stored OrderNumber is Exact's. */
async function expectExactlyOnce(expected: number): Promise<void> {
  await waitFor(
    'every order submitted',
    async () => {
      const orders = await allOrders();
      return orders.length === expected && orders.every((o) => o.status === 'submitted');
    },
    90_000,
  ).catch(async (error: Error) => {
    const counts: Record<string, number> = {};
    for (const o of await allOrders()) counts[`${o.status}`] = (counts[o.status] ?? 0) + 1;
    const log = stack.workers.map((w) => w.output().slice(-2500)).join('\n---\n');
    throw new Error(`${error.message}; expected ${expected}, have ${JSON.stringify(counts)}\n${log}`);
  });
  const { data, postsByYourRef } = await stack.simControl.orders(DIVISION);
  const orders = await allOrders();
  for (const order of orders) {
    const yourRef = `${order.channel.toUpperCase()}-${order.reference}`;
    expect(postsByYourRef[yourRef], yourRef).toBe(1);
    expect(data.find((o) => o.YourRef === yourRef)?.OrderNumber).toBe(order.exactOrderNumber);
  }
}

beforeAll(async () => {
  db = await createTestDatabase('order_lane');
  handle = openDatabase(db.url, { max: 2 });
  redis = await startOwnRedis();
  stack = await startStack({
    databaseUrl: db.url,
    redisUrl: redis.url,
    redisPrefix: uniqueName('orders'),
    simEnv: { SIM_ITEMS: '300', SIM_ACCOUNTS: '50', SIM_MINUTE_LIMIT: '300', SIM_DAY_LIMIT: '100000' },
  });
  const id = await onboard(stack, { division: DIVISION });
  await waitFor(
    'initial sync',
    async () => {
      const states = await handle.db.select().from(syncState).where(eq(syncState.connectionId, id));
      // The catalogue an order is checked against: items, stock, prices and accounts.
      const catalogue = ['items', 'stock', 'prices', 'accounts'];
      return catalogue.every((e) => states.some((s) => s.entity === e && s.phase === 'incremental'));
    },
    60_000,
  );
  const accounts = await stack.simControl.dataset(DIVISION, 'accounts');
  customer = String(accounts[0]?.Code).trim();
  skus = (await stack.simControl.dataset(DIVISION, 'items')).slice(0, 2).map((i) => String(i.Code));
  const patched = await stack.call('PATCH', `/v1/connections/${id}`, {
    body: { channels: { b2c: { defaultAccountCode: String(accounts[1]?.Code).trim() } } },
  });
  expect(patched.status).toBe(200);
  keys = { b2b: await storefrontKey(stack, id, 'b2b'), b2c: await storefrontKey(stack, id, 'b2c') };
});

afterAll(async () => {
  await stack?.stop();
  await redis?.stop();
  await handle?.close();
  await db?.drop();
});

describe('the order lane through real processes', () => {
  it('submits every order exactly once while Exact answers 5xx, resets after applying posts, and lags', async () => {
    await stack.simControl.faults({
      serverErrorRate: 0.25,
      resetAfterPostRate: 0.25,
      latencyMs: 30,
      only: 'orders',
    });
    const placed: OrderView[] = [];
    for (let i = 0; i < 15; i++) {
      placed.push(await place('b2b', `F-${i}`));
      // The same reference on the other channel is another order.
      if (i % 3 === 0) placed.push(await place('b2c', `F-${i}`));
    }
    await expectExactlyOnce(placed.length);
    await stack.simControl.faults({ serverErrorRate: 0, resetAfterPostRate: 0, latencyMs: 0 });
  });

  it('loses no order and posts none twice when Redis is flushed with orders in flight', async () => {
    const before = (await allOrders()).length;
    const burst = await Promise.all(Array.from({ length: 20 }, (_, i) => place('b2b', `R-${i}`)));
    await redis.flush();
    expect(burst).toHaveLength(20);
    await expectExactlyOnce(before + 20);
  });
});
