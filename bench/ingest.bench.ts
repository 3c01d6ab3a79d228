/**
 * Order ingest (issues #7, #9).
 * 1. `POST /v1/orders` throughput and latency with autocannon (50 connections, orders of 2 lines, a new reference
 *    in every request) against the api, next to a bare Fastify route and the per-request floor (validate, one
 *    transaction for order and lines, one BullMQ add: bench/ingest-floor.ts), each run three times in turn; medians
 *    and api/floor. The api runs without a worker, so the figures are the api's own. The api's memory (RSS of its
 *    process group) is sampled during its runs.
 * 2. The worker's records per second from sync page to committed rows, with a rate limit that never binds.
 * 3. Accepted→submitted latency of orders placed while a large initial sync keeps the sync lane at its share.
 * `--quick`: 5 s load runs, 20k items; else 20 s and 100k. `--built`: part 1's api runs as the image runs it
 * (`pnpm build`, node on dist/) instead of from source with tsx, which holds 80 to 90 MiB more (see startup).
 *
 *   pnpm bench ingest [--quick] [--built]
 */

import { ENTITY_NAMES } from '@exact-sync/core';
import { orders } from '@exact-sync/db';
import {
  deleteRedisKeys,
  onboard,
  parsePrometheus,
  STACK_METRICS_TOKEN,
  startEntry,
  uniqueName,
} from '@exact-sync/testkit';
import { count, like } from 'drizzle-orm';
import { buildAll } from '../scripts/bundle.ts';
import { startBenchStack } from './lib/bench-stack.ts';
import { divisionCalls } from './lib/call-stats.ts';
import { type Cleanup, runBench } from './lib/cleanup.ts';
import { latencySummary, num, printTable } from './lib/figures.ts';
import { observeFullSync } from './lib/full-sync.ts';
import { type LoadResult, postLoad } from './lib/load.ts';
import { orderBody, placeOrder, settleOrders, storefrontFor } from './lib/orders.ts';
import { sampleGroupMemory } from './lib/process-memory.ts';
import { benchRedisUrl } from './lib/services.ts';
import { initialSyncDone } from './lib/sync-check.ts';
import { sampleWindows } from './lib/windows.ts';

const quick = process.argv.includes('--quick');
const built = process.argv.includes('--built');
const LOAD_SECONDS = quick ? 5 : 20;
const WARMUP_SECONDS = quick ? 1 : 3;
const CONNECTIONS = 50;
const RUNS = 3;
const ITEMS = quick ? 20_000 : 100_000;
const MINUTE_MS = 10_000;
const BACKLOG_ORDERS_MS = quick ? 15_000 : 60_000;
const ORDER_EVERY_MS = 1000;
const [FIRST, SECOND] = [100001, 100002];

/** The median of some numbers (the middle one of three runs). */
const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] ?? 0;

/**
 * Part 1: the api next to a bare Fastify route and the per-request floor (bench/ingest-floor.ts), each run RUNS
 * times in turn under the same load. Answers whether every 202 of the api is an order in Postgres.
 */
