import { randomUUID } from 'node:crypto';
import { ORDER_LIMIT_WINDOW_MS } from '@exact-sync/core';
import { type BatchOrder, orders, placeOrders } from '@exact-sync/db';
import {
  createTestDatabase,
  deleteRedisKeys,
  type TestDatabase,
  testRedisUrl,
  uniqueName,
} from '@exact-sync/testkit';
import { eq, inArray } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createOrderIntake } from '../src/orders/order-intake.ts';
import { buildApp, seedConnection, testConfig } from './helpers.ts';

// Every batch goes through this repository function: wrapped, it counts the statements.
vi.mock('@exact-sync/db', async (importOriginal) => {
  const db = await importOriginal<typeof import('@exact-sync/db')>();
  return { ...db, placeOrders: vi.fn(db.placeOrders) };
});
const batches = vi.mocked(placeOrders);

let db: TestDatabase;
let api: FastifyInstance;
let shop: Awaited<ReturnType<typeof seedConnection>>;
const prefix = uniqueName('order_batches');
const ADMIN = { authorization: 'Bearer test-admin-token-0123456789' };

const order = (reference: string, quantity = '1') => ({
  reference,
  customer: { code: 'C0001' },
  lines: [
    { sku: 'SKU-1', quantity, unitPrice: '9.95' },
    { sku: 'SKU-2', quantity: '3' },
  ],
});

const post = (instance: FastifyInstance, key: string, body: unknown) =>
  instance.inject({
    method: 'POST',
    url: '/v1/orders',
    headers: { authorization: `Bearer ${key}` },
    payload: body as object,
  });

beforeAll(async () => {
  db = await createTestDatabase('api_order_batches');
  api = await buildApp(testConfig({ DATABASE_URL: db.url, REDIS_URL: testRedisUrl(), REDIS_PREFIX: prefix }));
  shop = await seedConnection(api);
});

afterAll(async () => {
  await api?.close();
  await deleteRedisKeys(`{${prefix}}`);
  await db?.drop();
});

