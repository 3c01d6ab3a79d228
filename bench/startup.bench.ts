/**
 * What running the build (`pnpm build`, node on dist/) saves over running the sources with tsx, as the image and
 * the start command did before: start time and memory of the api and the worker.
 * 1. Start and idle: each app started ROUNDS times in each mode (alternating), against one simulator, database
 *    and Redis prefix. Start is from spawn to its "listening" line; memory is the RSS of its whole process group
 *    after IDLE_MS: tsx's node parent, the app's node and tsx's esbuild service, or node alone.
 * 2. A full sync of ITEMS items (10 % as many accounts, the simulator's stock and prices) with no binding rate
 *    limit, in each mode: worker and api RSS sampled every 250 ms from onboarding until the last entity committed.
 *    The simulator runs in the same mode as the apps.
 * `--quick`: 2 rounds, 10k items.
 *
 *   pnpm bench startup [--quick]
 */
import { builtEntry, freePort, onboard, startEntry } from '@exact-sync/testkit';
import { buildAll } from '../scripts/bundle.ts';
import { startBenchStack } from './lib/bench-stack.ts';
import { type Cleanup, runBench } from './lib/cleanup.ts';
import { num, pct, printTable } from './lib/figures.ts';
import { observeFullSync } from './lib/full-sync.ts';
import { groupMemory, mib, sampleGroupMemory } from './lib/process-memory.ts';

const quick = process.argv.includes('--quick');
const ROUNDS = quick ? 2 : 5;
const IDLE_MS = 5_000;
const ITEMS = quick ? 10_000 : 100_000;
const MINUTE_MS = 10_000;
const DIVISION = 100001;

const MODES = [
  { name: 'tsx, source', built: false },
  { name: 'node, dist/', built: true },
] as const;
type Mode = (typeof MODES)[number];
const APPS = [
  { name: 'api', source: 'apps/api/src/server.ts', ready: /api listening on (\S+)/ },
  { name: 'worker', source: 'apps/worker/src/main.ts', ready: /worker listening on (\S+)/ },
] as const;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const range = (values: number[], f: (v: number) => string) =>
  `${f(pct(values, 50))} (${f(Math.min(...values))}–${f(Math.max(...values))})`;
const ms = (v: number) => `${v.toFixed(0)} ms`;
const MiB = (v: number) => `${mib(v)} MiB`;

/** Part 1. */
async function startAndIdle(cleanup: Cleanup): Promise<void> {
  // The stack's own api is only there for the database, Redis prefix and simulator; it is not measured.
  const { stack } = await startBenchStack(cleanup, {
    label: 'startup',
    workers: 0,
    built: true,
    simEnv: { SIM_DIVISIONS: String(DIVISION), SIM_ITEMS: '10', SIM_ACCOUNTS: '5' },
  });
  const figures = new Map<string, { start: number[]; rss: number[]; processes: string[] }>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const mode of round % 2 === 0 ? MODES : [...MODES].reverse()) {
      for (const app of APPS) {
        const env = { ...stack.env, API_PORT: String(await freePort()), WORKER_PORT: '0' };
        const started = performance.now();
        const proc = await startEntry(mode.built ? builtEntry(app.source) : app.source, {
          env,
          ready: app.ready,
          tsxCli: !mode.built,
        });
        const start = performance.now() - started;
        try {
          await sleep(IDLE_MS);
          const memory = groupMemory(proc.child.pid ?? 0);
          const key = `${app.name}\u0000${mode.name}`;
          const f = figures.get(key) ?? { start: [], rss: [], processes: memory.processes };
          f.start.push(start);
          f.rss.push(memory.rss);
          figures.set(key, f);
        } finally {
          await proc.stop();
        }
      }
    }
  }
  console.log(
    `\n1. start and idle: ${ROUNDS} starts of each app in each mode, RSS after ${IDLE_MS / 1000} s idle`,
  );
  const rows = [...figures].map(([key, f]) => {
    const [app = '', mode = ''] = key.split('\u0000');
    return [app, mode, range(f.start, ms), range(f.rss, MiB), f.processes.join(' + ')];
  });
  printTable(['app', 'mode', 'start p50 (min–max)', 'RSS p50 (min–max)', 'processes'], rows);
  for (const app of APPS) {
    const [before, after] = MODES.map((m) => figures.get(`${app.name}\u0000${m.name}`));
    if (!before || !after) continue;
    const [rssBefore, rssAfter] = [pct(before.rss, 50), pct(after.rss, 50)];
    console.log(
      `${app.name}: node on dist/ starts in ${((100 * pct(after.start, 50)) / pct(before.start, 50)).toFixed(0)} % ` +
        `of tsx's time and holds ${mib(rssBefore - rssAfter)} MiB less (${((100 * rssAfter) / rssBefore).toFixed(0)} % of tsx's RSS)`,
    );
  }
}

interface SyncFigures {
  mode: Mode;
  worker: number[];
  api: number[];
  records: number;
  seconds: number;
}

/** Part 2, in one mode. */
async function duringSync(cleanup: Cleanup, mode: Mode): Promise<SyncFigures> {
  const { stack, handle } = await startBenchStack(cleanup, {
    label: `startup-sync-${mode.built ? 'dist' : 'tsx'}`,
    built: mode.built,
    tsxCli: !mode.built,
    simEnv: {
      SIM_DIVISIONS: String(DIVISION),
      SIM_ITEMS: String(ITEMS),
      SIM_ACCOUNTS: String(ITEMS / 10),
      SIM_MINUTE_MS: String(MINUTE_MS),
      SIM_MINUTE_LIMIT: '1000000',
      SIM_DAY_LIMIT: '5000',
    },
  });
  const worker = sampleGroupMemory(stack.workers[0]?.child.pid ?? 0, 250);
  const api = sampleGroupMemory(stack.api.child.pid ?? 0, 250);
  const startedAt = Date.now();
  const connectionId = await onboard(stack, { division: DIVISION });
  const full = await observeFullSync({
    handle,
    sim: stack.simControl,
    connectionId,
    division: DIVISION,
    minuteMs: MINUTE_MS,
    startedAt,
    timeoutMs: 10 * 60_000,
  });
  return {
    mode,
    worker: worker.stop(),
    api: api.stop(),
    records: full.entities.reduce((s, e) => s + e.records, 0),
    seconds: Math.max(...full.entities.map((e) => e.doneMs)) / 1000,
  };
}

await runBench(async (cleanup) => {
  const started = performance.now();
  await buildAll();
  console.log(`built in ${((performance.now() - started) / 1000).toFixed(1)} s (pnpm build)`);
  const idle = cleanup.scope('start and idle');
  await startAndIdle(idle);
  await idle.run();
  const runs: SyncFigures[] = [];
  for (const mode of MODES) {
    const scope = cleanup.scope(`sync (${mode.name})`);
    runs.push(await duringSync(scope, mode));
    await scope.run();
  }
  console.log(
    `\n2. during a full sync of ${num(ITEMS)} items (${num(runs[0]?.records ?? 0)} records), RSS sampled every 250 ms`,
  );
  printTable(
    ['mode', 'worker p50', 'worker max', 'api p50', 'api max', 'records/s'],
    runs.map((r) => [
      r.mode.name,
      MiB(pct(r.worker, 50)),
      MiB(Math.max(...r.worker)),
      MiB(pct(r.api, 50)),
      MiB(Math.max(...r.api)),
      num(r.records / r.seconds),
    ]),
  );
  return runs.every((r) => r.records > 0);
});
