import { ENTITY_NAMES } from '@exact-sync/core';
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
import { signedBy, startReceiver } from './callback-receiver.ts';

// An order's life after Exact, through real processes: the simulator delivers part of an order, then the rest, then
// invoices it (and cancels another); the worker syncs Exact's sales order datasets and moves the orders through the
// state machine; a storefront's receiver that fails the first five posts still gets every change, in order, signed.
const DIVISION = 100001;
const LIFE = ['accepted', 'submitting', 'submitted', 'partly_delivered', 'delivered', 'invoiced'];
const CANCELLED = ['accepted', 'submitting', 'submitted', 'cancelled'];
let db: TestDatabase;
let handle: DatabaseHandle;
let redis: OwnRedis;
let stack: Stack;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let connectionId: string;
let key: string;
let secret: string;
let customer: string;
let skus: string[];

interface OrderDetail {
  id: string;
  status: string;
  exactOrderId: string | null;
  exactOrderNumber: number | null;
  deliveredAt: string | null;
  invoicedAt: string | null;
  updatedAt: string;
  exact: {
    orderNumber: number;
    amountInclVat: string;
    amountExclVat: string;
    invoiceStatus: number;
    lines: { itemCode: string; quantity: string; quantityDelivered: string; quantityInvoiced: string }[];
    deliveries: { id: string; lines: { itemCode: string; quantityDelivered: string }[] }[];
    invoices: { invoiceNumber: number; amountExclVat: string; vatAmount: string; lines: unknown[] }[];
  } | null;
}

const detail = async (id: string) =>
  (await stack.call('GET', `/v1/orders/${id}`, { token: key })).body as OrderDetail;

async function waitForStatus(id: string, status: string): Promise<OrderDetail> {
  let last: OrderDetail | undefined;
  await waitFor(
    `order ${status}`,
    async () => {
      last = await detail(id);
      return last.status === status;
    },
    60_000,
  ).catch((error: Error) => {
    throw new Error(
      `${error.message} (it is ${last?.status})\n${stack.workers.at(-1)?.output().slice(-3000)}`,
    );
  });
  return last as OrderDetail;
}

const deliveredOf = (orderId: string) =>
  receiver.received.filter((r) => r.body.orderId === orderId && r.answered < 300);

/** Every change arrived once delivered, in order, each after its predecessor was delivered, signed. */
function expectLife(orderId: string, life: readonly string[]): void {
  const firsts = life.map((s) => deliveredOf(orderId).find((r) => r.body.status === s));
  expect(
    firsts.map((r) => r?.body.status),
    'every change delivered',
  ).toEqual(life);
  expect(firsts.map((r) => r?.body.previousStatus ?? null)).toEqual([null, ...life.slice(0, -1)]);
  const posts = receiver.received.filter((r) => r.body.orderId === orderId);
  const done = new Set<string>();
  for (const post of posts) {
    const rank = life.indexOf(post.body.status);
    expect(
      life.slice(0, rank).every((s) => done.has(s)),
      `${post.body.status} before its predecessor`,
    ).toBe(true);
    if (post.answered < 300) done.add(post.body.status);
    expect(signedBy(post, [secret])).toEqual([0]);
  }
}

beforeAll(async () => {
  db = await createTestDatabase('order_life_e2e');
  handle = openDatabase(db.url, { max: 2 });
  redis = await startOwnRedis();
  receiver = await startReceiver((_post, index) => (index < 5 ? 503 : 200));
  stack = await startStack({
    databaseUrl: db.url,
    redisUrl: redis.url,
    redisPrefix: uniqueName('order_life'),
    simEnv: { SIM_ITEMS: '40', SIM_ACCOUNTS: '20', SIM_MINUTE_LIMIT: '600', SIM_DAY_LIMIT: '100000' },
    env: { CALLBACK_ALLOW_HTTP: 'true', CALLBACK_ALLOW_PRIVATE: 'true', CALLBACK_RETRY_BASE_MS: '20' },
  });
  connectionId = await onboard(stack, { division: DIVISION });
  await waitFor(
    'initial sync',
    async () => {
      const states = await handle.db.select().from(syncState).where(eq(syncState.connectionId, connectionId));
      return ENTITY_NAMES.every((e) => states.some((s) => s.entity === e && s.phase === 'incremental'));
    },
    60_000,
  );
  customer = String((await stack.simControl.dataset(DIVISION, 'accounts'))[0]?.Code).trim();
  const items = await stack.simControl.dataset(DIVISION, 'items');
  skus = items
    .filter((i) => i.IsSalesItem === true && !i.EndDate)
    .slice(0, 2)
    .map((i) => String(i.Code));
  key = await storefrontKey(stack, connectionId, 'b2b');
  const patched = await stack.call('PATCH', `/v1/connections/${connectionId}`, {
    body: { channels: { b2b: { callbackUrl: `${receiver.url}/hooks` } } },
  });
  secret = (patched.body as { callbackSecrets: { b2b: string } }).callbackSecrets.b2b;
});