describe('concurrent orders by group commit', () => {
  it('answers each of 50 concurrent requests its own way, storing and queueing each new order once', async () => {
    const placed = await post(api, shop.keys.b2b, order('G-PLACED'));
    expect(placed.statusCode).toBe(202);
    const revokedShop = await seedConnection(api);
    // Used once (so this process keeps it in memory), then revoked behind the api's back: no notification.
    expect((await post(api, revokedShop.keys.b2b, order('G-REV-0'))).statusCode).toBe(202);
    await api.database.sql`update api_keys set revoked_at = now() where id = ${revokedShop.keyIds.b2b}`;
    batches.mockClear();

    const fresh = Array.from({ length: 42 }, (_, i) => `G-${i}`);
    const requests = [
      ...fresh.map((reference) => post(api, shop.keys.b2b, order(reference))),
      post(api, shop.keys.b2b, order('G-PLACED')), // a replay of an order placed before
      post(api, shop.keys.b2b, order('G-PLACED', '2')), // a conflict with it
      post(api, shop.keys.b2b, order('G-TWICE')), // the same new order twice at once...
      post(api, shop.keys.b2b, order('G-TWICE')),
      post(api, shop.keys.b2b, order('G-CLASH')), // ...and a new reference with two payloads at once
      post(api, shop.keys.b2b, order('G-CLASH', '5')),
      post(api, shop.keys.b2b, { ...order('G-BAD'), lines: [{ sku: 'SKU-1', quantity: '-1' }] }),
      post(api, revokedShop.keys.b2b, order('G-REV-1')),
    ];
    expect(requests).toHaveLength(50);
    const answers = await Promise.all(requests);
    const status = answers.map((a) => a.statusCode);

    expect(status.slice(0, 42)).toEqual(Array(42).fill(202));
    expect(status[42]).toBe(200);
    expect(answers[42]?.json().id).toBe(placed.json().id);
    expect(status[43]).toBe(409);
    expect(answers[43]?.json().error).toMatchObject({
      code: 'order_conflict',
      details: { id: placed.json().id },
    });
    expect([status[44], status[45]].sort()).toEqual([200, 202]);
    expect(answers[44]?.json().id).toBe(answers[45]?.json().id);
    expect([status[46], status[47]].sort()).toEqual([202, 409]);
    expect(status[48]).toBe(400);
    expect(answers[48]?.json().error.details[0].field).toBe('body.lines.0.quantity');
    expect(status[49]).toBe(401);
    expect(answers[49]?.json().error).toEqual({
      code: 'unauthorized',
      message: 'unknown or revoked API key',
    });

    // Far fewer statements than orders: they were written together.
    expect(batches.mock.calls.length).toBeLessThan(10);
    const created = answers.filter((a) => a.statusCode === 202).map((a) => a.json<{ id: string }>());
    expect(created).toHaveLength(44);
    const rows = await api.database.db
      .select({ id: orders.id, reference: orders.reference })
      .from(orders)
      .where(eq(orders.connectionId, shop.connectionId));
    const references = rows.map((r) => r.reference).sort();
    expect(references).toEqual([...fresh, 'G-CLASH', 'G-PLACED', 'G-TWICE'].sort());
    const [lines] = await api.database.sql<{ n: number }[]>`
      select count(*)::int as n from order_lines where order_id in ${api.database.sql(created.map((c) => c.id))}`;
    expect(lines?.n).toBe(88);
    for (const { id } of created) expect((await api.queues.orders.getJob(id))?.name).toBe('order.submit');
    const clash = answers[46]?.statusCode === 202 ? answers[46] : answers[47];
    const [stored] = await api.database.db.select().from(orders).where(eq(orders.reference, 'G-CLASH'));
    expect(stored?.id).toBe(clash?.json().id);
    expect(await api.database.sql`select 1 from orders where reference = 'G-REV-1'`).toHaveLength(0);
  });

  it("writes each new order's accepted event when its channel has a callback URL, in the same statement", async () => {
    const hooked = await seedConnection(api, {
      b2b: { callbackUrl: 'https://shop.example/hooks' },
      b2c: { defaultAccountCode: 'CONSUMERS' },
    });
    const consumer = { ...order('E-2'), customer: { name: 'Ann Smith' } };
    const [b2b, b2c] = await Promise.all([
      post(api, hooked.keys.b2b, order('E-1')),
      post(api, hooked.keys.b2c, consumer),
    ]);
    expect([b2b.statusCode, b2c.statusCode]).toEqual([202, 202]);
    const events = await api.database.sql<
      { order_id: string; status: string; payload: Record<string, unknown> }[]
    >`
      select order_id, status, payload from order_callbacks
      where order_id in ${api.database.sql([b2b.json().id, b2c.json().id])}`;
    expect(events).toEqual([
      {
        order_id: b2b.json().id,
        status: 'accepted',
        payload: {
          orderId: b2b.json().id,
          reference: 'E-1',
          channel: 'b2b',
          customer: { code: 'C0001' },
          status: 'accepted',
          previousStatus: null,
          changedAt: b2b.json().updatedAt,
          statusReason: null,
          exactOrderId: null,
          exactOrderNumber: null,
          rejection: null,
        },
      },
    ]);
  });

  it('fails only the order that fails in the database; the others of its batch are stored', async () => {
    const intake = createOrderIntake(api, { rejectionsPerKeyPerHour: 5 });
    const base: Omit<BatchOrder, 'connectionId' | 'reference' | 'yourRef'> = {
      channel: 'b2b',
      apiKeyId: shop.keyIds.b2b,
      payloadHash: 'h',
      customer: { code: 'C0001' },
      lines: [{ sku: 'SKU-1', quantity: '1' }],
    };
    const batch: BatchOrder[] = ['F-1', 'F-2', 'F-3'].map((reference, i) => ({
      ...base,
      // The second names a connection that does not exist: its insert breaks a foreign key.
      connectionId: i === 1 ? randomUUID() : shop.connectionId,
      reference,
      yourRef: reference,
    }));
    batches.mockClear();
    const results = await Promise.allSettled(batch.map((o) => intake.submit(o)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/foreign key/);
    expect(batches.mock.calls.map(([, input]) => input.batch.length)).toEqual([3, 1, 1, 1]);
    const rows = await api.database.db
      .select({ reference: orders.reference })
      .from(orders)
      .where(inArray(orders.reference, ['F-1', 'F-2', 'F-3']));
    expect(rows.map((r) => r.reference).sort()).toEqual(['F-1', 'F-3']);
  });

  it('writes nothing of a batch whose statement fails', async () => {
    const bad: BatchOrder = {
      connectionId: randomUUID(),
      channel: 'b2b',
      reference: 'N-2',
      apiKeyId: shop.keyIds.b2b,
      yourRef: 'N-2',
      payloadHash: 'h',
      customer: { code: 'C0001' },
      lines: [{ sku: 'SKU-1', quantity: '1' }],
    };
    const good: BatchOrder = { ...bad, connectionId: shop.connectionId, reference: 'N-1', yourRef: 'N-1' };
    const placing = placeOrders(api.database.db, {
      batch: [good, bad],
      rejectionLimit: 5,
      rejectionWindowMs: ORDER_LIMIT_WINDOW_MS,
    });
    await expect(placing).rejects.toThrow(/foreign key/);
    expect(await api.database.sql`select 1 from orders where reference in ('N-1', 'N-2')`).toHaveLength(0);
  });
});

describe('a revoked key', () => {
  it('gets 401 at once on another api instance with Redis down, and that instance forgets it', async () => {
    const other = await buildApp(
      testConfig({ DATABASE_URL: db.url, REDIS_URL: 'redis://127.0.0.1:1', REDIS_PREFIX: prefix }),
    );
    try {
      const { connectionId } = await seedConnection(api);
      const created = await api.inject({
        method: 'POST',
        url: `/v1/connections/${connectionId}/api-keys`,
        headers: ADMIN,
        payload: { channel: 'b2b' },
      });
      const { id, key } = created.json<{ id: string; key: string }>();
      // The other instance takes an order without Redis, and keeps the key in memory.
      expect((await post(other, key, order('R-1'))).statusCode).toBe(202);
      expect(
        (await other.inject({ url: '/v1/orders', headers: { authorization: `Bearer ${key}` } })).statusCode,
      ).toBe(200);

      expect(
        (await api.inject({ method: 'DELETE', url: `/v1/api-keys/${id}`, headers: ADMIN })).statusCode,
      ).toBe(204);
      // At once: the statement that would write the order finds the key revoked, whatever the other one knows.
      const refused = await post(other, key, order('R-2'));
      expect(refused.statusCode).toBe(401);
      expect(refused.json().error).toEqual({ code: 'unauthorized', message: 'unknown or revoked API key' });
      expect(await api.database.sql`select 1 from orders where reference = 'R-2'`).toHaveLength(0);
      // Every route: Postgres told the other instance (LISTEN/NOTIFY), well before its memory would expire (5 s).
      await vi.waitFor(
        async () => {
          const res = await other.inject({ url: '/v1/orders', headers: { authorization: `Bearer ${key}` } });
          expect(res.statusCode).toBe(401);
        },
        { timeout: 2_000, interval: 20 },
      );
    } finally {
      await other.close();
    }
  });
});
