import { orderLines, orders, transitionOrder } from '@exact-sync/db';
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
let keys: Awaited<ReturnType<typeof seedConnection>>;
const prefix = uniqueName('orders');
const ADMIN = 'test-admin-token-0123456789';

const validOrder = (reference: string) => ({
  reference,
  customer: { code: 'C0001' },
  lines: [
    { sku: 'SKU-1', quantity: '2', unitPrice: '9.95' },
    { sku: 'SKU-2', quantity: '1' },
  ],
  orderDate: '2026-11-29',
});

/** A b2c order: it names its consumer, and goes on the channel's default account. */
const consumerOrder = (reference: string) => ({
  ...validOrder(reference),
  customer: { name: 'Ann Smith', email: 'ann@example.com' },
});

const post = (key: string, body: unknown) =>
  api.inject({
    method: 'POST',
    url: '/v1/orders',
    headers: { authorization: `Bearer ${key}` },
    payload: body as object,
  });

async function counts(): Promise<{ orders: number; lines: number; jobs: number }> {
  const [row] = await api.database.db.execute<{ orders: number; lines: number }>(
    sql`select (select count(*) from ${orders})::int as orders, (select count(*) from ${orderLines})::int as lines`,
  );
  const jobs = await api.queues.orders.getJobCountByTypes('waiting', 'delayed', 'active', 'prioritized');
  return { orders: row?.orders ?? -1, lines: row?.lines ?? -1, jobs };
}

beforeAll(async () => {
  db = await createTestDatabase('api_orders');
  api = await buildApp(testConfig({ DATABASE_URL: db.url, REDIS_URL: testRedisUrl(), REDIS_PREFIX: prefix }));
  keys = await seedConnection(api);
});

afterAll(async () => {
  await api?.close();
  await deleteRedisKeys(`{${prefix}}`);
  await db?.drop();
});

