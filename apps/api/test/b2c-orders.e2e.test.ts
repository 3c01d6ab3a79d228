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
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// A b2c key through api, worker and simulator: its orders always go on the channel's default account, and one that
// names another customer is refused at the door with a 422 that says so, reaching neither Postgres nor Exact.

const DIVISION = 100001;

interface OrderView {
  id: string;
  status: string;
  exactOrderId: string | null;
}

let db: TestDatabase;
let stack: Stack;
const prefix = uniqueName('b2c_orders');

beforeAll(async () => {
  db = await createTestDatabase('b2c_orders');
  stack = await startStack({
    databaseUrl: db.url,
    redisUrl: testRedisUrl(),
    redisPrefix: prefix,
    simEnv: { SIM_ITEMS: '20', SIM_ACCOUNTS: '10' },
  });
});

afterAll(async () => {
  await stack?.stop();
  await deleteRedisKeys(`{${prefix}}`);
  await db?.drop();
});

async function list<T>(path: string, token: string): Promise<T[]> {
  let rows: T[] = [];
  await waitFor(path, async () => {
    rows = ((await stack.call('GET', path, { token })).body as { data: T[] }).data;
    return rows.length > 0;
  });
  return rows;
}

describe('a b2c key placing orders', () => {
  it("books every order on the channel's default account, and answers 422 for another customer", async () => {
    const id = await onboard(stack, { division: DIVISION });
    const b2b = await storefrontKey(stack, id, 'b2b');
    const b2c = await storefrontKey(stack, id, 'b2c');
    const accounts = (
      await list<{ exactId: string; code: string; blocked: boolean | null }>('/v1/accounts?limit=50', b2b)
    ).filter((a) => a.blocked !== true);
    const [consumers, other] = accounts;
    const item = (await list<{ sku: string }>('/v1/items?limit=5', b2b))[0];
    if (!consumers || !other || !item) throw new Error('the simulator has too few accounts or items');
    const channels = { b2c: { defaultAccountCode: consumers.code } };
    expect((await stack.call('PATCH', `/v1/connections/${id}`, { body: { channels } })).status).toBe(200);
    const lines = [{ sku: item.sku, quantity: '1' }];
    const place = (reference: string, customer: Record<string, unknown>) =>
      stack.call('POST', '/v1/orders', { token: b2c, body: { reference, customer, lines } });

    for (const [reference, customer] of [
      ['B2C-OTHER-CODE', { code: other.code }],
      ['B2C-OTHER-ID', { exactId: other.exactId }],
    ] as const) {
      const refused = await place(reference, customer);
      expect(refused.status, reference).toBe(422);
      expect(refused.body).toMatchObject({
        error: {
          code: 'customer_not_allowed',
          message: expect.stringContaining("channel's default account"),
        },
      });
    }
    const none = (await stack.call('GET', '/v1/orders', { token: b2c })).body as { data: unknown[] };
    expect(none.data).toEqual([]);

    // The consumer's order, and one naming the default account itself, both go on that account in Exact.
    const placed = [
      await place('B2C-CONSUMER', { name: 'Ann Smith', email: 'ann@example.com' }),
      await place('B2C-DEFAULT', { code: consumers.code }),
    ];
    for (const res of placed) expect(res.status, JSON.stringify(res.body)).toBe(202);
    const exactIds: string[] = [];
    for (const res of placed) {
      await waitFor('the order in Exact', async () => {
        const order = (await stack.call('GET', `/v1/orders/${(res.body as OrderView).id}`, { token: b2c }))
          .body as OrderView;
        if (order.exactOrderId) exactIds.push(order.exactOrderId);
        return order.status === 'submitted';
      });
    }
    const inExact = (await stack.simControl.orders(DIVISION)).data.filter((o) =>
      exactIds.includes(String(o.OrderID)),
    );
    expect(inExact.map((o) => o.OrderedBy)).toEqual([consumers.exactId, consumers.exactId]);
  });
});
