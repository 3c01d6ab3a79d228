import {
  createTestDatabase,
  deleteRedisKeys,
  type TestDatabase,
  testRedisUrl,
  uniqueName,
} from '@exact-sync/testkit';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp, seedConnection, testConfig } from './helpers.ts';

let db: TestDatabase;
let api: FastifyInstance;
let key: string;
const prefix = uniqueName('orders_prop');

beforeAll(async () => {
  db = await createTestDatabase('api_orders_prop');
  api = await buildApp(testConfig({ DATABASE_URL: db.url, REDIS_URL: testRedisUrl(), REDIS_PREFIX: prefix }));
  key = (await seedConnection(api)).keys.b2b;
});

afterAll(async () => {
  await api?.close();
  await deleteRedisKeys(`{${prefix}}`);
  await db?.drop();
});

const valid = {
  reference: 'P-1',
  customer: { code: 'C1' },
  lines: [{ sku: 'SKU-1', quantity: '1', unitPrice: '2' }],
};

// Bodies that are wrong in one place or everywhere: a valid order with one field replaced by arbitrary JSON, an
// extra field, a line broken, or any JSON value at all.
const oneFieldBroken = fc
  .record({
    field: fc.constantFrom('reference', 'customer', 'lines', 'orderDate', 'deliveryDate', 'note'),
    value: fc.jsonValue(),
  })
  .filter(({ field, value }) => !(field === 'note' && typeof value === 'string' && value.length <= 1000))
  .filter(
    ({ field, value }) =>
      !(field === 'reference' && typeof value === 'string' && /^[A-Za-z0-9._/-]{1,26}$/.test(value)),
  )
  .map(({ field, value }) => ({ ...valid, [field]: value }));
const brokenLine = fc
  .record({
    sku: fc.jsonValue(),
    quantity: fc.oneof(fc.double(), fc.double().map(String), fc.jsonValue()),
    unitPrice: fc.jsonValue(),
  })
  .filter(
    (l) =>
      !(
        typeof l.sku === 'string' &&
        l.sku.trim().length > 0 &&
        typeof l.quantity === 'string' &&
        /^[0-9]{1,9}(\.[0-9]{1,4})?$/.test(l.quantity) &&
        Number(l.quantity) > 0
      ),
  )
  .map((line) => ({ ...valid, lines: [line] }));
const extraField = fc
  .string({ minLength: 1 })
  .filter(
    (k) => !['reference', 'customer', 'lines', 'orderDate', 'deliveryDate', 'note', '__proto__'].includes(k),
  )
  .map((k) => ({ ...valid, [k]: 1 }));
const anything = fc
  .jsonValue()
  .filter((v) => typeof v !== 'object' || v === null || Array.isArray(v) || !('reference' in v));

it('never answers 5xx and never writes a row or a job for thousands of malformed bodies', async () => {
  await fc.assert(
    fc.asyncProperty(fc.oneof(oneFieldBroken, brokenLine, extraField, anything), async (body) => {
      const res = await api.inject({
        method: 'POST',
        url: '/v1/orders',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        payload: JSON.stringify(body),
      });
      expect(res.statusCode).toBeGreaterThanOrEqual(400);
      expect(res.statusCode).toBeLessThan(500);
      expect(res.json().error.code).toMatch(/^[a-z_]+$/);
    }),
    { numRuns: 2_500 },
  );
  const [row] = await api.database.db.execute<{ n: number }>(sql`select count(*)::int as n from orders`);
  expect(row?.n).toBe(0);
  expect(await api.queues.orders.count()).toBe(0);
});

it('never answers 5xx for bodies that are not JSON at all', async () => {
  await fc.assert(
    fc.asyncProperty(fc.string(), async (text) => {
      const res = await api.inject({
        method: 'POST',
        url: '/v1/orders',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        payload: `{${text}`,
      });
      expect(res.statusCode).toBe(400);
    }),
    { numRuns: 500 },
  );
});