describe('POST /v1/orders', () => {
  it('accepts an order: rows written, job queued under the order id, 202 with id and status', async () => {
    const res = await post(keys.keys.b2b, validOrder('A-1'));
    expect(res.statusCode).toBe(202);
    const body = res.json();
    expect(body).toMatchObject({
      status: 'accepted',
      channel: 'b2b',
      reference: 'A-1',
      exactOrderNumber: null,
    });
    expect(body.lines).toEqual([
      { sku: 'SKU-1', quantity: '2', unitPrice: '9.95', unitCode: null },
      { sku: 'SKU-2', quantity: '1', unitPrice: null, unitCode: null },
    ]);
    const job = await api.queues.orders.getJob(body.id);
    expect(job?.name).toBe('order.submit');
    expect(job?.data).toEqual({ orderId: body.id });
    const [row] = await api.database.db.select().from(orders).where(eq(orders.id, body.id));
    expect(row?.yourRef).toBe('B2B-A-1');
  });

  it('answers a replay with the existing order and a changed payload with 409, writing nothing', async () => {
    const first = await post(keys.keys.b2b, validOrder('A-2'));
    const before = await counts();
    const again = await post(keys.keys.b2b, { ...validOrder('A-2'), orderDate: '2026-11-29' });
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(first.json().id);
    const changed = await post(keys.keys.b2b, {
      ...validOrder('A-2'),
      lines: [{ sku: 'SKU-1', quantity: '3' }],
    });
    expect(changed.statusCode).toBe(409);
    expect(changed.json().error.code).toBe('order_conflict');
    expect(await counts()).toEqual(before);
  });

  it('keeps the same reference of two channels apart', async () => {
    const b2b = await post(keys.keys.b2b, validOrder('SAME-1'));
    const b2c = await post(keys.keys.b2c, consumerOrder('SAME-1'));
    expect(b2b.statusCode).toBe(202);
    expect(b2c.statusCode).toBe(202);
    expect(b2b.json().id).not.toBe(b2c.json().id);
  });

  it('accepts many replays at once as one order', async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, () => post(keys.keys.b2c, consumerOrder('RACE-1'))),
    );
    expect(new Set(results.map((r) => r.json().id)).size).toBe(1);
    expect(results.map((r) => r.statusCode).sort()).toEqual([
      200, 200, 200, 200, 200, 200, 200, 200, 200, 202,
    ]);
  });

  it('takes amounts as decimal strings within the precision Exact keeps, with a currency, and answers strings', async () => {
    const res = await post(keys.keys.b2b, {
      ...validOrder('DEC-1'),
      currency: 'EUR',
      lines: [{ sku: 'SKU-1', quantity: '0.5000', unitPrice: '19.9999' }],
    });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ currency: 'EUR', lines: [{ quantity: '0.5', unitPrice: '19.9999' }] });
    const [line] = await api.database.db
      .select()
      .from(orderLines)
      .where(eq(orderLines.orderId, res.json().id));
    expect(line).toMatchObject({ quantity: '0.5000', unitPrice: '19.9999' });
  });

  it('refuses numbers, finer precision, signs and bad currencies, naming each field', async () => {
    const before = await counts();
    const res = await post(keys.keys.b2b, {
      ...validOrder('DEC-2'),
      currency: 'eur',
      lines: [
        { sku: 'SKU-1', quantity: 2 },
        { sku: 'SKU-1', quantity: '1e-7' },
        { sku: 'SKU-1', quantity: '1', unitPrice: '19.999999' },
        { sku: 'SKU-1', quantity: '0.00001' },
        { sku: 'SKU-1', quantity: '0.0000' },
        { sku: 'SKU-1', quantity: '1', unitPrice: '-1' },
        { sku: 'SKU-1', quantity: '1234567890' },
      ],
    });
    expect(res.statusCode).toBe(400);
    const details: { field: string; message: string }[] = res.json().error.details;
    const messageOf = (field: string) => details.find((d) => d.field === field)?.message;
    expect(messageOf('body.currency')).toContain('ISO 4217');
    expect(messageOf('body.lines.0.quantity')).toContain('decimal string');
    expect(messageOf('body.lines.1.quantity')).toContain('decimal string');
    expect(messageOf('body.lines.2.unitPrice')).toContain('at most 4 decimals');
    expect(messageOf('body.lines.3.quantity')).toContain('at most 4 decimals');
    expect(messageOf('body.lines.4.quantity')).toContain('greater than 0');
    expect(messageOf('body.lines.5.unitPrice')).toContain('decimal string');
    expect(messageOf('body.lines.6.quantity')).toContain('at most 9 digits');
    expect(await counts()).toEqual(before);
  });

  it('keeps a delivery address and contact for b2b orders, and refuses them on b2c, writing nothing', async () => {
    const address = '5d1b2c3e-0000-4000-8000-000000000001';
    const contact = '5d1b2c3e-0000-4000-8000-000000000002';
    const placed = await post(keys.keys.b2b, {
      ...validOrder('ADDR-1'),
      deliveryAddressExactId: address,
      contactExactId: contact,
    });
    expect(placed.statusCode).toBe(202);
    expect(placed.json()).toMatchObject({ deliveryAddressExactId: address, contactExactId: contact });
    const before = await counts();
    const b2c = await post(keys.keys.b2c, { ...consumerOrder('ADDR-2'), deliveryAddressExactId: address });
    expect(b2c.statusCode).toBe(400);
    expect(b2c.json().error.details).toEqual([
      { field: 'body.deliveryAddressExactId', message: expect.stringContaining('b2b orders') },
    ]);
    expect(await counts()).toEqual(before);
  });

  it('names every bad field and writes nothing', async () => {
    const before = await counts();
    const res = await post(keys.keys.b2b, {
      reference: 'bad ref!',
      customer: { code: 'C1' },
      lines: [{ sku: '', quantity: '0' }],
      orderDate: '29-11-2026',
    });
    expect(res.statusCode).toBe(400);
    const fields = res.json().error.details.map((d: { field: string }) => d.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        'body.reference',
        'body.lines.0.sku',
        'body.lines.0.quantity',
        'body.orderDate',
      ]),
    );
    expect(res.json().error.code).toBe('validation_failed');
    expect(await counts()).toEqual(before);
  });

  it('refuses consumer customers on b2b, and b2c orders when the channel has no default account', async () => {
    const consumer = { ...validOrder('C-1'), customer: { name: 'Ann Smith', email: 'ann@example.com' } };
    const b2b = await post(keys.keys.b2b, consumer);
    expect(b2b.statusCode).toBe(400);
    expect(b2b.json().error.message).toContain('body.customer');
    const bare = await seedConnection(api, {});
    const b2c = await post(bare.keys.b2c, consumer);
    expect(b2c.statusCode).toBe(422);
    expect(b2c.json().error.code).toBe('channel_not_configured');
    expect((await post(keys.keys.b2c, consumer)).statusCode).toBe(202);
  });

  it('answers 401 without a key, with an unknown key and at once after revocation; 413 for huge bodies', async () => {
    expect(
      (await api.inject({ method: 'POST', url: '/v1/orders', payload: validOrder('K-1') })).statusCode,
    ).toBe(401);
    expect((await post('exs_unknown', validOrder('K-1'))).statusCode).toBe(401);
    const other = await seedConnection(api);
    await api.database.db.execute(sql`update api_keys set revoked_at = now() where id = ${other.keyIds.b2b}`);
    const revoked = await post(other.keys.b2b, validOrder('K-1'));
    expect(revoked.statusCode).toBe(401);
    expect(revoked.json().error.code).toBe('unauthorized');
    const huge = { ...validOrder('K-2'), note: 'x'.repeat(300 * 1024) };
    expect((await post(keys.keys.b2b, huge)).statusCode).toBe(413);
  });

  it('accepts orders while Redis is unreachable: the order is stored, to be queued by the reconciler', async () => {
    const down = await buildApp(
      testConfig({ DATABASE_URL: db.url, REDIS_URL: 'redis://127.0.0.1:1', REDIS_PREFIX: prefix }),
    );
    try {
      const res = await down.inject({
        method: 'POST',
        url: '/v1/orders',
        headers: { authorization: `Bearer ${keys.keys.b2b}` },
        payload: validOrder('NO-REDIS-1'),
      });
      expect(res.statusCode).toBe(202);
      const [row] = await api.database.db.select().from(orders).where(eq(orders.id, res.json().id));
      expect(row?.status).toBe('accepted');
    } finally {
      await down.close();
    }
  });
});

