import { connections, syncState } from '@exact-sync/db';
import { budgetKeyFor, createGovernor } from '@exact-sync/exact';
import { producerRedis } from '@exact-sync/queues';
import {
  createTestDatabase,
  deleteRedisKeys,
  parsePrometheus,
  type TestDatabase,
  testRedisUrl,
  uniqueName,
} from '@exact-sync/testkit';
import { eq } from 'drizzle-orm';
import Fastify, { type FastifyInstance, type HTTPMethods } from 'fastify';
import fp from 'fastify-plugin';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { app } from '../src/app.ts';
import { buildApp, seedConnection, testConfig } from './helpers.ts';
import { ADMIN } from './onboarding.ts';

let db: TestDatabase;
let api: FastifyInstance;
const prefix = uniqueName('metrics');
const redis = producerRedis(testRedisUrl());
const METRICS_TOKEN = 'test-metrics-token-0123456789';
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
// Every route the application registers, whoever registers it (plugins included).
const routes: Array<{ method: HTTPMethods; url: string }> = [];

async function scrape(app: FastifyInstance = api) {
  const res = await app.inject({ method: 'GET', url: '/metrics', headers: ADMIN });
  expect(res.statusCode).toBe(200);
  return parsePrometheus(res.body);
}

beforeAll(async () => {
  db = await createTestDatabase('api_metrics');
  api = Fastify({ logger: false });
  api.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.push({ method, url: route.url });
  });
  const config = testConfig({
    DATABASE_URL: db.url,
    REDIS_URL: testRedisUrl(),
    REDIS_PREFIX: prefix,
    METRICS_TOKEN,
  });
  await api.register(fp(app), { config });
  await api.ready();
});

afterAll(async () => {
  await api?.close();
  await db?.drop();
  await deleteRedisKeys(`{${prefix}}`);
  await deleteRedisKeys(`${prefix}:`);
  redis.disconnect();
});

