/**
 * API calls per record (issues #6, #9). For 10k, 100k and 250k items with their stock, prices and accounts (10 % of
 * the items), a real api + worker onboards a simulated division over OAuth and syncs it:
 * - the calls of each entity's full sync against the minimum ceil(N/1000), and against a naive client that pages
 *   the CRUD endpoints 60 at a time (ceil(N/60); measured on the simulator for the smallest size);
 * - records per second, the sync lane's share of each rate window used, 429s;
 * - bursts of changes (a day of 1 % of the records changing, in 8 bursts), each picked up through Exact's webhooks:
 *   calls per burst against the minimum, then extrapolated to a day with the polling the planner schedules;
 * - equality of Postgres with the simulator at the end;
 * - for the reference division (the first size, with 4,000 addresses) and 300 orders a day: the lag the worker's
 *   planner reaches per dataset (entities, deletions, daily lists) against its target, within the daily sync share.
 * `--quick`: 10k items and 2 bursts.
 *
 *   pnpm bench budget [--quick]
 */
import { LIST_NAMES } from '@exact-sync/core';
import { syncState } from '@exact-sync/db';
import { onboard, waitFor } from '@exact-sync/testkit';
import { eq } from 'drizzle-orm';
import { startBenchStack } from './lib/bench-stack.ts';
import { SYNC_ENDPOINTS } from './lib/call-stats.ts';
import { type Cleanup, runBench } from './lib/cleanup.ts';
import { orderDayChanges, printDayPlan } from './lib/day-plan.ts';
import { latencySummary, num, printTable } from './lib/figures.ts';
import { observeFullSync } from './lib/full-sync.ts';
import { type BurstResult, burstOf, runBurst } from './lib/increments.ts';
import { pageCrudNaively } from './lib/naive-crud.ts';
import { plannedPolling } from './lib/planned-polling.ts';
import { compareWithSim, mismatchCount } from './lib/sync-check.ts';

const quick = process.argv.includes('--quick');
const SIZES = quick ? [10_000] : [10_000, 100_000, 250_000];
const BURSTS_MEASURED = quick ? 2 : 4;
const BURSTS_PER_DAY = 8;
const DIVISION = 100001;
// Budget-bound on this machine: 50 sync calls per 10 s window (5 pages/s) is below what the worker commits here.
const MINUTE_MS = 10_000;
const MINUTE_LIMIT = 60;
const RESERVE = 10;
const SHARE = MINUTE_LIMIT - RESERVE;
const DAY_LIMIT = 5000;
// The day plan of the reference division (the first size): its catalogue plus these addresses and orders.
const REFERENCE_ADDRESSES = 4_000;
const ORDERS_PER_DAY = 300;
const LINES_PER_ORDER = 2;

interface SizeSummary {
  items: number;
  fullCalls: number;
  fullMinimum: number;
  naive: number;
  dayCalls: number;
  changeCalls: number;
  dayMinimum: number;
  mismatches: number;
  rateLimited: number;
  /** The reference division's day plan: every target met within the daily sync share. */
  targetsMet?: boolean;
}