afterAll(async () => {
  await stack?.stop();
  await receiver?.close();
  await redis?.stop();
  await handle?.close();
  await db?.drop();
});

async function place(reference: string): Promise<OrderDetail> {
  const res = await stack.call('POST', '/v1/orders', {
    token: key,
    body: { reference, customer: { code: customer }, lines: skus.map((sku) => ({ sku, quantity: '3' })) },
  });
  expect(res.status).toBe(202);
  return waitForStatus((res.body as { id: string }).id, 'submitted');
}

describe("an order's life after Exact", () => {
  it('is delivered in part, then in full, then invoiced: each change a state, a callback and a feed entry', async () => {
    const since = new Date().toISOString();
    const order = await place('LIFE-1');
    const exactId = String(order.exactOrderId);
    const lines = (await stack.simControl.dataset(DIVISION, 'orderLines')).filter(
      (l) => l.OrderID === exactId,
    );
    expect(lines).toHaveLength(2);

    await stack.simControl.deliverOrder(DIVISION, exactId, [{ lineId: String(lines[0]?.ID), quantity: 2 }]);
    await waitForStatus(order.id, 'partly_delivered');
    // The header may come in before the delivery's lines: the delivery shows once they are synced too.
    await waitFor(
      'the delivery on the order',
      async () => (await detail(order.id)).exact?.deliveries.length === 1,
    );

    await stack.simControl.deliverOrder(DIVISION, exactId);
    const delivered = await waitForStatus(order.id, 'delivered');
    expect(delivered.deliveredAt).not.toBeNull();

    const invoiced = await stack.simControl.invoiceOrder(DIVISION, exactId);
    await waitForStatus(order.id, 'invoiced');
    // The header, the invoice, the deliveries and the order lines come through their own datasets, each in its own
    // run: wait for all of them.
    await waitFor('the invoice and both deliveries on the order, and its lines invoiced', async () => {
      const exact = (await detail(order.id)).exact;
      return (
        exact?.invoices.length === 1 &&
        exact.deliveries.length === 2 &&
        exact.lines.every((l) => l.quantityInvoiced === l.quantity && l.quantityDelivered === l.quantity)
      );
    });
    const done = await detail(order.id);
    const header = (await stack.simControl.dataset(DIVISION, 'orderHeaders')).find(
      (h) => h.OrderID === exactId,
    );
    expect(done.exact).toMatchObject({ orderNumber: order.exactOrderNumber, invoiceStatus: 21 });
    // Amounts as decimal strings, as Exact booked them.
    expect([Number(done.exact?.amountInclVat), Number(done.exact?.amountExclVat)]).toEqual([
      header?.AmountDC,
      header?.AmountFCExclVat,
    ]);
    expect(done.exact?.lines.map((l) => [l.quantity, l.quantityDelivered, l.quantityInvoiced])).toEqual([
      ['3', '3', '3'],
      ['3', '3', '3'],
    ]);
    expect(done.exact?.deliveries).toHaveLength(2);
    const delivered6 = done.exact?.deliveries.flatMap((d) => d.lines).map((l) => Number(l.quantityDelivered));
    expect(delivered6?.reduce((n, q) => n + q, 0)).toBe(6);
    const records = invoiced.invoice.records;
    expect(done.exact?.invoices).toHaveLength(1);
    expect(done.exact?.invoices[0]?.lines).toHaveLength(records.length);
    expect(Number(done.exact?.invoices[0]?.amountExclVat)).toBeCloseTo(
      records.reduce((n, r) => n + Number(r.AmountDC), 0),
      6,
    );

    await waitFor(
      'every callback delivered',
      async () => deliveredOf(order.id).length >= LIFE.length,
      60_000,
    );
    expect(receiver.received.slice(0, 5).map((r) => r.answered)).toEqual([503, 503, 503, 503, 503]);
    expectLife(order.id, LIFE);

    // The order feed shows it as it is now, once the change has settled (FEED_SETTLE_MS).
    await waitFor('the order invoiced in the feed', async () => {
      const feed = await stack.call('GET', `/v1/orders?updated_since=${encodeURIComponent(since)}`, {
        token: key,
      });
      const listed = (feed.body as { data: { id: string; status: string }[] }).data.find(
        (o) => o.id === order.id,
      );
      return listed?.status === 'invoiced';
    });
  });

  it('is cancelled in Exact: the order ends cancelled, and the callback says so', async () => {
    const order = await place('LIFE-2');
    await stack.simControl.cancelOrder(DIVISION, String(order.exactOrderId));
    const cancelled = await waitForStatus(order.id, 'cancelled');
    expect(cancelled.exact?.orderNumber).toBe(order.exactOrderNumber);
    await waitFor(
      'every callback delivered',
      async () => deliveredOf(order.id).length >= CANCELLED.length,
      60_000,
    );
    expectLife(order.id, CANCELLED);
  });
});
