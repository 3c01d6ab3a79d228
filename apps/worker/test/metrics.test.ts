import { parsePrometheus } from '@exact-sync/testkit';
import type { Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { pino } from 'pino';
import type postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { createHealthServer } from '../src/health.server.ts';
import { type JobOutcome, processorFor } from '../src/jobs/dispatch.ts';
import type { HandlerMap } from '../src/jobs/handler.ts';
import { createHandlers } from '../src/jobs/handlers.ts';
import { createWorkerMetrics } from '../src/metrics.ts';
import type { WorkerServices } from '../src/services.ts';

const ADMIN_TOKEN = 'worker-admin-token-0123456789';
const METRICS_TOKEN = 'worker-metrics-token-0123456789';
const log = pino({ level: 'silent' });
const metrics = createWorkerMetrics();
// `/metrics` reads neither Postgres nor Redis.
const server = createHealthServer({
  sql: {} as postgres.Sql,
  redis: {} as Redis,
  log,
  metrics: metrics.registry,
  adminToken: ADMIN_TOKEN,
  metricsToken: METRICS_TOKEN,
});

afterAll(() => server.close());

async function scrape(authorization?: string) {
  return server.inject({ method: 'GET', url: '/metrics', headers: authorization ? { authorization } : {} });
}

async function scraped() {
  const res = await scrape(`Bearer ${ADMIN_TOKEN}`);
  expect(res.statusCode).toBe(200);
  return parsePrometheus(res.body);
}

function fakeJob(orderId: string): Job {
  return {
    name: 'order.submit',
    data: { orderId },
    id: orderId,
    attemptsMade: 0,
    opts: { attempts: 3 },
    moveToDelayed: async () => {},
  } as unknown as Job;
}

describe('worker /metrics', () => {
  it('wants the admin token, as bearer or as the Basic auth password', async () => {
    expect((await scrape()).statusCode).toBe(401);
    expect((await scrape('Bearer wrong-token')).statusCode).toBe(401);
    const basic = `Basic ${Buffer.from(`operator:${ADMIN_TOKEN}`).toString('base64')}`;
    const res = await scrape(basic);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    expect(
      parsePrometheus(res.body).value('process_cpu_user_seconds_total', { app: 'worker' }),
    ).toBeGreaterThan(0);
  });

  it('takes the read-only METRICS_TOKEN too; unset, only the admin token opens it', async () => {
    expect((await scrape(`Bearer ${METRICS_TOKEN}`)).statusCode).toBe(200);
    const basic = `Basic ${Buffer.from(`prometheus:${METRICS_TOKEN}`).toString('base64')}`;
    expect((await scrape(basic)).statusCode).toBe(200);
    const refused = await scrape(`Bearer ${METRICS_TOKEN.slice(0, -1)}`);
    expect(refused.statusCode).toBe(401);
    expect(refused.json().error.message).toBe('the metrics token or an operator token is required');

    const adminOnly = createHealthServer({
      sql: {} as postgres.Sql,
      redis: {} as Redis,
      log,
      metrics: metrics.registry,
      adminToken: ADMIN_TOKEN,
    });
    try {
      const as = (authorization: string) =>
        adminOnly.inject({ method: 'GET', url: '/metrics', headers: { authorization } });
      expect((await as(`Bearer ${METRICS_TOKEN}`)).statusCode).toBe(401);
      // An empty Basic password is no token at all.
      expect((await as(`Basic ${Buffer.from('prometheus:').toString('base64')}`)).statusCode).toBe(401);
      expect((await as(`Bearer ${ADMIN_TOKEN}`)).statusCode).toBe(200);
    } finally {
      await adminOnly.close();
    }
  });

  it('counts Exact calls by endpoint, status and lane, 429s and calls the error guard refused', async () => {
    const call = { method: 'GET', lane: 'sync', durationMs: 120 } as const;
    metrics.exact.onResponse?.({ ...call, endpoint: 'sync/logistics/items', status: 200 });
    metrics.exact.onResponse?.({ ...call, endpoint: 'sync/logistics/items', status: 200 });
    metrics.exact.onResponse?.({ ...call, endpoint: 'sync/logistics/items', status: 429 });
    metrics.exact.onResponse?.({
      ...call,
      endpoint: 'salesorder/salesorders',
      lane: 'order',
      status: 'network',
    });
    metrics.exact.onGuardBlocked?.('logistics/items', 'order');
    const m = await scraped();
    const calls = (labels: Record<string, string>) =>
      m.value('exs_exact_calls_total', { app: 'worker', ...labels });
    expect(calls({ endpoint: 'sync/logistics/items', lane: 'sync', status: '200' })).toBe(2);
    expect(calls({ endpoint: 'sync/logistics/items', lane: 'sync', status: '429' })).toBe(1);
    expect(calls({ endpoint: 'salesorder/salesorders', lane: 'order', status: 'network' })).toBe(1);
    expect(m.value('exs_exact_rate_limited_total', { endpoint: 'sync/logistics/items' })).toBe(1);
    expect(m.value('exs_error_guard_blocked_total', { endpoint: 'logistics/items' })).toBe(1);
    expect(m.value('exs_exact_call_duration_seconds_count', { lane: 'sync' })).toBe(3);
  });

  it('times jobs by outcome: completed, delayed for budget, failed', async () => {
    const seen: JobOutcome[] = [];
    const base = createHandlers({} as WorkerServices);
    const behaviours: HandlerMap['order.submit'][] = [
      async () => {},
      async (_payload, context) => context.delayUntil(Date.now() + 1000),
      async () => {
        throw new Error('Exact is down');
      },
    ];
    for (const behaviour of behaviours) {
      const handlers: HandlerMap = { ...base, 'order.submit': behaviour };
      const processor = processorFor('orders', handlers, log, (job, outcome, seconds) => {
        metrics.jobSettled(job, outcome, seconds);
        seen.push(outcome);
      });
      await processor(fakeJob(crypto.randomUUID())).catch(() => undefined);
    }
    expect(seen).toEqual(['completed', 'delayed', 'failed']);
    const m = await scraped();
    for (const outcome of seen) {
      expect(m.value('exs_job_duration_seconds_count', { job: 'order.submit', outcome })).toBe(1);
    }
  });

  it('times sync pages from arrival to commit and counts their records, by entity', async () => {
    metrics.sync.pageCommitted('items', 1000, 0.04);
    metrics.sync.pageCommitted('items', 250, 0.01);
    const m = await scraped();
    expect(m.value('exs_sync_page_commit_seconds_count', { entity: 'items' })).toBe(2);
    expect(m.value('exs_sync_page_commit_seconds_sum', { entity: 'items' })).toBeCloseTo(0.05);
    expect(m.value('exs_sync_records_committed_total', { entity: 'items' })).toBe(1250);
  });

  it('observes the time from acceptance to submission of orders', async () => {
    metrics.orderSubmitted(0.8);
    metrics.orderSubmitted(3);
    const m = await scraped();
    expect(m.value('exs_order_accepted_to_submitted_seconds_bucket', { le: '1' })).toBe(1);
    expect(m.value('exs_order_accepted_to_submitted_seconds_count')).toBe(2);
  });

  it('counts callback deliveries by outcome', async () => {
    for (const outcome of ['retry', 'retry', 'given_up', 'delivered', 'held'] as const) {
      metrics.callbackSettled(outcome);
    }
    const m = await scraped();
    expect(m.value('exs_callback_deliveries_total', { outcome: 'retry' })).toBe(2);
    expect(m.value('exs_callback_deliveries_total', { outcome: 'given_up' })).toBe(1);
    expect(m.value('exs_callback_deliveries_total', { outcome: 'delivered' })).toBe(1);
    expect(m.value('exs_callback_deliveries_total', { outcome: 'held' })).toBe(1);
  });
});
