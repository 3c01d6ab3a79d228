import type { OrderRejectionDetail } from '@exact-sync/core';
import { orders, transitionOrder } from '@exact-sync/db';
import {
  createTestDatabase,
  deleteRedisKeys,
  type TestDatabase,
  testRedisUrl,
  uniqueName,
} from '@exact-sync/testkit';
import { eq, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, seedConnection, testConfig } from './helpers.ts';

let db: TestDatabase;
let api: FastifyInstance;
const prefix = uniqueName('order_limits');
const ADMIN = 'test-admin-token-0123456789';

const order = (reference: string) => ({
  reference,
  customer: { code: 'C0001' },
  lines: [{ sku: 'SKU-1', quantity: '1' }],
});

const post = (key: string, body: unknown) =>
  api.inject({
    method: 'POST',
    url: '/v1/orders',
    headers: { authorization: `Bearer ${key}` },
    payload: body as object,
  });

const byExact = (message: string): OrderRejectionDetail => ({
  code: 'exact_rejected',
  problems: [{ code: 'exact_rejected', field: null, message }],
});

/** Places an order and rejects it as the worker would, `minutesAgo` minutes ago. */
async function rejected(key: string, reference: string, rejection: OrderRejectionDetail, minutesAgo = 0) {
  const { id } = (await post(key, order(reference))).json<{ id: string }>();
  await transitionOrder(api.database.db, id, ['accepted'], 'rejected', {
    statusReason: rejection.problems.map((p) => p.message).join('; '),
    rejection,
  });
  await api.database.db
    .update(orders)
    .set({ rejectedAt: sql`now() - make_interval(mins => ${minutesAgo})` })
    .where(eq(orders.id, id));
  return id;
}

beforeAll(async () => {
  db = await createTestDatabase('api_order_limits');
  api = await buildApp(testConfig({ DATABASE_URL: db.url, REDIS_URL: testRedisUrl(), REDIS_PREFIX: prefix }));
});

afterAll(async () => {
  await api?.close();
  await deleteRedisKeys(`{${prefix}}`);
  await db?.drop();
});

describe('a storefront key whose orders Exact rejects', () => {
  it('records the key that placed each order', async () => {
    const { keys, keyIds } = await seedConnection(api);
    const { id } = (await post(keys.b2b, order('KEY-1'))).json<{ id: string }>();
    const [row] = await api.database.db.select().from(orders).where(eq(orders.id, id));
    expect(row?.apiKeyId).toBe(keyIds.b2b);
  });

  it('gets 429 with Retry-After on new orders once Exact rejected two of them in the last hour', async () => {
    const { keys } = await seedConnection(api);
    // Neither an old rejection nor one found before posting counts: only Exact's, within the hour.
    await rejected(keys.b2b, 'OLD-1', byExact('Item does not exist'), 61);
    const local = { code: 'unknown_sku', problems: [] } satisfies OrderRejectionDetail;
    await rejected(keys.b2b, 'LOCAL-1', local, 1);
    await rejected(keys.b2b, 'EXACT-1', byExact('Item does not exist'), 20);
    expect((await post(keys.b2b, order('STILL-OK'))).statusCode).toBe(202);
    await rejected(keys.b2b, 'EXACT-2', byExact('Item does not exist'), 5);

    const refused = await post(keys.b2b, order('NEW-1'));
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error.code).toBe('too_many_rejections');
    expect(refused.json().error.message).toMatch(/Exact rejected 2 orders of this API key in the last hour/);
    // The older of the two leaves the hour in 40 minutes.
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(40 * 60 - 30);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(40 * 60);
    const [row] = await api.database.db.select().from(orders).where(eq(orders.reference, 'NEW-1'));
    expect(row).toBeUndefined();

    // A replay of an order placed before is still answered; the key's other channel and other keys are not held.
    expect((await post(keys.b2b, order('STILL-OK'))).statusCode).toBe(200);
    expect(
      (await post(keys.b2c, { ...order('NEW-1'), customer: { name: 'Ann Smith', email: 'ann@example.com' } }))
        .statusCode,
    ).toBe(202);
    expect((await post((await seedConnection(api)).keys.b2b, order('NEW-1'))).statusCode).toBe(202);
  });

  it('shows the rejection with every problem in the order and in the feeds', async () => {
    const { keys } = await seedConnection(api);
    const rejection: OrderRejectionDetail = {
      code: 'unknown_customer',
      problems: [
        { code: 'unknown_customer', field: 'customer.code', message: 'unknown customer code C0001' },
        { code: 'not_a_sales_item', field: 'lines.0.sku', message: 'SKU SKU-1 is not a sales item in Exact' },
      ],
    };
    const id = await rejected(keys.b2b, 'SHOWN-1', rejection);
    const one = await api.inject({
      url: `/v1/orders/${id}`,
      headers: { authorization: `Bearer ${keys.b2b}` },
    });
    expect(one.json()).toMatchObject({
      status: 'rejected',
      statusReason: 'unknown customer code C0001; SKU SKU-1 is not a sales item in Exact',
      rejection,
    });
    const feed = await api.inject({
      url: '/v1/orders?status=rejected',
      headers: { authorization: `Bearer ${ADMIN}` },
    });
    expect(feed.json().data.find((o: { id: string }) => o.id === id)?.rejection).toEqual(rejection);
    const open = (await post(keys.b2b, order('OPEN-1'))).json();
    expect(open.rejection).toBeNull();
  });

  it('documents the rejection codes and the 429', async () => {
    const text = (await api.inject('/docs/json')).body;
    for (const code of ['unknown_sku', 'blocked_customer', 'not_a_sales_item', 'exact_rejected']) {
      expect(text).toContain(code);
    }
    expect(text).toContain('too_many_rejections');
  });
});
