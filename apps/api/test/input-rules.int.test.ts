import { createHmac } from 'node:crypto';
import {
  createTestDatabase,
  deleteRedisKeys,
  type TestDatabase,
  testRedisUrl,
  uniqueName,
} from '@exact-sync/testkit';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, seedConnection, testConfig } from './helpers.ts';

// The inputs a hostile review answered with a 500, each now a 400 that names the field and the reason.
const SECRET = 'input-rules-webhook-secret';
const ADMIN = 'test-admin-token-0123456789';

let db: TestDatabase;
let api: FastifyInstance;
let shop: Awaited<ReturnType<typeof seedConnection>>;
const prefix = uniqueName('input_rules');

beforeAll(async () => {
  db = await createTestDatabase('api_input_rules');
  api = await buildApp(
    testConfig({
      DATABASE_URL: db.url,
      REDIS_URL: testRedisUrl(),
      REDIS_PREFIX: prefix,
      EXACT_WEBHOOK_SECRET: SECRET,
    }),
  );
  shop = await seedConnection(api);
});

afterAll(async () => {
  await api?.close();
  await deleteRedisKeys(`{${prefix}}`);
  await db?.drop();
});

const order = (change: Record<string, unknown>) => ({
  reference: 'R-1',
  customer: { code: 'C1' },
  lines: [{ sku: 'SKU-1', quantity: '1' }],
  ...change,
});
const cursor = (iso: string) =>
  Buffer.from(`${iso}|00000000-0000-4000-8000-000000000000`).toString('base64url');

async function refusal(
  request: { method: 'GET' | 'POST' | 'PATCH'; url: string; body?: unknown; token?: string },
  headers: Record<string, string> = {},
) {
  const res = await api.inject({
    method: request.method,
    url: request.url,
    headers: { authorization: `Bearer ${request.token ?? shop.keys.b2b}`, ...headers },
    ...(request.body !== undefined && { payload: request.body as object }),
  });
  expect(res.statusCode, res.body).toBe(400);
  const { error } = res.json();
  expect(error.code).toBe('validation_failed');
  return error.details as { field: string; message: string }[];
}

describe('refused with the field and the reason', () => {
  it.each([
    [
      'body.lines.0.sku',
      order({ lines: [{ sku: 'SKU\u0000', quantity: '1' }] }),
      /control characters \(U\+0000/,
    ],
    ['body.customer.code', order({ customer: { code: 'C\u00001' } }), /control characters \(U\+0000/],
    ['body.note', order({ note: 'leave at \u0000 door' }), /control characters other than tab/],
    ['body.note', order({ note: 'half a pair \ud83d' }), /lone surrogate U\+D83D/],
    ['body.orderDate', order({ orderDate: '0000-01-01' }), /years 0001 to 9999/],
    ['body.deliveryDate', order({ deliveryDate: '10000-01-01' }), /must be a date/],
  ])('an order whose %s is hostile', async (field, body, reason) => {
    const details = await refusal({ method: 'POST', url: '/v1/orders', body });
    expect(details).toContainEqual({ field, message: expect.stringMatching(reason) });
  });

  it.each([
    ['/v1/items?sku=SKU%00', 'querystring.sku.0', /control characters/],
    ['/v1/accounts?updated_since=0000-12-31T23:59:59Z', 'querystring.updated_since', /years 0001 to 9999/],
    [
      '/v1/items?updated_since=0001-01-01T00:00:00%2B01:00',
      'querystring.updated_since',
      /years 0001 to 9999/,
    ],
    ['/v1/stock?updated_since=9999-12-31T23:59:59-01:00', 'querystring.updated_since', /years 0001 to 9999/],
    [`/v1/items?cursor=${cursor('0000-01-01T00:00:00.000Z')}`, 'querystring.cursor', /handed out/],
    [`/v1/prices?cursor=${cursor('+010000-01-01T00:00:00.000Z')}`, 'querystring.cursor', /handed out/],
    [`/v1/orders?cursor=${cursor('-000001-01-01T00:00:00.000Z')}`, 'querystring.cursor', /handed out/],
    [`/v1/orders?cursor=${cursor('2024-02-30T00:00:00.000Z')}`, 'querystring.cursor', /handed out/],
    ['/v1/items?limit=1001', 'querystring.limit', /at most 1000/],
  ])('GET %s', async (url, field, reason) => {
    const details = await refusal({ method: 'GET', url });
    expect(details).toContainEqual({ field, message: expect.stringMatching(reason) });
  });

  it('refuses control characters in a connection name, a division past int32 and an OAuth code', async () => {
    const created = await refusal({
      method: 'POST',
      url: '/v1/connections',
      token: ADMIN,
      body: { name: 'Shop\u0000', division: 2_147_483_648 },
    });
    expect(created.map((d) => d.field).sort()).toEqual(['body.division', 'body.name']);
    const callback = await refusal({ method: 'GET', url: '/v1/oauth/callback?code=a%00b&state=s' });
    expect(callback).toContainEqual({ field: 'querystring.code', message: expect.stringMatching(/control/) });
    const patched = await refusal({
      method: 'PATCH',
      url: `/v1/connections/${shop.connectionId}`,
      token: ADMIN,
      body: { channels: { b2c: { defaultAccountCode: 'X', callbackUrl: 'https://shop.example/\u0000' } } },
    });
    expect(patched).toContainEqual({
      field: 'body.channels.b2c.callbackUrl',
      message: expect.stringMatching(/control/),
    });
  });

  it('checks the Content of a signed webhook after its HashCode: a Division past int32', async () => {
    const content = '{"Topic":"Items","Division":2147483648,"Action":"Update"}';
    const hash = createHmac('sha256', SECRET).update(content).digest('hex');
    const res = await api.inject({
      method: 'POST',
      url: '/webhooks/exact',
      headers: { 'content-type': 'application/json' },
      payload: `{"HashCode":"${hash}","Content":${content}}`,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({
      code: 'validation_failed',
      details: [{ field: 'body.Content.Division', message: 'must be at most 2147483647' }],
    });
  });

  it('stored none of them', async () => {
    const [row] = await api.database.db.execute<{ n: number }>(sql`select count(*)::int as n from orders`);
    expect(row?.n).toBe(0);
    const [connections] = await api.database.db.execute<{ n: number }>(
      sql`select count(*)::int as n from connections`,
    );
    expect(connections?.n).toBe(1);
  });
});

describe('accepted as before', () => {
  it('keeps tabs and line breaks (CR LF included) in a note, and the years 0001 and 9999', async () => {
    const res = await api.inject({
      method: 'POST',
      url: '/v1/orders',
      headers: { authorization: `Bearer ${shop.keys.b2b}` },
      payload: order({
        reference: 'R-OK',
        note: 'Ring twice\r\n\tthen wait 🙂',
        orderDate: '0001-01-01',
        deliveryDate: '9999-12-31',
      }),
    });
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json()).toMatchObject({
      note: 'Ring twice\r\n\tthen wait 🙂',
      orderDate: '0001-01-01',
      deliveryDate: '9999-12-31',
    });
  });

  it('answers a path that does not decode in the API error shape', async () => {
    const res = await api.inject({
      method: 'GET',
      url: '/v1/orders/%ED%A0%80',
      headers: { authorization: `Bearer ${shop.keys.b2b}` },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('bad_url');
  });
});
