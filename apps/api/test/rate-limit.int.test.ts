import {
  createTestDatabase,
  deleteRedisKeys,
  type TestDatabase,
  testRedisUrl,
  uniqueName,
} from '@exact-sync/testkit';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awayFromMinuteEdge, buildApp, seedConnection, testConfig } from './helpers.ts';

// Two api processes (two apps) over one Postgres and one Redis, and a third whose Redis is unreachable.
let db: TestDatabase;
let a: FastifyInstance;
let b: FastifyInstance;
let offline: FastifyInstance;
let shop: Awaited<ReturnType<typeof seedConnection>>;
const prefix = uniqueName('ratelimit');
const ADMIN = { authorization: 'Bearer test-admin-token-0123456789' };

beforeAll(async () => {
  db = await createTestDatabase('api_rate_limit');
  const settings = { DATABASE_URL: db.url, REDIS_PREFIX: prefix, STOREFRONT_RATE_LIMIT_PER_MINUTE: '4' };
  a = await buildApp(testConfig({ ...settings, REDIS_URL: testRedisUrl() }));
  b = await buildApp(testConfig({ ...settings, REDIS_URL: testRedisUrl() }));
  offline = await buildApp(testConfig({ ...settings, REDIS_URL: 'redis://127.0.0.1:1' }));
  shop = await seedConnection(a);
});

afterAll(async () => {
  await Promise.all([a, b, offline].map((app) => app?.close()));
  await db?.drop();
  await deleteRedisKeys(`{${prefix}}`);
  await deleteRedisKeys(prefix);
});

const asKey = (key: string) => ({ authorization: `Bearer ${key}` });
const order = (reference: string) => ({
  reference,
  customer: { code: 'C0001' },
  lines: [{ sku: 'SKU-1', quantity: '1' }],
});
const limitOf = (res: LightMyRequestResponse) => ({
  limit: res.headers['ratelimit-limit'],
  remaining: res.headers['ratelimit-remaining'],
});

describe('the storefront request limit', () => {
  it('counts a key once over every storefront route and api process, and says where it stands', async () => {
    await awayFromMinuteEdge();
    const key = asKey(shop.keys.b2b);
    const items = await a.inject({ url: '/v1/items', headers: key });
    expect(items.statusCode).toBe(200);
    expect(limitOf(items)).toEqual({ limit: '4', remaining: '3' });
    const reset = Number(items.headers['ratelimit-reset']);
    expect(reset).toBeGreaterThan(0);
    expect(reset).toBeLessThanOrEqual(60);
    expect(limitOf(await b.inject({ url: '/v1/stock', headers: key }))).toEqual({
      limit: '4',
      remaining: '2',
    });
    const placed = await a.inject({
      method: 'POST',
      url: '/v1/orders',
      headers: key,
      payload: order('RL-1'),
    });
    expect(placed.statusCode).toBe(202);
    expect(limitOf(placed).remaining).toBe('1');
    const followed = await b.inject({ url: `/v1/orders/${placed.json().id}`, headers: key });
    expect(followed.statusCode).toBe(200);
    expect(limitOf(followed).remaining).toBe('0');

    const refused = await a.inject({ url: '/v1/accounts', headers: key });
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toEqual({ error: { code: 'rate_limited', message: expect.any(String) } });
    expect(limitOf(refused)).toEqual({ limit: '4', remaining: '0' });
    expect(Number(refused.headers['retry-after'])).toBe(Number(refused.headers['ratelimit-reset']));
    // Invalid input of a key over its limit is refused for the limit, before it is read.
    expect((await b.inject({ url: '/v1/items?limit=0', headers: key })).statusCode).toBe(429);

    // Another key of the same connection counts on its own.
    expect(limitOf(await b.inject({ url: '/v1/items', headers: asKey(shop.keys.b2c) })).remaining).toBe('3');
  });

  it('leaves the admin token and callers without a key out', async () => {
    const operator = await a.inject({ url: '/v1/orders', headers: ADMIN });
    expect(operator.statusCode).toBe(200);
    expect(operator.headers['ratelimit-limit']).toBeUndefined();
    const anonymous = await a.inject({ url: '/v1/items' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers['ratelimit-limit']).toBeUndefined();
  });

  it('takes an order while Redis is unreachable, counting the key in the process', async () => {
    const key = asKey(shop.keys.b2c);
    const started = Date.now();
    const placed = await offline.inject({
      method: 'POST',
      url: '/v1/orders',
      headers: key,
      payload: { ...order('RL-2'), customer: { name: 'Ann Smith' } },
    });
    expect(placed.statusCode, placed.body).toBe(202);
    expect(limitOf(placed)).toEqual({ limit: '4', remaining: '3' });
    const again = await offline.inject({ url: '/v1/items', headers: key });
    expect(limitOf(again).remaining).toBe('2');
    // Enqueueing gives up after 1.5 s; the limit adds nothing to that.
    expect(Date.now() - started).toBeLessThan(2_500);
  });
});