describe('order feed', () => {
  it('shows a storefront only its own channel, and the operator everything', async () => {
    const mine = (await post(keys.keys.b2b, validOrder('F-1'))).json();
    const get = (id: string, key: string) =>
      api.inject({ url: `/v1/orders/${id}`, headers: { authorization: `Bearer ${key}` } });
    expect((await get(mine.id, keys.keys.b2b)).json().reference).toBe('F-1');
    expect((await get(mine.id, keys.keys.b2c)).statusCode).toBe(404);
    expect((await get(mine.id, ADMIN)).statusCode).toBe(200);
  });

  it('pages by cursor and filters by updated_since and status', async () => {
    const since = new Date().toISOString();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await post(keys.keys.b2b, validOrder(`P-${i}`))).json().id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `updated_since=${encodeURIComponent(since)}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = await api.inject({
        url: `/v1/orders?${query}`,
        headers: { authorization: `Bearer ${keys.keys.b2b}` },
      });
      expect(page.statusCode).toBe(200);
      seen.push(...page.json().data.map((o: { id: string }) => o.id));
      cursor = page.json().nextCursor;
    } while (cursor);
    expect(seen).toEqual(ids);
    const bad = await api.inject({
      url: '/v1/orders?cursor=zzz',
      headers: { authorization: `Bearer ${ADMIN}` },
    });
    expect(bad.statusCode).toBe(400);
    const rejected = await api.inject({
      url: '/v1/orders?status=rejected',
      headers: { authorization: `Bearer ${ADMIN}` },
    });
    expect(rejected.json().data).toEqual([]);
  });

  it('leaves changes younger than the settle window for the next pull, so none is skipped while it commits', async () => {
    const settling = await buildApp(
      testConfig({
        DATABASE_URL: db.url,
        REDIS_URL: testRedisUrl(),
        REDIS_PREFIX: prefix,
        FEED_SETTLE_MS: '1500',
      }),
    );
    try {
      const since = new Date(Date.now() - 1_000).toISOString();
      const order = (await post(keys.keys.b2b, validOrder('SETTLE-1'))).json();
      const pull = async () =>
        (
          await settling.inject({
            url: `/v1/orders?updated_since=${encodeURIComponent(since)}`,
            headers: { authorization: `Bearer ${ADMIN}` },
          })
        )
          .json()
          .data.map((o: { id: string }) => o.id);
      expect(await pull()).not.toContain(order.id);
      await new Promise((r) => setTimeout(r, 1_600));
      expect(await pull()).toContain(order.id);
    } finally {
      await settling.close();
    }
  });

  it('lets the operator retry a failed order, and refuses to retry a submitted one', async () => {
    const order = (await post(keys.keys.b2b, validOrder('R-1'))).json();
    await api.queues.orders.remove(order.id);
    await api.database.db.execute(
      sql`update orders set status = 'failed', failed_at = now() where id = ${order.id}`,
    );
    const retry = () =>
      api.inject({
        method: 'POST',
        url: `/v1/orders/${order.id}/retry`,
        headers: { authorization: `Bearer ${ADMIN}` },
      });
    const res = await retry();
    expect(res.statusCode).toBe(202);
    expect(res.json().status).toBe('accepted');
    expect(await api.queues.orders.getJob(order.id)).toBeDefined();
    await api.database.db.execute(
      sql`update orders set status = 'submitted', exact_order_id = gen_random_uuid() where id = ${order.id}`,
    );
    expect((await retry()).statusCode).toBe(409);
    const storefront = await api.inject({
      method: 'POST',
      url: `/v1/orders/${order.id}/retry`,
      headers: { authorization: `Bearer ${keys.keys.b2b}` },
    });
    expect(storefront.statusCode).toBe(401);
  });
});

describe('orders a shop can follow', () => {
  const reject = (id: string) =>
    transitionOrder(api.database.db, id, ['accepted'], 'rejected', {
      statusReason: 'SKU SKU-2 does not exist',
      rejection: {
        code: 'unknown_sku',
        problems: [{ code: 'unknown_sku', field: 'lines.1.sku', message: 'SKU SKU-2 does not exist' }],
      },
    });
  const list = async (key: string, query: string) =>
    (await api.inject({ url: `/v1/orders?${query}`, headers: { authorization: `Bearer ${key}` } })).json()
      .data as {
      id: string;
      attempt: number;
      previousAttemptId: string | null;
      status: string;
    }[];

  it('answers 202 with Location, and finds an order by its reference', async () => {
    const res = await post(keys.keys.b2b, validOrder('FOLLOW-1'));
    expect(res.statusCode).toBe(202);
    expect(res.headers.location).toBe(`/v1/orders/${res.json().id}`);
    const at = await api.inject({
      url: res.headers.location as string,
      headers: { authorization: `Bearer ${keys.keys.b2b}` },
    });
    expect(at.json().id).toBe(res.json().id);
    expect((await list(keys.keys.b2b, 'reference=FOLLOW-1')).map((o) => o.id)).toEqual([res.json().id]);
    expect(await list(keys.keys.b2c, 'reference=FOLLOW-1')).toEqual([]);
    expect(await list(keys.keys.b2b, 'reference=NO-SUCH')).toEqual([]);
  });

  it("places a rejected order's reference again as a new attempt, linked to the old one", async () => {
    const first = (await post(keys.keys.b2b, validOrder('AGAIN-1'))).json();
    await reject(first.id);
    // A replay still answers the rejected order; another payload without retryOf is a conflict that says how.
    const replay = await post(keys.keys.b2b, validOrder('AGAIN-1'));
    expect(replay.statusCode).toBe(200);
    expect(replay.json()).toMatchObject({ id: first.id, status: 'rejected', attempt: 1 });
    const fixed = { ...validOrder('AGAIN-1'), lines: [{ sku: 'SKU-1', quantity: '2' }] };
    const conflict = await post(keys.keys.b2b, fixed);
    expect(conflict.statusCode).toBe(409);
    expect(conflict.json().error.message).toContain(`retryOf: "${first.id}"`);

    const again = await post(keys.keys.b2b, { ...fixed, retryOf: first.id });
    expect(again.statusCode).toBe(202);
    expect(again.json()).toMatchObject({ status: 'accepted', attempt: 2, previousAttemptId: first.id });
    expect(again.headers.location).toBe(`/v1/orders/${again.json().id}`);
    expect((await api.queues.orders.getJob(again.json().id))?.data).toEqual({ orderId: again.json().id });
    // The new attempt's replay is answered with it; the old payload now conflicts with it.
    const replayed = await post(keys.keys.b2b, { ...fixed, retryOf: first.id });
    expect(replayed.statusCode).toBe(200);
    expect(replayed.json().id).toBe(again.json().id);
    expect((await post(keys.keys.b2b, validOrder('AGAIN-1'))).statusCode).toBe(409);

    const attempts = await list(keys.keys.b2b, 'reference=AGAIN-1');
    expect(attempts.map((o) => [o.attempt, o.status, o.previousAttemptId])).toEqual([
      [1, 'rejected', null],
      [2, 'accepted', first.id],
    ]);
  });

  it('refuses retryOf unless it names the latest attempt and that one is rejected, writing nothing', async () => {
    const open = (await post(keys.keys.b2b, validOrder('AGAIN-2'))).json();
    const before = await counts();
    const changed = { ...validOrder('AGAIN-2'), note: 'second try' };
    const notRejected = await post(keys.keys.b2b, { ...changed, retryOf: open.id });
    expect(notRejected.statusCode).toBe(409);
    expect(notRejected.json().error).toMatchObject({
      code: 'not_retriable',
      details: { id: open.id, status: 'accepted' },
    });
    await reject(open.id);
    const other = await post(keys.keys.b2b, { ...changed, retryOf: '00000000-0000-4000-8000-000000000000' });
    expect(other.statusCode).toBe(409);
    const none = await post(keys.keys.b2b, { ...validOrder('AGAIN-NONE'), retryOf: open.id });
    expect(none.statusCode).toBe(409);
    expect(await counts()).toEqual(before);
  });

  it('makes one new attempt of many concurrent retries', async () => {
    const first = (await post(keys.keys.b2b, validOrder('AGAIN-3'))).json();
    await reject(first.id);
    const retry = { ...validOrder('AGAIN-3'), note: 'fixed', retryOf: first.id };
    const results = await Promise.all(Array.from({ length: 8 }, () => post(keys.keys.b2b, retry)));
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 202]);
    expect(new Set(results.map((r) => r.json().id)).size).toBe(1);
    expect((await list(keys.keys.b2b, 'reference=AGAIN-3')).map((o) => o.attempt)).toEqual([1, 2]);
  });
});
