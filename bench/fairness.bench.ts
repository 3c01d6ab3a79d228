/**
 * Fairness of the sync lane (issue #9): 1, 2 and 4 worker processes serve 1, 10 and 100 connections, each on its
 * own simulated division (50 items), in a compressed clock. The planner polls every dataset as often as it may
 * (SYNC_MIN_INTERVAL_MS=100, a day budget that never binds), so every connection wants more than its sync share
 * of each window. Over whole windows it prints the share of each connection's sync budget used (min, median,
 * max, Jain's fairness index), 429s, and, for orders placed through the api meanwhile, accepted→submitted latency.
 * `--quick`: 1 worker × 1 and 10 connections, 2 workers × 10.
 *
 *   pnpm bench fairness [--quick]
 */
import { onboard } from '@exact-sync/testkit';
import { startBenchStack } from './lib/bench-stack.ts';
import { type Cleanup, runBench } from './lib/cleanup.ts';
import { latencySummary, pct, printTable } from './lib/figures.ts';
import { placeOrder, type Storefront, settleOrders, storefrontFor } from './lib/orders.ts';
import { initialSyncDone } from './lib/sync-check.ts';
import { sampleWindows } from './lib/windows.ts';

const quick = process.argv.includes('--quick');
const CASES: readonly { workers: number; connections: number }[] = quick
  ? [
      { workers: 1, connections: 1 },
      { workers: 1, connections: 10 },
      { workers: 2, connections: 10 },
    ]
  : [1, 2, 4].flatMap((workers) => [1, 10, 100].map((connections) => ({ workers, connections })));
const MINUTE_MS = quick ? 3000 : 5000;
const WINDOWS = quick ? 3 : 4;
const MINUTE_LIMIT = 60;
const RESERVE = 10;
const SHARE = MINUTE_LIMIT - RESERVE;
const FIRST_DIVISION = 200001;
const ORDER_CONNECTIONS = 10;
const ORDER_EVERY_MS = 400;

interface CaseResult {
  workers: number;
  connections: number;
  shares: number[];
  callsPerSecond: number;
  rateLimited: number;
  latencies: number[];
  orders: number;
  notSubmitted: number;
}

/** Jain's index: 1 when every connection got the same, 1/n when one got everything. */
function jain(xs: number[]): number {
  const sum = xs.reduce((s, x) => s + x, 0);
  const squares = xs.reduce((s, x) => s + x * x, 0);
  return squares === 0 ? 1 : (sum * sum) / (xs.length * squares);
}

async function runCase(cleanup: Cleanup, workers: number, connections: number): Promise<CaseResult> {
  const divisions = Array.from({ length: connections }, (_, i) => FIRST_DIVISION + i);
  const { stack, handle } = await startBenchStack(cleanup, {
    label: 'fairness',
    workers,
    simEnv: {
      SIM_DIVISIONS: divisions.join(','),
      SIM_ITEMS: '50',
      SIM_ACCOUNTS: '20',
      SIM_MINUTE_MS: String(MINUTE_MS),
      SIM_MINUTE_LIMIT: String(MINUTE_LIMIT),
      SIM_DAY_LIMIT: '10000000',
    },
    env: {
      SYNC_RESERVE_PER_MINUTE: String(RESERVE),
      SYNC_MIN_INTERVAL_MS: '100',
      MAINTENANCE_INTERVAL_MS: '1000',
    },
  });
  const ids: string[] = [];
  for (let i = 0; i < divisions.length; i += 10) {
    ids.push(
      ...(await Promise.all(divisions.slice(i, i + 10).map((division) => onboard(stack, { division })))),
    );
  }
  const deadline = Date.now() + 120_000;
  for (const id of ids) {
    while (!(await initialSyncDone(handle, id))) {
      if (Date.now() > deadline) throw new Error('initial syncs did not finish within 2 minutes');
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  const storefronts: Storefront[] = [];
  for (const [i, id] of ids.slice(0, ORDER_CONNECTIONS).entries()) {
    storefronts.push(await storefrontFor(stack, id, divisions[i] ?? FIRST_DIVISION));
  }

  // Orders arrive all through the measured windows, on the first few connections in turn.
  const orderIds = new Set<string>();
  let placing = true;
  const placer = (async () => {
    for (let n = 0; placing && n < 10_000; n++) {
      const storefront = storefronts[n % storefronts.length];
      if (storefront)
        orderIds.add(await placeOrder(stack.apiUrl, storefront, `FAIR-${workers}-${connections}-${n}`));
      await new Promise((r) => setTimeout(r, ORDER_EVERY_MS * (0.5 + Math.random())));
    }
  })();
  const windows = await sampleWindows(stack.simControl, divisions, MINUTE_MS, WINDOWS);
  placing = false;
  await placer;
  const settled = await settleOrders(stack, orderIds, 60_000);

  const shares = divisions.map((d) => (windows.syncCalls.get(d) ?? 0) / (SHARE * WINDOWS));
  const total = [...windows.syncCalls.values()].reduce((s, n) => s + n, 0);
  return {
    workers,
    connections,
    shares,
    callsPerSecond: total / ((WINDOWS * MINUTE_MS) / 1000),
    rateLimited: (await stack.simControl.stats()).rateLimited,
    latencies: settled.latencies,
    orders: orderIds.size,
    notSubmitted: orderIds.size - (settled.states.submitted ?? 0),
  };
}

await runBench(async (cleanup) => {
  console.log(
    `fairness: windows of ${MINUTE_MS / 1000} s with ${MINUTE_LIMIT} calls per division (sync share ${SHARE}), ` +
      `${WINDOWS} whole windows measured per case; 50 items per division; polling at most every 100 ms; ` +
      `an order every ~${ORDER_EVERY_MS} ms on up to ${ORDER_CONNECTIONS} connections`,
  );
  const results: CaseResult[] = [];
  for (const c of CASES) {
    const scope = cleanup.scope(`${c.workers} workers x ${c.connections} connections`);
    const started = Date.now();
    results.push(await runCase(scope, c.workers, c.connections));
    await scope.run();
    console.log(
      `  ${c.workers} worker(s) x ${c.connections} connection(s) done in ${((Date.now() - started) / 1000).toFixed(0)} s`,
    );
  }
  const pc = (x: number) => `${(100 * x).toFixed(0)} %`;
  console.log('\nshare of each connection’s sync budget used, over the measured windows:');
  printTable(
    [
      'workers',
      'connections',
      'min',
      'median',
      'max',
      'Jain',
      'sync calls/s',
      '429s',
      'orders',
      'order p50',
      'order p99',
      'not submitted',
    ],
    results.map((r) => [
      r.workers,
      r.connections,
      pc(Math.min(...r.shares)),
      pc(pct(r.shares, 50)),
      pc(Math.max(...r.shares)),
      jain(r.shares).toFixed(3),
      r.callsPerSecond.toFixed(1),
      r.rateLimited,
      r.orders,
      `${pct(r.latencies, 50).toFixed(0)} ms`,
      `${pct(r.latencies, 99).toFixed(0)} ms`,
      r.notSubmitted,
    ]),
  );
  for (const r of results) {
    console.log(`order latency, ${r.workers} worker(s) x ${r.connections}: ${latencySummary(r.latencies)}`);
  }
  return results.every((r) => r.rateLimited === 0 && r.notSubmitted === 0);
});
