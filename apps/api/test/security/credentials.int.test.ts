import { connections } from '@exact-sync/db';
import {
  createTestDatabase,
  deleteRedisKeys,
  type TestDatabase,
  testRedisUrl,
  uniqueName,
} from '@exact-sync/testkit';
import { eq } from 'drizzle-orm';
import Fastify, { type FastifyInstance, type HTTPMethods } from 'fastify';
import fp from 'fastify-plugin';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { app } from '../../src/app.ts';
import { awayFromMinuteEdge, seedConnection, testConfig } from '../helpers.ts';
import { ADMIN } from '../onboarding.ts';

const ADMIN_TOKEN = ADMIN.authorization.replace('Bearer ', '');
const basic = (password: string) => `Basic ${Buffer.from(`operator:${password}`).toString('base64')}`;

// The only routes anyone may call without credentials (DESIGN.md, "The interface").
const isPublic = (url: string) =>
  /^\/health\//.test(url) ||
  /^\/docs(\/|$)/.test(url) ||
  ['/v1/oauth/callback', '/v1/connections/:id/authorize', '/webhooks/exact'].includes(url);

/** A concrete URL for a route pattern: a UUID for ids, a queue name, a word for anything else. */
const concrete = (url: string) =>
  url
    .replace(/:id\b/g, '00000000-0000-4000-8000-000000000000')
    .replace(/:queueName\b/g, 'orders')
    .replace(/:\w+/g, 'x')
    .replace(/\*/g, 'x');

let db: TestDatabase;
let api: FastifyInstance;
let shop: Awaited<ReturnType<typeof seedConnection>>;
const routes: Array<{ method: HTTPMethods; url: string }> = [];
const prefix = uniqueName('security');

beforeAll(async () => {
  db = await createTestDatabase('api_security');
  api = Fastify({ logger: false });
  // Collects every route the application registers, whoever registers it (plugins included).
  api.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.push({ method, url: route.url });
  });
  const config = testConfig({
    DATABASE_URL: db.url,
    REDIS_URL: testRedisUrl(),
    REDIS_PREFIX: prefix,
    STOREFRONT_RATE_LIMIT_PER_MINUTE: '3',
  });
  await api.register(fp(app), { config });
  await api.ready();
  shop = await seedConnection(api);
});

afterAll(async () => {
  await api?.close();
  await db?.drop();
  await deleteRedisKeys(`{${prefix}}`);
  await deleteRedisKeys(prefix);
});

describe('credentials', () => {
  it('are wanted by every route that is not public, before anything else is looked at', async () => {
    const guarded = routes.filter((r) => !isPublic(r.url));
    // The interface's routes, Bull Board's and the operator page are all among them.
    expect(guarded.length).toBeGreaterThan(40);
    expect(guarded.map((r) => r.url)).toEqual(
      expect.arrayContaining([
        '/v1/orders',
        '/v1/items',
        '/v1/connections',
        '/admin',
        '/admin/queues/api/queues',
      ]),
    );
    for (const { method, url } of guarded) {
      const res = await api.inject({
        method,
        url: concrete(url),
        payload: method === 'GET' ? undefined : {},
      });
      expect(res.statusCode, `${method} ${url}`).toBe(401);
      if (method !== 'HEAD') expect(res.json().error.code, `${method} ${url}`).toBe('unauthorized');
    }
  });

  it('are refused when wrong, on operator routes as on storefront ones', async () => {
    const wrong = { authorization: 'Bearer exs_not-a-key-at-all' };
    for (const url of ['/v1/connections', '/v1/items', '/v1/orders', '/admin', '/admin/queues/api/queues']) {
      const res = await api.inject({ url, headers: wrong });
      expect(res.statusCode, url).toBe(401);
    }
    const key = { authorization: `Bearer ${shop.keys.b2b}` };
    expect((await api.inject({ url: '/v1/connections', headers: key })).statusCode).toBe(401);
  });

  it('make a browser prompt for the operator token on the pages, which take it as the Basic password', async () => {
    for (const url of ['/admin', '/admin/queues']) {
      const anonymous = await api.inject(url);
      expect(anonymous.statusCode).toBe(401);
      expect(anonymous.headers['www-authenticate']).toBe('Basic realm="exact-sync"');
      expect(
        (await api.inject({ url, headers: { authorization: basic('wrong-password') } })).statusCode,
      ).toBe(401);
      const asBasic = await api.inject({ url, headers: { authorization: basic(ADMIN_TOKEN) } });
      expect(asBasic.statusCode, url).toBe(200);
      expect(asBasic.headers['content-type']).toContain('text/html');
      expect((await api.inject({ url, headers: ADMIN })).statusCode).toBe(200);
    }
    // JSON routes do not ask a browser for a password.
    expect((await api.inject('/v1/connections')).headers['www-authenticate']).toBeUndefined();
  });

  it('open Bull Board on both queues of this installation', async () => {
    const res = await api.inject({ url: '/admin/queues/api/queues', headers: ADMIN });
    expect(res.statusCode).toBe(200);
    const names = res.json<{ queues: Array<{ name: string }> }>().queues.map((q) => q.name);
    expect(names.sort()).toEqual(['orders', 'sync']);
  });
});

describe('storefront rate limit', () => {
  it('is counted per API key and answers 429 in the error shape', async () => {
    await awayFromMinuteEdge();
    const get = (key: string) =>
      api.inject({ url: '/v1/items', headers: { authorization: `Bearer ${key}` } });
    for (let i = 0; i < 3; i++) expect((await get(shop.keys.b2b)).statusCode).toBe(200);
    const limited = await get(shop.keys.b2b);
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toEqual({ error: { code: 'rate_limited', message: expect.any(String) } });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Same address, another key: its own budget.
    expect((await get(shop.keys.b2c)).statusCode).toBe(200);
    // Operator routes are not limited.
    for (let i = 0; i < 5; i++) {
      expect((await api.inject({ url: '/v1/connections', headers: ADMIN })).statusCode).toBe(200);
    }
  });
});

describe('security headers', () => {
  it('keep the JSON API strict and allow inline styles only on the pages', async () => {
    const json = await api.inject({ url: '/v1/connections', headers: ADMIN });
    expect(json.headers['x-content-type-options']).toBe('nosniff');
    expect(json.headers['content-security-policy']).toContain("style-src 'self';");
    const page = await api.inject({ url: '/admin', headers: ADMIN });
    expect(page.headers['content-security-policy']).toContain("style-src 'self' 'unsafe-inline'");
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
  });
});

describe('the operator page', () => {
  it('escapes what it shows', async () => {
    await api.database.db
      .update(connections)
      .set({ name: '<img src=x onerror=alert(1)> & "Co"' })
      .where(eq(connections.id, shop.connectionId));
    const page = await api.inject({ url: '/admin', headers: ADMIN });
    expect(page.body).not.toContain('<img src=x');
    expect(page.body).toContain('&lt;img src=x onerror=alert(1)&gt; &amp; &quot;Co&quot;');
    expect(page.body).toContain(`data-connection-id="${shop.connectionId}"`);
  });
});