async function benchSize(cleanup: Cleanup, items: number): Promise<SizeSummary> {
  const accounts = items / 10;
  const reference = items === SIZES[0];
  const simEnv = {
    ...(reference && {
      SIM_CONFIG: JSON.stringify({ addressesPerAccount: Math.ceil(REFERENCE_ADDRESSES / accounts) }),
    }),
    SIM_ITEMS: String(items),
    SIM_ACCOUNTS: String(accounts),
    SIM_DIVISIONS: String(DIVISION),
    SIM_MINUTE_MS: String(MINUTE_MS),
    SIM_MINUTE_LIMIT: String(MINUTE_LIMIT),
    SIM_DAY_LIMIT: String(DAY_LIMIT),
  };
  console.log(`\n=== ${num(items)} items, ${num(accounts)} accounts ===`);
  const { stack, handle } = await startBenchStack(cleanup, {
    label: 'budget',
    simEnv,
    env: { SYNC_RESERVE_PER_MINUTE: String(RESERVE) },
  });
  const startedAt = Date.now();
  const connectionId = await onboard(stack, { division: DIVISION });
  const full = await observeFullSync({
    handle,
    sim: stack.simControl,
    connectionId,
    division: DIVISION,
    minuteMs: MINUTE_MS,
    startedAt,
    timeoutMs: 12 * 60_000,
  });

  // The REST lists are read once when a connection starts (then daily): wait for that read, so the bursts below
  // measure the changes alone.
  await waitFor(
    'the lists read once',
    async () => {
      const states = await handle.db.select().from(syncState).where(eq(syncState.connectionId, connectionId));
      return LIST_NAMES.every((l) => states.some((s) => s.entity === l && s.phase === 'incremental'));
    },
    180_000,
  );
  const rows = full.entities.map((e) => {
    const minimum = Math.max(1, Math.ceil(e.records / 1000));
    const naive = Math.max(1, Math.ceil(e.records / 60));
    return { ...e, minimum, naive };
  });
  const sum = (f: (r: (typeof rows)[number]) => number) => rows.reduce((s, r) => s + f(r), 0);
  const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}x`;
  console.log('\nfull (initial) sync, calls per entity:');
  printTable(
    ['entity', 'records', 'calls', 'minimum', 'calls/min', 'naive CRUD', 'naive/ours', 'done after'],
    [
      ...rows.map((r) => [
        r.entity,
        num(r.records),
        r.calls,
        r.minimum,
        ratio(r.calls, r.minimum),
        num(r.naive),
        ratio(r.naive, r.calls),
        `${(r.doneMs / 1000).toFixed(1)} s`,
      ]),
      [
        'total',
        num(sum((r) => r.records)),
        sum((r) => r.calls),
        sum((r) => r.minimum),
        ratio(
          sum((r) => r.calls),
          sum((r) => r.minimum),
        ),
        num(sum((r) => r.naive)),
        ratio(
          sum((r) => r.naive),
          sum((r) => r.calls),
        ),
        `${(full.doneMs / 1000).toFixed(1)} s`,
      ],
    ],
  );
  const entityEndpoints = new Set<string>(rows.map((r) => SYNC_ENDPOINTS[r.entity]));
  const others = [...full.calls.byEndpoint].filter(([e]) => !entityEndpoints.has(e));
  console.log(`other calls until then: ${others.map(([e, n]) => `${e} ${n}`).join(', ') || 'none'}`);
  const naiveDays = sum((r) => r.naive) / (DAY_LIMIT - 300);
  console.log(
    `naive client: ${num(sum((r) => r.naive))} calls = ${naiveDays.toFixed(2)} days of Exact's daily sync share ` +
      `(${DAY_LIMIT - 300}); ours: ${((100 * sum((r) => r.calls)) / (DAY_LIMIT - 300)).toFixed(1)} % of one day`,
  );

  const lastEntity = Math.max(...rows.map((r) => r.doneMs));
  const windowShares = full.windowCalls.map((c) => c / SHARE);
  const mean = windowShares.reduce((s, x) => s + x, 0) / Math.max(1, windowShares.length);
  console.log(
    `throughput: ${num(sum((r) => r.records) / (lastEntity / 1000))} records/s from onboarding to the last entity ` +
      `committed (budget ceiling ${num((SHARE * 1000 * 1000) / MINUTE_MS)} records/s at full pages)`,
  );
  console.log(
    windowShares.length === 0
      ? 'sync share used: no whole window inside the run'
      : `sync share used per whole window (${windowShares.length}): mean ${(100 * mean).toFixed(0)} %, ` +
          `min ${(100 * Math.min(...windowShares)).toFixed(0)} %, max ${(100 * Math.max(...windowShares)).toFixed(0)} % ` +
          `(calls: ${full.windowCalls.join(' ')})`,
  );
  console.log(`429s during the full sync: ${full.calls.rateLimited}`);

  if (items === SIZES[0]) {
    const measured = await pageCrudNaively(cleanup, simEnv, DIVISION);
    for (const m of measured) {
      console.log(
        `naive CRUD measured on the simulator: ${m.endpoint} ${num(m.calls)} calls for ${num(m.records)} records ` +
          "($filter=Code ne '', 60 per page)",
      );
    }
  }

  const sizes = Object.fromEntries(rows.map((r) => [r.entity, r.records])) as Parameters<typeof burstOf>[0];
  const burst = burstOf(sizes, 0.01 / BURSTS_PER_DAY);
  console.log(
    `\nbursts of changes (1 % a day in ${BURSTS_PER_DAY} bursts): ${Object.entries(burst)
      .map(([e, b]) => `${e} ${b.update + b.create + b.delete}`)
      .join(
        ', ',
      )} records each (items: ${burst.items.update} changed, ${burst.items.create} new, ${burst.items.delete} deleted)`,
  );
  const results: BurstResult[] = [];
  for (let i = 0; i < BURSTS_MEASURED; i++) {
    results.push(await runBurst({ sim: stack.simControl, handle, connectionId, division: DIVISION, burst }));
  }
  printTable(
    ['burst', 'calls', 'minimum', 'by endpoint', 'synced after'],
    results.map((r, i) => [
      i + 1,
      r.calls.total,
      r.minimum,
      [...r.calls.byEndpoint].map(([e, n]) => `${e.replace(/^sync\//, '')} ${n}`).join(', '),
      `${(r.settledMs / 1000).toFixed(1)} s`,
    ]),
  );
  console.log(`time from burst to quiet: ${latencySummary(results.map((r) => r.settledMs))}`);
  const perBurst = results.reduce((s, r) => s + r.calls.total, 0) / results.length;
  const minPerBurst = results.reduce((s, r) => s + r.minimum, 0) / results.length;
  // The planner spreads the sync calls left in the day over the time to the reset; scaled to a whole day's share,
  // that is what idle polling costs a day whatever changes.
  const plan = await plannedPolling(stack, connectionId);
  const pollsPerDay = plan.callsLeft > 0 ? (plan.pollsUntilReset * plan.dayShare) / plan.callsLeft : 0;
  const dayCalls = BURSTS_PER_DAY * perBurst + pollsPerDay;
  console.log(
    `planned polling: every dataset every ${[...new Set(Object.values(plan.intervals))]
      .map((every) => (every === undefined ? '-' : `${(every / 1000).toFixed(0)} s`))
      .join(
        ' / ',
      )}; ${num(plan.pollsUntilReset)} polls in the ${(plan.untilReset / 3_600_000).toFixed(1)} h ` +
      `to the daily reset, for ${num(plan.callsLeft)} sync calls left; a whole day's share (${num(plan.dayShare)}) ` +
      `plans ${num(pollsPerDay)} polls`,
  );
  console.log(
    `a day, extrapolated: ${BURSTS_PER_DAY} bursts x ${perBurst.toFixed(1)} calls + ${num(pollsPerDay)} planned polls = ` +
      `${num(dayCalls)} calls (${((100 * dayCalls) / plan.dayShare).toFixed(0)} % of the daily sync share); ` +
      `the changes alone: ${num(BURSTS_PER_DAY * perBurst)} calls, minimum ${num(BURSTS_PER_DAY * minPerBurst)}`,
  );

  const diffs = await compareWithSim(handle, stack.simControl, connectionId, DIVISION);
  console.log(
    `equality with the simulator: ${diffs.map((d) => `${d.entity} ${num(d.local)}/${num(d.remote)} (${d.mismatches} off)`).join(', ')}`,
  );
  const rateLimited = (await stack.simControl.stats(DIVISION)).rateLimited;
  console.log(`429s in the whole run: ${rateLimited}`);

  let targetsMet: boolean | undefined;
  if (reference) {
    const addresses = rows.find((r) => r.entity === 'addresses')?.records ?? 0;
    console.log(
      `\nthe day of the reference division: ${num(items)} items, ${num(accounts)} accounts, ${num(addresses)} ` +
        `addresses, ${ORDERS_PER_DAY} orders a day (${LINES_PER_ORDER} lines each, each delivered and invoiced), ` +
        `1 % of the other records changing a day; Exact's ${num(DAY_LIMIT)} calls a day, reserve 300, as the ` +
        "worker's planner plans it (polling at least every 60 s):",
    );
    const catalogue = Object.fromEntries(
      rows
        .filter((r) => !(r.entity in orderDayChanges(0, 0)))
        .map((r) => [r.entity, Math.round(r.records * 0.01)]),
    );
    const day = await printDayPlan({
      handle,
      connectionId,
      dayLimit: DAY_LIMIT,
      reservePerDay: 300,
      minIntervalMs: 60_000,
      changes: { ...catalogue, ...orderDayChanges(ORDERS_PER_DAY, LINES_PER_ORDER) },
    });
    targetsMet = day.allMet;
  }
  return {
    items,
    fullCalls: sum((r) => r.calls),
    fullMinimum: sum((r) => r.minimum),
    naive: sum((r) => r.naive),
    dayCalls,
    changeCalls: BURSTS_PER_DAY * perBurst,
    dayMinimum: BURSTS_PER_DAY * minPerBurst,
    mismatches: mismatchCount(diffs),
    rateLimited,
    ...(targetsMet !== undefined && { targetsMet }),
  };
}

