import { readFileSync } from 'node:fs';
import { ENTITY_NAMES } from '@exact-sync/core';
import {
  createTestDatabase,
  deleteRedisKeys,
  onboard,
  parsePrometheus,
  repoRoot,
  STACK_METRICS_TOKEN,
  type Stack,
  startStack,
  storefrontKey,
  type TestDatabase,
  testRedisUrl,
  uniqueName,
  waitFor,
} from '@exact-sync/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { metricNamesOf } from './promql-names.ts';

// The Grafana dashboard and the Prometheus alerts query only metrics that a running api and worker really export.
const DIVISION = 100001;
const ITEMS = 40;
const prefix = uniqueName('dashboard');
let db: TestDatabase;
let stack: Stack;
let connectionId = '';

interface Panel {
  title?: string;
  targets?: { expr?: string }[];
  panels?: Panel[];
}

function dashboardQueries(): string[] {
  const dashboard = JSON.parse(
    readFileSync(`${repoRoot}infra/grafana/exact-sync.dashboard.json`, 'utf8'),
  ) as { panels: Panel[]; templating: { list: { query?: string | { query: string } }[] } };
  const exprs = (panels: Panel[]): string[] =>
    panels.flatMap((p) => [...(p.targets ?? []).map((t) => t.expr ?? ''), ...exprs(p.panels ?? [])]);
  const variables = dashboard.templating.list.map((v) => (typeof v.query === 'object' ? v.query.query : ''));
  return [...exprs(dashboard.panels), ...variables].filter((q) => q !== '');
}

function alertQueries(): string[] {
  const rules = parse(readFileSync(`${repoRoot}infra/prometheus/alerts.yml`, 'utf8')) as {
    groups: { rules: { expr: string }[] }[];
  };
  return rules.groups.flatMap((g) => g.rules.map((r) => r.expr));
}

// With the scraper's read-only token, as Prometheus scrapes them.
async function scrape(url: string) {
  const res = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${STACK_METRICS_TOKEN}` } });
  expect(res.status).toBe(200);
  return parsePrometheus(await res.text());
}

beforeAll(async () => {
  db = await createTestDatabase('dashboard');
  stack = await startStack({
    databaseUrl: db.url,
    redisUrl: testRedisUrl(),
    redisPrefix: prefix,
    simEnv: {
      SIM_ITEMS: String(ITEMS),
      SIM_ACCOUNTS: '10',
      SIM_MINUTE_LIMIT: '600',
      SIM_DAY_LIMIT: '100000',
    },
  });
  connectionId = await onboard(stack, { division: DIVISION });
  await waitFor('initial sync', async () => {
    const status = await stack.call('GET', `/v1/connections/${connectionId}/status`);
    const entities = (status.body as { entities?: Record<string, { phase: string }> }).entities ?? {};
    return ENTITY_NAMES.every((e) => entities[e]?.phase === 'incremental');
  });
  const [account] = await stack.simControl.dataset(DIVISION, 'accounts');
  const [item] = await stack.simControl.dataset(DIVISION, 'items');
  const placed = await stack.call('POST', '/v1/orders', {
    token: await storefrontKey(stack, connectionId, 'b2b'),
    body: {
      reference: 'DASH-1',
      customer: { code: String(account?.Code).trim() },
      lines: [{ sku: String(item?.Code), quantity: '1' }],
    },
  });
  expect(placed.status).toBe(202);
  const orderId = (placed.body as { id: string }).id;
  await waitFor('order submitted', async () => {
    const order = await stack.call('GET', `/v1/orders/${orderId}`);
    return (order.body as { status?: string }).status === 'submitted';
  });
});

afterAll(async () => {
  await stack?.stop();
  await db?.drop();
  await deleteRedisKeys(`{${prefix}}`);
  await deleteRedisKeys(`${prefix}:`);
});

describe('Grafana dashboard and Prometheus alerts against a running stack', () => {
  it('query only metric names that the api and the worker export', async () => {
    const workerUrl = /worker listening on (http:\/\/\S+)/.exec(stack.workers[0]?.output() ?? '')?.[1];
    if (!workerUrl) throw new Error('worker address not found in its output');
    const [api, worker] = await Promise.all([scrape(stack.apiUrl), scrape(workerUrl)]);
    const exported = new Set([...api.families, ...worker.families]);
    // Histograms are queried through their _bucket, _sum and _count series.
    const family = (name: string) => (exported.has(name) ? name : name.replace(/_(bucket|sum|count)$/, ''));

    const queries = [...dashboardQueries(), ...alertQueries()];
    const queried = [...new Set(queries.flatMap(metricNamesOf))].sort();
    expect(queried).toEqual(expect.arrayContaining(['exs_budget_used', 'exs_connection_needs_reauth']));
    const missing = queried.filter((name) => !exported.has(family(name)));
    expect(missing).toEqual([]);

    // And what the panels show is there after a sync and an order.
    const budgetKey = api.find('exs_connection_info', { connection_id: connectionId })[0]?.labels.budget_key;
    expect(budgetKey).toMatch(new RegExp(`/${DIVISION}$`));
    expect(
      api.value('exs_budget_used', { budget_key: budgetKey ?? '', window: 'day', lane: 'sync' }),
    ).toBeGreaterThan(0);
    expect(api.value('exs_sync_records', { connection_id: connectionId, entity: 'items' })).toBe(ITEMS);
    expect(api.value('exs_sync_lag_seconds', { connection_id: connectionId, entity: 'items' })).toBeDefined();
    expect(api.value('exs_orders', { connection_id: connectionId, status: 'submitted' })).toBe(1);
    expect(api.find('exs_queue_jobs', { queue: 'sync' }).length).toBeGreaterThan(0);
    const syncCalls = worker.find('exs_exact_calls_total', { lane: 'sync', status: '200' });
    expect(syncCalls.reduce((sum, s) => sum + s.value, 0)).toBeGreaterThan(0);
    expect(worker.value('exs_order_accepted_to_submitted_seconds_count')).toBe(1);
    expect(
      worker.find('exs_job_duration_seconds_count', { job: 'sync.entity', outcome: 'completed' }),
    ).not.toEqual([]);
  });
});
