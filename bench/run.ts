/**
 * The benchmark runner: `pnpm bench <name> [--quick]` runs one scenario, `pnpm bench all [--quick]` runs them one
 * after another, `pnpm bench --list` lists them. Each scenario is its own process (its own group, so the runner can
 * stop it and everything it started); it prints figures and exits non-zero only when it crashed or a correctness
 * target (no 429, no lost, duplicated or unequal data) was missed. `--quick` is the size CI runs; other flags go to
 * the scenario (`pnpm bench ingest --quick --built`).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

interface Scenario {
  name: string;
  file: string;
  about: string;
  quick: string;
  /** Backstop for the full size; the quick size gets a quarter of it, at least 3 minutes. */
  limitMinutes: number;
}

const SCENARIOS: readonly Scenario[] = [
  {
    name: 'budget',
    file: 'budget.bench.ts',
    about:
      'calls per entity of a full sync vs ceil(N/1000) and a naive CRUD client, bursts of changes, a day',
    quick: '10k items',
    limitMinutes: 30,
  },
  {
    name: 'fairness',
    file: 'fairness.bench.ts',
    about:
      'share of each connection’s sync budget used (Jain, lowest division), 429s, order latency; 1/2/4 workers × 10/100 connections, 2 × 1,000',
    quick: '1 worker × 100 connections',
    limitMinutes: 60,
  },
  {
    name: 'ingest',
    file: 'ingest.bench.ts',
    about:
      'POST /v1/orders throughput and latency next to a bare Fastify route; order latency under a sync backlog',
    quick: '5 s runs',
    limitMinutes: 15,
  },
  {
    name: 'sync-write',
    file: 'sync-write.bench.ts',
    about: 'the sync write path alone: page-to-commit records/s per entity in a full sync, in process',
    quick: '10k items',
    limitMinutes: 15,
  },
  {
    name: 'quote',
    file: 'quote.bench.ts',
    about:
      'POST /v1/prices/quote latency of a 50-line quote against the running api, and its Exact calls (0)',
    quick: '200 items, 200 quotes each way',
    limitMinutes: 15,
  },
  {
    name: 'faults',
    file: 'faults.bench.ts',
    about: 'worker kills, Redis flushes, Postgres restarts, 5xx, resets after POST and header-less 429s',
    quick: '3 rounds',
    limitMinutes: 40,
  },
  {
    name: 'startup',
    file: 'startup.bench.ts',
    about: 'start time and RSS of api and worker: built JavaScript with node vs the sources with tsx',
    quick: '2 starts each, a 10k-item sync',
    limitMinutes: 15,
  },
  {
    name: 'governor-load',
    file: 'governor-load.ts',
    about:
      'the governor under five hammering processes and random orders: share per window, 429s, grant latency',
    quick: '3 windows',
    limitMinutes: 5,
  },
  {
    name: 'governor-acquire',
    file: 'governor-acquire.ts',
    about: 'what one acquire costs in Redis: latency one at a time, throughput 32 in flight',
    quick: 'a tenth of the calls',
    limitMinutes: 5,
  },
];

const benchDir = fileURLToPath(new URL('.', import.meta.url));
const tsx = fileURLToPath(new URL('../node_modules/.bin/tsx', import.meta.url));

function list(): void {
  console.log('pnpm bench <name> [--quick] | all [--quick] | --list\n');
  const width = Math.max(...SCENARIOS.map((s) => s.name.length));
  for (const s of SCENARIOS)
    console.log(`  ${s.name.padEnd(width)}  ${s.about}\n  ${' '.repeat(width)}  quick: ${s.quick}`);
}

let current: { pid: number } | undefined;

/** Runs one scenario in its own process group; answers its exit code (124 after the time limit). */
function runScenario(scenario: Scenario, quick: boolean, flags: readonly string[]): Promise<number> {
  const limitMs = (quick ? Math.max(3, scenario.limitMinutes / 4) : scenario.limitMinutes) * 60_000;
  const child = spawn(tsx, [`${benchDir}${scenario.file}`, ...flags], {
    stdio: 'inherit',
    detached: true,
    env: {
      ...process.env,
      TEST_DATABASE_URL: process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
      TEST_REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
    },
  });
  const pid = child.pid;
  if (pid === undefined) return Promise.resolve(1);
  current = { pid };
  let timedOut = false;
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-pid, sig);
    } catch {
      // already gone
    }
  };
  // SIGTERM lets the scenario stop what it started; SIGKILL only if it does not manage within half a minute.
  const timer = setTimeout(() => {
    timedOut = true;
    console.error(`\n${scenario.name}: over its ${limitMs / 60_000} min limit, stopping it`);
    signal('SIGTERM');
    setTimeout(() => signal('SIGKILL'), 30_000).unref();
  }, limitMs);
  return new Promise((resolve) => {
    child.once('exit', (code, sig) => {
      clearTimeout(timer);
      current = undefined;
      resolve(timedOut ? 124 : (code ?? (sig ? 128 : 1)));
    });
  });
}

for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    if (current) {
      try {
        process.kill(-current.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    } else process.exit(130);
  });
}

const args = process.argv.slice(2).filter((a) => a !== '--');
const quick = args.includes('--quick');
const names = args.filter((a) => !a.startsWith('--'));
if (args.includes('--list') || names.length === 0) {
  list();
  process.exit(names.length === 0 && !args.includes('--list') ? 2 : 0);
}
const unknown = names.filter((n) => n !== 'all' && !SCENARIOS.some((s) => s.name === n));
if (unknown.length > 0) {
  console.error(`unknown scenario: ${unknown.join(', ')}\n`);
  list();
  process.exit(2);
}
const chosen = names.includes('all') ? SCENARIOS : SCENARIOS.filter((s) => names.includes(s.name));
const results: { name: string; code: number; seconds: number }[] = [];
for (const scenario of chosen) {
  console.log(`\n##### ${scenario.name}${quick ? ' --quick' : ''}: ${scenario.about}\n`);
  const started = Date.now();
  // --quick and a scenario's own flags (e.g. ingest's --built) are passed on.
  const code = await runScenario(
    scenario,
    quick,
    args.filter((a) => a.startsWith('--') && a !== '--list'),
  );
  results.push({ name: scenario.name, code, seconds: (Date.now() - started) / 1000 });
  if (code === 130) break;
}
if (chosen.length > 1) {
  console.log('\n##### runs');
  for (const r of results)
    console.log(
      `${r.name.padEnd(18)} ${r.code === 0 ? 'ok    ' : `exit ${r.code}`}  ${r.seconds.toFixed(0)} s`,
    );
  console.log(`total ${results.reduce((s, r) => s + r.seconds, 0).toFixed(0)} s`);
}
process.exitCode = results.every((r) => r.code === 0) ? 0 : 1;