await runBench(async (cleanup) => {
  console.log(
    `budget: simulator windows of ${MINUTE_MS / 1000} s with ${MINUTE_LIMIT} calls (sync share ${SHARE}, reserve ` +
      `${RESERVE}), ${DAY_LIMIT} calls a day (reserve 300), pages of 1,000; the day window is Exact's (00:00 UTC)`,
  );
  const summaries: SizeSummary[] = [];
  for (const items of SIZES) {
    const scope = cleanup.scope(`the ${items}-item stack`);
    summaries.push(await benchSize(scope, items));
    await scope.run();
  }
  console.log('\nsummary:');
  printTable(
    [
      'items',
      'full sync calls',
      'minimum',
      'naive CRUD',
      'naive/ours',
      'day: calls',
      'for changes',
      'minimum',
      'mismatches',
      '429s',
    ],
    summaries.map((s) => [
      num(s.items),
      num(s.fullCalls),
      num(s.fullMinimum),
      num(s.naive),
      `${(s.naive / s.fullCalls).toFixed(1)}x`,
      num(s.dayCalls),
      num(s.changeCalls),
      num(s.dayMinimum),
      s.mismatches,
      s.rateLimited,
    ]),
  );
  return summaries.every((s) => s.mismatches === 0 && s.rateLimited === 0 && s.targetsMet !== false);
});