describe('api /metrics', () => {
  it('wants the admin token, as bearer or as the Basic auth password', async () => {
    expect((await api.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
    const basic = `Basic ${Buffer.from('ops:test-admin-token-0123456789').toString('base64')}`;
    const res = await api.inject({ method: 'GET', url: '/metrics', headers: { authorization: basic } });
    expect(res.statusCode).toBe(200);
    expect(parsePrometheus(res.body).value('process_cpu_user_seconds_total', { app: 'api' })).toBeGreaterThan(
      0,
    );
  });

  it('takes the read-only METRICS_TOKEN, as bearer or as the Basic auth password', async () => {
    const res = await api.inject({ method: 'GET', url: '/metrics', headers: bearer(METRICS_TOKEN) });
    expect(res.statusCode).toBe(200);
    expect(parsePrometheus(res.body).value('exs_metrics_source_up', { source: 'postgres' })).toBe(1);
    const basic = `Basic ${Buffer.from(`prometheus:${METRICS_TOKEN}`).toString('base64')}`;
    expect((await api.inject({ url: '/metrics', headers: { authorization: basic } })).statusCode).toBe(200);
    const wrong = await api.inject({ url: '/metrics', headers: bearer(`${METRICS_TOKEN}x`) });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.message).toBe('the metrics token or an operator token is required');
  });

  it('opens nothing but /metrics to the METRICS_TOKEN: operator and storefront routes refuse it', async () => {
    const { connectionId } = await seedConnection(api);
    const id = (url: string) => url.replace(/:id\b/g, connectionId).replace(/:\w+/g, 'x').replace(/\*/g, 'x');
    // Public routes answer anyone; HEAD mirrors GET.
    const isPublic = (url: string) =>
      /^\/(health|docs)(\/|$)/.test(url) ||
      ['/v1/oauth/callback', '/v1/connections/:id/authorize', '/webhooks/exact'].includes(url);
    const guarded = routes.filter((r) => r.url !== '/metrics' && r.method !== 'HEAD' && !isPublic(r.url));
    expect(guarded.map((r) => r.url)).toEqual(
      expect.arrayContaining([
        '/v1/connections',
        '/v1/orders',
        '/v1/items',
        '/admin',
        '/admin/queues/api/queues',
      ]),
    );
    for (const { method, url } of guarded) {
      for (const headers of [
        bearer(METRICS_TOKEN),
        { authorization: `Basic ${Buffer.from(`ops:${METRICS_TOKEN}`).toString('base64')}` },
      ]) {
        const res = await api.inject({
          method,
          url: id(url),
          headers,
          payload: method === 'GET' ? undefined : {},
        });
        expect(res.statusCode, `${method} ${url}`).toBe(401);
      }
    }
    // The same calls with the admin token get past the guard: the refusals above are the token's, not the calls'.
    const asOperator = await api.inject({ url: '/v1/connections', headers: ADMIN });
    expect(asOperator.statusCode).toBe(200);
    expect(asOperator.json().data.map((c: { id: string }) => c.id)).toContain(connectionId);
  });

  it('shows connections, sync progress, orders, budgets and queue depths as Postgres and Redis hold them', async () => {
    const { connectionId, keys } = await seedConnection(api);
    const { db: orm } = api.database;
    const [row] = await orm.select().from(connections).where(eq(connections.id, connectionId));
    if (!row?.division) throw new Error('seeded connection has no division');
    const budgetKey = budgetKeyFor(row.exactBaseUrl, row.division);
    await orm
      .update(connections)
      .set({ status: 'needs_reauth', paused: true })
      .where(eq(connections.id, connectionId));
    await orm.insert(syncState).values({
      connectionId,
      entity: 'items',
      phase: 'incremental',
      records: 42,
      lastSuccessAt: new Date(Date.now() - 90_000),
    });
    const order = await api.inject({
      method: 'POST',
      url: '/v1/orders',
      headers: { authorization: `Bearer ${keys.b2b}` },
      payload: { reference: 'M-1', customer: { code: 'C0001' }, lines: [{ sku: 'SKU-1', quantity: '1' }] },
    });
    expect(order.statusCode).toBe(202);
    const governor = createGovernor(
      { redis, clock: { now: () => Date.now() }, keyPrefix: prefix },
      { syncReservePerMinute: 10, syncReservePerDay: 300 },
    );
    await governor.acquire(budgetKey, 'sync', 'sync/logistics/items');
    await governor.acquire(budgetKey, 'order', 'salesorder/salesorders');
    await governor.record(budgetKey, 'sync', {
      status: 200,
      // Exact's daily window ends at the next 00:00 UTC.
      headers: {
        dayLimit: 5000,
        dayRemaining: 4990,
        dayReset: (Math.floor(Date.now() / 86_400_000) + 1) * 86_400_000,
      },
    });

    const m = await scrape();
    expect(m.value('exs_connection_info', { connection_id: connectionId })).toBe(1);
    expect(m.find('exs_connection_info', { connection_id: connectionId })[0]?.labels).toMatchObject({
      name: 'Test shop',
      budget_key: budgetKey,
      status: 'needs_reauth',
    });
    expect(m.value('exs_connection_needs_reauth', { connection_id: connectionId })).toBe(1);
    expect(m.value('exs_connection_paused', { connection_id: connectionId })).toBe(1);
    expect(m.value('exs_sync_records', { connection_id: connectionId, entity: 'items' })).toBe(42);
    const lag = m.value('exs_sync_lag_seconds', { connection_id: connectionId, entity: 'items' }) ?? 0;
    expect(lag).toBeGreaterThanOrEqual(90);
    expect(lag).toBeLessThan(600);
    expect(m.value('exs_orders', { connection_id: connectionId, status: 'accepted' })).toBe(1);
    expect(m.value('exs_orders', { connection_id: connectionId, status: 'submitted' })).toBe(0);
    expect(m.value('exs_queue_jobs', { queue: 'orders', state: 'waiting' })).toBe(1);
    expect(m.value('exs_queue_jobs', { queue: 'sync', state: 'failed' })).toBe(0);

    const budget = { budget_key: budgetKey, window: 'minute' };
    expect(m.value('exs_budget_used', { ...budget, lane: 'sync' })).toBe(1);
    expect(m.value('exs_budget_used', { ...budget, lane: 'order' })).toBe(1);
    expect(m.value('exs_budget_limit', budget)).toBe(60);
    expect(m.value('exs_budget_remaining', budget)).toBe(58);
    expect(m.value('exs_budget_sync_share', budget)).toBe(50);
    // Exact's header said 10 calls of the day are gone: our own 2 and 8 made elsewhere.
    const day = { budget_key: budgetKey, window: 'day' };
    expect(m.value('exs_budget_remaining', day)).toBe(4990);
    expect(m.value('exs_budget_used', { ...day, lane: 'unattributed' })).toBe(8);
    expect(m.value('exs_metrics_source_up', { source: 'redis' })).toBe(1);
  });

  it('still answers while Redis is down, with Postgres gauges and the Redis source marked down', async () => {
    const down = await buildApp(
      testConfig({ DATABASE_URL: db.url, REDIS_URL: 'redis://127.0.0.1:1', REDIS_PREFIX: prefix }),
    );
    try {
      const m = await scrape(down);
      expect(m.value('exs_metrics_source_up', { source: 'redis' })).toBe(0);
      expect(m.value('exs_metrics_source_up', { source: 'postgres' })).toBe(1);
      expect(m.find('exs_connection_info').length).toBeGreaterThan(0);
      expect(m.find('exs_queue_jobs')).toEqual([]);
    } finally {
      await down.close();
    }
  });
});
