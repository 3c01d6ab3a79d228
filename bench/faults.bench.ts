/**
 * Faults (issue #9): on its own Redis and its own Postgres instance, rounds of a full resync plus changes plus an
 * order burst, each disturbed by SIGKILLing the worker at random moments and, in turn, a Redis flush, a Postgres
 * restart or a second kill, while the simulator answers some calls with 5xx, resets the connection after applying
 * some order POSTs, and sends header-less 429s. Each round ends once the sync lane is quiet and every order of
 * the round is final (or after a time limit), comparing Postgres with the simulator's dataset and counting each
 * order's posts in Exact. Targets: 0 mismatches, 0 duplicates, 0 lost orders.
 * `--quick`: 3 rounds (one of each disturbance).
 *
 *   pnpm bench faults [--quick]
 */
import { onboard, startOwnRedis } from '@exact-sync/testkit';
import { startBenchStack } from './lib/bench-stack.ts';
import { runBench } from './lib/cleanup.ts';
import {
  checkOrders,
  type Disturbance,
  type FaultRound,
  ROUND_LIMIT_MS,
  runFaultRound,
} from './lib/fault-round.ts';
import { latencySummary, pct, printTable } from './lib/figures.ts';
import { storefrontFor } from './lib/orders.ts';
import { startOwnPostgres } from './lib/own-postgres.ts';
import { superviseWorker } from './lib/supervisor.ts';
import { compareWithSim, initialSyncDone, mismatchCount } from './lib/sync-check.ts';

const quick = process.argv.includes('--quick');
const ROUNDS = quick ? 3 : 21;
const ITEMS = quick ? 3000 : 5000;
const ORDERS_PER_ROUND = quick ? 6 : 10;
const DIVISION = 100001;
const FINAL_WAIT_MS = quick ? 60_000 : 180_000;
// Every call to the division waits 50 ms more, so runs last long enough to be interrupted.
const FAULTS = {
  serverErrorRate: 0.05,
  resetAfterPostRate: 0.2,
  headerless429Rate: 0.05,
  latencyMs: 50,
  only: 'all',
};
const DISTURBANCES: readonly Disturbance[] = ['redis-flush', 'postgres-restart', 'second-kill'];

await runBench(async (cleanup) => {
  const postgres = await startOwnPostgres(cleanup);
  const redis = await startOwnRedis();
  cleanup.defer('stop the own Redis', () => redis.stop());
  const bench = await startBenchStack(cleanup, {
    label: 'faults',
    redisUrl: redis.url,
    postgresUrl: postgres.url,
    simEnv: {
      SIM_DIVISIONS: String(DIVISION),
      SIM_ITEMS: String(ITEMS),
      SIM_ACCOUNTS: String(ITEMS / 10),
      SIM_MINUTE_MS: '2000',
      SIM_MINUTE_LIMIT: '60',
      SIM_DAY_LIMIT: '1000000',
    },
  });
  const { stack, handle } = bench;
  const connectionId = await onboard(stack, { division: DIVISION });
  for (let i = 0; i < 600 && !(await initialSyncDone(handle, connectionId)); i++) {
    await new Promise((r) => setTimeout(r, 200));
  }
  const initial = mismatchCount(await compareWithSim(handle, stack.simControl, connectionId, DIVISION));
  const storefront = await storefrontFor(stack, connectionId, DIVISION);
  console.log(
    `faults: ${ITEMS} items, windows of 2 s x 60 calls, ${ORDERS_PER_ROUND} orders a round; simulator faults ` +
      `${JSON.stringify(FAULTS)}; initial sync ${initial === 0 ? 'equal' : `${initial} mismatches`}`,
  );
  await stack.simControl.faults(FAULTS);
  const supervisor = superviseWorker(bench, { everyMs: 1000, unreadyLimit: 5 });
  cleanup.defer('stop the supervisor', () => supervisor.stop());

  const results: FaultRound[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const disturbance = DISTURBANCES[round % DISTURBANCES.length] ?? 'second-kill';
    const result = await runFaultRound({
      bench,
      connectionId,
      division: DIVISION,
      storefront,
      round,
      orders: ORDERS_PER_ROUND,
      disturbance,
      postgres,
      redis,
      supervisor,
    });
    results.push(result);
    for (const order of result.unsettledOrders)
      console.log(`  not settled at the end of the round: ${order}`);
    console.log(
      `round ${round + 1}/${ROUNDS} (${disturbance}): ${result.mismatches} mismatches, ` +
        `${result.unsettled} orders not settled, ${result.rateLimited} 429s, ${result.crashes} worker crashes, ${result.unreadyRestarts} restarts for failing readiness, settled in ${(result.settledMs / 1000).toFixed(1)} s`,
    );
  }
  await stack.simControl.faults({});

  // Orders a round left unsettled get until now plus a final wait, with the faults off, before they count as lost.
  const final = await checkOrders(
    bench,
    DIVISION,
    new Set(results.flatMap((r) => r.orderIds)),
    FINAL_WAIT_MS,
  );
  for (const order of final.lost) console.log(`  lost: ${order}`);
  const stats = await stack.simControl.stats(DIVISION);
  console.log('');
  printTable(
    [
      'disturbance',
      'rounds',
      'kills',
      'orders',
      'mismatches',
      'unsettled',
      'not accepted',
      'crashes',
      'unready restarts',
      '429s',
      'settled p50',
    ],
    DISTURBANCES.map((d) => {
      const rs = results.filter((r) => r.disturbance === d);
      const sum = (f: (r: FaultRound) => number) => rs.reduce((s, r) => s + f(r), 0);
      return [
        d,
        rs.length,
        sum((r) => r.kills),
        sum((r) => r.accepted),
        sum((r) => r.mismatches),
        sum((r) => r.unsettled),
        sum((r) => r.notAccepted),
        sum((r) => r.crashes),
        sum((r) => r.unreadyRestarts),
        sum((r) => r.rateLimited),
        `${(
          pct(
            rs.map((r) => r.settledMs),
            50,
          ) / 1000
        ).toFixed(1)} s`,
      ];
    }),
  );
  const total = (f: (r: FaultRound) => number) => results.reduce((s, r) => s + f(r), 0);
  const mismatches = total((r) => Math.max(0, r.mismatches));
  console.log(
    `\nrounds ${results.length}, worker kills ${total((r) => r.kills)}, orders ${total((r) => r.accepted)}: ` +
      `mismatches ${mismatches}, duplicates ${final.duplicates} (orders Exact holds more than once), ` +
      `lost orders ${final.lost.length} (not submitted once ${FINAL_WAIT_MS / 1000} s after the last round), ` +
      `orders the api never accepted ${total((r) => r.notAccepted)}`,
  );
  console.log(
    `rounds that hit the ${ROUND_LIMIT_MS / 1000} s limit ${results.filter((r) => r.timedOut).length}; ` +
      `time to settle a round: ${latencySummary(results.map((r) => r.settledMs))}`,
  );
  console.log(
    `the worker exited by itself ${total((r) => r.crashes)} times and was restarted ${total((r) => r.unreadyRestarts)} ` +
      'times for failing readiness (a supervisor restarts it, as Kubernetes would; outputs in bench/out/)',
  );
  console.log(
    `calls to the division ${stats.total}, of which 429 ${stats.rateLimited} (the injected header-less ones included)`,
  );
  return (
    initial === 0 &&
    mismatches === 0 &&
    final.duplicates === 0 &&
    final.lost.length === 0 &&
    total((r) => r.notAccepted) === 0
  );
});
