/**
 * Order ingest (issues #7, #9).
 * 1. `POST /v1/orders` throughput and latency with autocannon (10 connections, a new reference in every request)
 *    against the api, next to a bare Fastify route in the same run; the api runs without a worker, so the figures
 *    are the api's own (validate, insert order and lines, enqueue).
 * 2. The worker's records per second from sync page to committed rows, with a rate limit that never binds.
 * 3. Accepted→submitted latency of orders placed while a large initial sync keeps the sync lane at its share.
 * `--quick`: 5 s load runs, 20k items.
 *
 *   pnpm bench ingest [--quick]
 */

import { ENTITY_NAMES } from '@exact-sync/core';
import { orders } from '@exact-sync/db';
import { onboard, parsePrometheus, STACK_METRICS_TOKEN, startEntry } from '@exact-sync/testkit';
import { count } from 'drizzle-orm';
import { startBenchStack } from './lib/bench-stack.ts';
import { divisionCalls } from './lib/call-stats.ts';
import { type Cleanup, runBench } from './lib/cleanup.ts';
import { latencySummary, num, printTable } from './lib/figures.ts';
import { observeFullSync } from './lib/full-sync.ts';
import { type LoadResult, postLoad } from './lib/load.ts';
import { orderBody, placeOrder, settleOrders, storefrontFor } from './lib/orders.ts';
import { initialSyncDone } from './lib/sync-check.ts';
import { sampleWindows } from './lib/windows.ts';

const quick = process.argv.includes('--quick');
const LOAD_SECONDS = quick ? 5 : 20;
const WARMUP_SECONDS = quick ? 1 : 3;
const CONNECTIONS = 10;
const ITEMS = quick ? 20_000 : 100_000;
const MINUTE_MS = 10_000;
const BACKLOG_ORDERS_MS = quick ? 15_000 : 60_000;
const ORDER_EVERY_MS = 1000;
const [FIRST, SECOND] = [100001, 100002];

/** Part 1: the api next to a bare Fastify route. Answers whether every 202 is an order in Postgres. */
async function ingest(cleanup: Cleanup): Promise<boolean> {
  const { stack, handle } = await startBenchStack(cleanup, {
    label: 'ingest',
    workers: 0,
    simEnv: { SIM_DIVISIONS: String(FIRST), SIM_ITEMS: '200', SIM_ACCOUNTS: '50' },
    // The per-key request limit guards against runaway storefronts; this load is one storefront on purpose.
    env: { STOREFRONT_RATE_LIMIT_PER_MINUTE: '1000000000' },
  });
  const connectionId = await onboard(stack, { division: FIRST });
  const storefront = await storefrontFor(stack, connectionId, FIRST);
  const bare = await startEntry('bench/bare-fastify.ts', { env: { PORT: '0' }, ready: /listening on (\S+)/ });
  cleanup.defer('stop the bare Fastify server', () => bare.stop());

  const run = Date.now().toString(36);
  let n = 0;
  const load = (label: string, url: string, seconds: number) =>
    postLoad({
      label,
      url,
      path: '/v1/orders',
      headers: { authorization: `Bearer ${storefront.key}` },
      body: () => orderBody(storefront, `I${run}-${(n++).toString(36)}`),
      connections: CONNECTIONS,
      seconds,
    });
  const results: LoadResult[] = [];
  const accepted: number[] = [];
  for (const [label, url] of [
    ['bare Fastify route', bare.match],
    ['api POST /v1/orders', stack.apiUrl],
  ] as const) {
    accepted.push((await load(label, url, WARMUP_SECONDS)).statuses['202'] ?? 0);
    const result = await load(label, url, LOAD_SECONDS);
    accepted.push(result.statuses['202'] ?? 0);
    results.push(result);
  }
  console.log(
    `\n1. ingest: ${CONNECTIONS} connections, ${LOAD_SECONDS} s each after a ${WARMUP_SECONDS} s warm-up`,
  );
  printTable(
    ['target', 'req/s', 'requests', 'p50', 'p99', 'max', 'errors', 'statuses'],
    results.map((r) => [
      r.label,
      num(r.requestsPerSecond),
      num(r.total),
      `${r.p50} ms`,
      `${r.p99} ms`,
      `${r.max} ms`,
      r.errors,
      Object.entries(r.statuses)
        .map(([s, c]) => `${s}: ${c}`)
        .join(', '),
    ]),
  );
  const [bareRun, apiRun] = results;
  if (bareRun && apiRun) {
    console.log(
      `api / bare: ${(apiRun.requestsPerSecond / bareRun.requestsPerSecond).toFixed(2)} of the req/s, ` +
        `p50 ${(apiRun.p50 / Math.max(1, bareRun.p50)).toFixed(1)}x, p99 ${(apiRun.p99 / Math.max(1, bareRun.p99)).toFixed(1)}x`,
    );
  }
  // autocannon stops at the deadline without waiting for requests in flight; the api still accepts those.
  const [row] = await handle.db.select({ n: count() }).from(orders);
  const stored = row?.n ?? 0;
  const apiAccepted = accepted.slice(2).reduce((s, x) => s + x, 0);
  console.log(
    `orders in Postgres: ${num(stored)}; 202s seen by autocannon: ${num(apiAccepted)} ` +
      `(+${stored - apiAccepted} in flight when the runs stopped, at most ${2 * CONNECTIONS})`,
  );
  return stored >= apiAccepted && stored <= apiAccepted + 2 * CONNECTIONS && (apiRun?.errors ?? 1) === 0;
}

