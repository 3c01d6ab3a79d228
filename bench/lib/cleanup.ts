import { readdirSync, readFileSync } from 'node:fs';

/**
 * What a benchmark started, stopped in reverse order when it ends, fails or is interrupted (Ctrl-C, or the runner
 * stopping it), so no simulator, worker, database or Redis server outlives the run.
 */
export interface Cleanup {
  /** Registers a stop step. */
  defer(what: string, fn: () => Promise<unknown> | unknown): void;
  /** A nested cleanup (e.g. one stack of several in a run) that can be run early and is run with this one. */
  scope(what: string): Cleanup;
  /** Runs every step once, the last registered first; a failing step is reported and the others still run. */
  run(): Promise<void>;
}

function createCleanup(): Cleanup {
  const steps: { what: string; fn: () => Promise<unknown> | unknown }[] = [];
  let running: Promise<void> | undefined;
  const cleanup: Cleanup = {
    defer(what, fn) {
      steps.push({ what, fn });
    },
    scope(what) {
      const inner = createCleanup();
      cleanup.defer(what, () => inner.run());
      return inner;
    },
    run() {
      running ??= (async () => {
        for (let step = steps.pop(); step !== undefined; step = steps.pop()) {
          try {
            await step.fn();
          } catch (error) {
            console.error(`cleanup: ${step.what} failed: ${(error as Error).message}`);
          }
        }
      })();
      return running;
    },
  };
  return cleanup;
}

/**
 * Runs a benchmark's body and then its cleanup, whatever happens (also on SIGINT/SIGTERM). The body answers
 * whether its correctness targets held: figures never fail a run, but lost, duplicated or unequal data, a 429 or a
 * crash set exit code 1.
 */
export async function runBench(body: (cleanup: Cleanup) => Promise<boolean>): Promise<void> {
  const cleanup = createCleanup();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.error(`\n${signal}: stopping what the benchmark started`);
      void cleanup.run().finally(() => process.exit(130));
    });
  }
  let ok = false;
  try {
    ok = await body(cleanup);
  } catch (error) {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  } finally {
    await cleanup.run();
  }
  const leftovers = ownChildren();
  for (const pid of leftovers) {
    // Children are started in their own process group (testkit's detached processes): stop the whole group.
    for (const target of [-pid, pid]) {
      try {
        process.kill(target, 'SIGTERM');
        break;
      } catch {
        // not a group leader, or gone
      }
    }
  }
  if (leftovers.length > 0)
    console.error(`stopped ${leftovers.length} process(es) a failed start left behind`);
  if (!ok) console.log('\nRESULT: a correctness target was missed (see above)');
  // Exit now: a child's open pipes must not keep a finished benchmark alive.
  process.exit(ok ? 0 : 1);
}

/**
 * The processes this one started and that are still running, by parent pid (Linux /proc): a backstop for a child
 * a failed start left behind, so the run still ends and leaves nothing running.
 */
function ownChildren(): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the command name (which may hold spaces) start after the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      // tsx's esbuild service is this process's own helper, not something a benchmark started.
      if (ppid === process.pid && !stat.includes('(esbuild)')) out.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}
