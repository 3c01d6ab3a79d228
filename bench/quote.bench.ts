/**
 * Quote latency (issue #17): `POST /v1/prices/quote` with 50 lines for a customer on a price list, against the
 * running api (its own process, over HTTP), after the simulator's division is synced. One request at a time, so
 * each figure is one quote's latency; then 8 in flight, for throughput. The worker is stopped before quoting, so
 * the simulator's call count shows that quotes call Exact 0 times (a correctness target, with every answer a 200).
 * `--quick`: 200 items and 200 quotes each way (CI); full: 5,000 items and 4,000 quotes each way.
 *
 *   pnpm bench quote [--quick]
 */
import { onboard, storefrontKey, waitFor } from '@exact-sync/testkit';
import { startBenchStack } from './lib/bench-stack.ts';
import { divisionCalls } from './lib/call-stats.ts';
import { runBench } from './lib/cleanup.ts';
import { latencySummary, num, pct } from './lib/figures.ts';
import { initialSyncDone } from './lib/sync-check.ts';

const quick = process.argv.includes('--quick');
const DIVISION = 100001;
const ITEMS = quick ? 200 : 5_000;
const QUOTES = quick ? 200 : 4_000;
const WARMUP = quick ? 20 : 100;
const LINES = 50;
const IN_FLIGHT = 8;
const TARGET_P99_MS = 20;

await runBench(async (cleanup) => {
  const { stack, handle } = await startBenchStack(cleanup, {
    label: 'quote',
    simEnv: {
      SIM_DIVISIONS: String(DIVISION),
      SIM_ITEMS: String(ITEMS),
      SIM_ACCOUNTS: String(Math.max(40, ITEMS / 5)),
    },
    // One storefront quoting as fast as it can: the per-key limit guards against runaway shops, not this.
    env: { STOREFRONT_RATE_LIMIT_PER_MINUTE: '1000000000' },
  });
  const connectionId = await onboard(stack, { division: DIVISION });
  const key = await storefrontKey(stack, connectionId, 'b2b');
  const [items, accounts, discounts] = await Promise.all([
    stack.simControl.dataset(DIVISION, 'items'),
    stack.simControl.dataset(DIVISION, 'accounts'),
    stack.simControl.dataset(DIVISION, 'volumeDiscounts'),
  ]);
  const customer = accounts.find((a) => a.PriceList !== null && a.Blocked !== true);
  if (!customer) throw new Error('no customer on a price list');
  // The list's items first (so the price-list rule is exercised), then other sales items that are not ended.
  const listed = new Set(discounts.map((d) => d.Item));
  const started = (i: Record<string, unknown>) => Number(/\((-?\d+)\)/.exec(String(i.StartDate))?.[1] ?? 0);
  const forSale = items.filter(
    (i) => i.IsSalesItem === true && i.EndDate === null && started(i) <= Date.now(),
  );
  const chosen = [...forSale.filter((i) => listed.has(i.ID)), ...forSale.filter((i) => !listed.has(i.ID))];
  const lines = chosen
    .slice(0, LINES)
    .map((i, n) => ({ sku: String(i.Code), quantity: String(1 + (n % 12)) }));
  if (lines.length < LINES) throw new Error(`only ${lines.length} items for sale`);
  const body = JSON.stringify({ customer: { code: String(customer.Code).trim() }, lines });
  const post = () =>
    fetch(`${stack.apiUrl}/v1/prices/quote`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body,
    });

  const syncStart = Date.now();
  await waitFor('the initial sync', () => initialSyncDone(handle, connectionId), 600_000, 500);
  let rules: Record<string, number> = {};
  await waitFor(
    'price lists synced',
    async () => {
      const res = await post();
      if (res.status !== 200) return false;
      rules = {};
      for (const l of ((await res.json()) as { lines: Array<{ rule: string }> }).lines)
        rules[l.rule] = (rules[l.rule] ?? 0) + 1;
      return (rules.price_list ?? 0) > 0;
    },
    300_000,
    500,
  );
  console.log(`synced ${num(ITEMS)} items in ${((Date.now() - syncStart) / 1000).toFixed(1)} s`);
  for (const worker of stack.workers) await worker.stop();
  const before = await divisionCalls(stack.simControl, DIVISION);

  const statuses: Record<string, number> = {};
  const timed = async (): Promise<number> => {
    const started = performance.now();
    const res = await post();
    await res.arrayBuffer();
    statuses[res.status] = (statuses[res.status] ?? 0) + 1;
    return performance.now() - started;
  };
  for (let i = 0; i < WARMUP; i++) await timed();
  const sequential: number[] = [];
  for (let i = 0; i < QUOTES; i++) sequential.push(await timed());
  const parallel: number[] = [];
  const parallelStart = performance.now();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      for (let i = 0; i < QUOTES / IN_FLIGHT; i++) parallel.push(await timed());
    }),
  );
  const parallelSeconds = (performance.now() - parallelStart) / 1000;
  const exactCalls = (await divisionCalls(stack.simControl, DIVISION)).total - before.total;

  console.log(
    `\n${LINES}-line quote for a price-list customer (rules of the lines: ${JSON.stringify(rules)})`,
  );
  console.log(`one at a time:   ${latencySummary(sequential)}`);
  console.log(
    `${IN_FLIGHT} in flight:     ${latencySummary(parallel)}, ${num(parallel.length / parallelSeconds)} quotes/s`,
  );
  const p99 = pct(sequential, 99);
  console.log(
    `target p99 < ${TARGET_P99_MS} ms one at a time: ${p99 < TARGET_P99_MS ? 'met' : 'missed'} (${p99.toFixed(1)} ms)`,
  );
  console.log(`answers: ${JSON.stringify(statuses)}; Exact calls while quoting: ${exactCalls}`);
  const total = WARMUP + QUOTES + parallel.length;
  return statuses['200'] === total && exactCalls === 0;
});