/** Parts 2 and 3 on one stack: an unthrottled full sync, then orders during a budget-bound one. */
async function syncAndBacklog(cleanup: Cleanup): Promise<boolean> {
  const { stack, handle } = await startBenchStack(cleanup, {
    label: 'backlog',
    simEnv: {
      SIM_DIVISIONS: `${FIRST},${SECOND}`,
      SIM_ITEMS: String(ITEMS),
      SIM_ACCOUNTS: String(ITEMS / 10),
      SIM_MINUTE_MS: String(MINUTE_MS),
      SIM_MINUTE_LIMIT: '1000000',
      SIM_DAY_LIMIT: '5000',
    },
  });
  const sim = stack.simControl;
  const startedAt = Date.now();
  const first = await onboard(stack, { division: FIRST });
  const full = await observeFullSync({
    handle,
    sim,
    connectionId: first,
    division: FIRST,
    minuteMs: MINUTE_MS,
    startedAt,
    timeoutMs: 10 * 60_000,
  });
  const records = full.entities.reduce((s, e) => s + e.records, 0);
  const seconds = Math.max(...full.entities.map((e) => e.doneMs)) / 1000;
  const pages = full.entities.reduce((s, e) => s + e.calls, 0);
  console.log(
    `\n2. sync throughput, no binding limit: ${num(records)} records in ${pages} pages in ${seconds.toFixed(1)} s = ` +
      `${num(records / seconds)} records/s (${(pages / seconds).toFixed(1)} pages/s), from onboarding to the last commit`,
  );

  // Inside the worker: from each page's arrival to the commit of its rows and cursor (its own metric).
  const worker = stack.workers[0];
  if (worker) {
    const res = await fetch(`${worker.match}/metrics`, {
      headers: { authorization: `Bearer ${STACK_METRICS_TOKEN}` },
    });
    const scrape = parsePrometheus(await res.text());
    const rows = ENTITY_NAMES.map((entity) => {
      const records = scrape.value('exs_sync_records_committed_total', { entity }) ?? 0;
      const seconds = scrape.value('exs_sync_page_commit_seconds_sum', { entity }) ?? 0;
      const pages = scrape.value('exs_sync_page_commit_seconds_count', { entity }) ?? 0;
      return { entity, records, seconds, pages };
    });
    const all = rows.reduce((a, r) => ({ records: a.records + r.records, seconds: a.seconds + r.seconds }), {
      records: 0,
      seconds: 0,
    });
    console.log(
      'page to commit inside the worker (exs_sync_page_commit_seconds, exs_sync_records_committed_total):',
    );
    printTable(
      ['entity', 'records', 'pages', 'ms/page', 'records/s'],
      [
        ...rows.map((r) => [
          r.entity,
          num(r.records),
          r.pages,
          ((1000 * r.seconds) / Math.max(1, r.pages)).toFixed(1),
          num(r.records / Math.max(1e-9, r.seconds)),
        ]),
        ['all', num(all.records), '', '', num(all.records / Math.max(1e-9, all.seconds))],
      ],
    );
  }

  // From the next window on, Exact's 60 calls a minute (in 10 s minutes): the second division's initial sync wants
  // far more than that, so the sync lane runs at its share while orders arrive.
  await sim.config({ minuteLimit: 60 });
  await new Promise((r) => setTimeout(r, MINUTE_MS - (Date.now() % MINUTE_MS) + 50));
  const second = await onboard(stack, { division: SECOND });
  const storefront = await storefrontFor(stack, second, SECOND);
  const before = await divisionCalls(sim, SECOND);
  const ids = new Set<string>();
  const until = Date.now() + BACKLOG_ORDERS_MS;
  const windows = sampleWindows(
    sim,
    [SECOND],
    MINUTE_MS,
    Math.max(1, Math.floor(BACKLOG_ORDERS_MS / MINUTE_MS) - 1),
  );
  for (let n = 0; Date.now() < until && n < 10_000; n++) {
    ids.add(await placeOrder(stack.apiUrl, storefront, `BKL-${n}`));
    await new Promise((r) => setTimeout(r, ORDER_EVERY_MS * (0.5 + Math.random())));
  }
  const stillSyncing = !(await initialSyncDone(handle, second));
  const measured = await windows;
  const settled = await settleOrders(stack, ids, 120_000);
  const after = await divisionCalls(sim, SECOND);
  const syncShare = 50 * Math.max(1, Math.floor(BACKLOG_ORDERS_MS / MINUTE_MS) - 1);
  console.log(
    `\n3. orders during a sync backlog (windows of ${MINUTE_MS / 1000} s, 60 calls, sync share 50): ` +
      `${ids.size} orders, one every ~${ORDER_EVERY_MS} ms; initial sync ${stillSyncing ? 'still running' : 'finished'} ` +
      'when the last order arrived',
  );
  console.log(
    `sync calls in the measured windows: ${measured.syncCalls.get(SECOND) ?? 0} of ${syncShare} ` +
      `(${((100 * (measured.syncCalls.get(SECOND) ?? 0)) / syncShare).toFixed(0)} % of the share)`,
  );
  console.log(
    `accepted→submitted: ${latencySummary(settled.latencies)}; states ${JSON.stringify(settled.states)}`,
  );
  const diff = [...after.byEndpoint]
    .map(([e, c]) => `${e} ${c - (before.byEndpoint.get(e) ?? 0)}`)
    .join(', ');
  console.log(`calls of the second division meanwhile: ${diff}; 429s: ${after.rateLimited}`);
  return after.rateLimited === 0 && (settled.states.submitted ?? 0) === ids.size;
}

await runBench(async (cleanup) => {
  const first = cleanup.scope('ingest stack');
  const ingestOk = await ingest(first);
  await first.run();
  const second = cleanup.scope('backlog stack');
  const backlogOk = await syncAndBacklog(second);
  await second.run();
  return ingestOk && backlogOk;
});