async function ingest(cleanup: Cleanup): Promise<boolean> {
  const { stack, handle, databaseUrl } = await startBenchStack(cleanup, {
    label: 'ingest',
    workers: 0,
    simEnv: { SIM_DIVISIONS: String(FIRST), SIM_ITEMS: '200', SIM_ACCOUNTS: '50' },
    // The per-key request limit guards against runaway storefronts; this load is one storefront on purpose.
    env: { STOREFRONT_RATE_LIMIT_PER_MINUTE: '1000000000' },
    built,
  });
  const connectionId = await onboard(stack, { division: FIRST });
  const storefront = await storefrontFor(stack, connectionId, FIRST);
  const bare = await startEntry('bench/bare-fastify.ts', { env: { PORT: '0' }, ready: /listening on (\S+)/ });
  cleanup.defer('stop the bare Fastify server', () => bare.stop());
  const floorPrefix = uniqueName('ingest_floor').replace(/^t_/, 'bench_');
  const floor = await startEntry('bench/ingest-floor.ts', {
    env: {
      PORT: '0',
      DATABASE_URL: databaseUrl,
      REDIS_URL: benchRedisUrl(),
      REDIS_PREFIX: floorPrefix,
      CONNECTION_ID: connectionId,
    },
    ready: /listening on (\S+)/,
  });
  cleanup.defer('stop the floor server and delete its Redis keys', async () => {
    await floor.stop();
    await deleteRedisKeys(`{${floorPrefix}}`, benchRedisUrl());
  });

  const run = Date.now().toString(36);
  let n = 0;
  const targets = [
    { label: 'bare Fastify route', url: bare.match, prefix: 'B' },
    { label: 'per-request floor', url: floor.match, prefix: 'F' },
    { label: 'api POST /v1/orders', url: stack.apiUrl, prefix: 'I' },
  ] as const;
  const load = (target: (typeof targets)[number], seconds: number) =>
    postLoad({
      label: target.label,
      url: target.url,
      path: '/v1/orders',
      headers: { authorization: `Bearer ${storefront.key}` },
      body: () => orderBody(storefront, `${target.prefix}${run}-${(n++).toString(36)}`, 2),
      connections: CONNECTIONS,
      seconds,
    });
  const results = new Map<string, LoadResult[]>(targets.map((t) => [t.label, []]));
  let apiAccepted = 0;
  let apiErrors = 0;
  for (const target of targets) {
    const warm = await load(target, WARMUP_SECONDS);
    if (target.prefix === 'I') apiAccepted += warm.statuses['202'] ?? 0;
  }
  const apiMemory: number[] = [];
  for (let round = 0; round < RUNS; round++) {
    for (const target of targets) {
      const memory = target.prefix === 'I' ? sampleGroupMemory(stack.api.child.pid ?? 0, 250) : undefined;
      const result = await load(target, LOAD_SECONDS);
      apiMemory.push(...(memory?.stop() ?? []));
      results.get(target.label)?.push(result);
      if (target.prefix === 'I') {
        apiAccepted += result.statuses['202'] ?? 0;
        apiErrors += result.errors;
      }
    }
  }
  console.log(
    `\n1. ingest: ${CONNECTIONS} connections, orders with 2 lines, ${RUNS} runs of ${LOAD_SECONDS} s per target ` +
      `in turn after a ${WARMUP_SECONDS} s warm-up each; medians of the runs`,
  );
  const medians = targets.map((t) => {
    const runs = results.get(t.label) ?? [];
    return {
      label: t.label,
      rps: median(runs.map((r) => r.requestsPerSecond)),
      p50: median(runs.map((r) => r.p50)),
      p99: median(runs.map((r) => r.p99)),
      runs,
    };
  });
  printTable(
    ['target', 'req/s (median)', 'req/s of the runs', 'p50', 'p99', 'errors', 'statuses'],
    medians.map((m) => [
      m.label,
      num(m.rps),
      m.runs.map((r) => num(r.requestsPerSecond)).join(' / '),
      `${m.p50} ms`,
      `${m.p99} ms`,
      m.runs.reduce((s, r) => s + r.errors, 0),
      Object.entries(
        m.runs.reduce<Record<string, number>>((acc, r) => {
          for (const [code, count] of Object.entries(r.statuses)) acc[code] = (acc[code] ?? 0) + count;
          return acc;
        }, {}),
      )
        .map(([code, count]) => `${code}: ${count}`)
        .join(', '),
    ]),
  );
  const [bareM, floorM, apiM] = medians;
  if (bareM && floorM && apiM) {
    console.log(
      `api / floor: ${(apiM.rps / Math.max(1e-9, floorM.rps)).toFixed(2)} of the req/s (target ≥ 2), ` +
        `p99 ${apiM.p99} ms (target ≤ 50 ms); floor / bare: ${(floorM.rps / Math.max(1e-9, bareM.rps)).toFixed(2)}`,
    );
  }
  const rss = [...apiMemory].sort((x, y) => x - y);
  const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;
  console.log(
    `api RSS during its runs (${built ? 'node on dist/' : 'tsx, source'}; process group, every 250 ms): median ${mb(median(rss))}, peak ${mb(rss.at(-1) ?? 0)} ` +
      '(target ≤ 200 MB)',
  );
  // autocannon stops at the deadline without waiting for requests in flight; the api still accepts those.
  const [row] = await handle.db
    .select({ n: count() })
    .from(orders)
    .where(like(orders.reference, `I${run}-%`));
  const stored = row?.n ?? 0;
  const inFlight = (RUNS + 1) * CONNECTIONS;
  console.log(
    `api orders in Postgres: ${num(stored)}; 202s seen by autocannon: ${num(apiAccepted)} ` +
      `(+${stored - apiAccepted} in flight when the runs stopped, at most ${inFlight})`,
  );
  return stored >= apiAccepted && stored <= apiAccepted + inFlight && apiErrors === 0;
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
  if (built) await buildAll();
  const first = cleanup.scope('ingest stack');
  const ingestOk = await ingest(first);
  await first.run();
  const second = cleanup.scope('backlog stack');
  const backlogOk = await syncAndBacklog(second);
  await second.run();
  return ingestOk && backlogOk;
});
