import { randomUUID } from 'node:crypto';
import { type DatabaseHandle, openDatabase, syncState } from '@exact-sync/db';
import {
  createTestDatabase,
  deleteRedisKeys,
  onboard,
  type Stack,
  startStack,
  storefrontKey,
  type TestDatabase,
  testRedisUrl,
  uniqueName,
  waitFor,
} from '@exact-sync/testkit';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const DIVISION = 100001;
/** Statuses Exact counts toward its 10-errors-an-hour block. */
const COUNTED = new Set([400, 401, 403, 404]);
const prefix = uniqueName('hostile');
let db: TestDatabase;
let handle: DatabaseHandle;
let stack: Stack;
let key: string;
let skus: string[];
let customer: string;
let notForSale: string | undefined;

interface OrderView {
  id: string;
  status: string;
  statusReason: string | null;
  rejection: { code: string; problems: { code: string; field: string | null; message: string }[] } | null;
}

interface Hostile {
  body: Record<string, unknown>;
  /** `code field` of every problem the order must be rejected with, in order. */
  expected: string[];
}

const place = async (body: unknown): Promise<OrderView> => {
  const res = await stack.call('POST', '/v1/orders', { token: key, body });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  return res.body as OrderView;
};

const view = async (id: string): Promise<OrderView> =>
  (await stack.call('GET', `/v1/orders/${id}`, { token: key })).body as OrderView;

/** 24 orders a careless or hostile storefront might send: made-up customers and SKUs, a few valid lines. */
function hostileOrders(): Hostile[] {
  const out: Hostile[] = [];
  for (let i = 0; i < 24; i++) {
    const kind = i % 3;
    const customerField = kind === 0 ? 'customer.exactId' : 'customer.code';
    const body = {
      reference: `HOSTILE-${i}`,
      customer:
        kind === 0 ? { exactId: randomUUID() } : kind === 1 ? { code: `NOBODY-${i}` } : { code: customer },
      lines: [
        { sku: `MADE-UP-${randomUUID().slice(0, 8)}`, quantity: '1' },
        { sku: skus[i % skus.length], quantity: '2' },
        { sku: i % 4 === 0 ? `O'Brien&#%/?${i}` : `NO-SUCH-${i}`, quantity: '1' },
        ...(notForSale && i % 6 === 5 ? [{ sku: notForSale, quantity: '1' }] : []),
      ],
    };
    const expected = [
      ...(kind === 2 ? [] : [`unknown_customer ${customerField}`]),
      'unknown_sku lines.0.sku',
      'unknown_sku lines.2.sku',
      ...(body.lines.length > 3 ? ['not_a_sales_item lines.3.sku'] : []),
    ];
    out.push({ body, expected });
  }
  return out;
}

beforeAll(async () => {
  db = await createTestDatabase('hostile_orders');
  handle = openDatabase(db.url, { max: 2 });
  // Exact's own limits: 60 calls a minute, 10 errors an hour per endpoint.
  stack = await startStack({
    databaseUrl: db.url,
    redisUrl: testRedisUrl(),
    redisPrefix: prefix,
    simEnv: { SIM_ITEMS: '300', SIM_ACCOUNTS: '50' },
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
  customer = String(accounts.find((a) => a.Blocked === false)?.Code).trim();
  const items = await stack.simControl.dataset(DIVISION, 'items');
  skus = items
    .filter((i) => i.IsSalesItem === true)
    .slice(0, 5)
    .map((i) => String(i.Code));
  notForSale = items.find((i) => i.IsSalesItem === false)?.Code as string | undefined;
  key = await storefrontKey(stack, id, 'b2b');
  await stack.simControl.resetStats();
});

afterAll(async () => {
  await stack?.stop();
  await deleteRedisKeys(prefix);
  await handle?.close();
  await db?.drop();
});

describe('hostile orders through one storefront key', () => {
  it('cost at most 2 of Exact’s errors, are all rejected with every problem, and never delay a valid order', async () => {
    const hostile = hostileOrders();
    const placed: OrderView[] = [];
    for (const order of hostile) placed.push(await place(order.body));

    const started = Date.now();
    const valid = await place({
      reference: 'VALID-AFTER',
      customer: { code: customer },
      lines: [{ sku: skus[0], quantity: '1', unitPrice: '12.5' }],
    });
    await waitFor(
      'the valid order submitted',
      async () => (await view(valid.id)).status === 'submitted',
      10_000,
      100,
    );
    const submittedAfterMs = Date.now() - started;

    await waitFor(
      'every hostile order rejected',
      async () => (await Promise.all(placed.map((o) => view(o.id)))).every((o) => o.status === 'rejected'),
      60_000,
    );
    for (const [i, order] of placed.entries()) {
      const { rejection, statusReason } = await view(order.id);
      const problems = rejection?.problems ?? [];
      expect(
        problems.map((p) => `${p.code} ${p.field}`),
        `order ${i}`,
      ).toEqual(hostile[i]?.expected);
      expect(rejection?.code).toBe(problems[0]?.code);
      expect(statusReason).toBe(problems.map((p) => p.message).join('; '));
    }

    const { calls } = await stack.simControl.stats(DIVISION);
    const errors = calls.filter((c) => COUNTED.has(c.status));
    const spent = errors.reduce((n, c) => n + c.count, 0);
    const lookups = calls
      .filter((c) => c.method === 'GET' && /^(logistics\/Items|crm\/Accounts)$/.test(c.endpoint))
      .reduce((n, c) => n + c.count, 0);
    const posts = calls.filter((c) => c.method === 'POST' && c.endpoint === 'salesorder/SalesOrders');
    console.info(
      `hostile orders: ${spent} Exact 4xx, ${lookups} lookups, valid order submitted after ${submittedAfterMs} ms`,
    );
    expect(spent, JSON.stringify(errors)).toBeLessThanOrEqual(2);
    expect(lookups).toBeLessThanOrEqual(20);
    expect(posts.reduce((n, c) => n + c.count, 0)).toBe(1);
    expect(submittedAfterMs).toBeLessThan(10_000);
  });
});
