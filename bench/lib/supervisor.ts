import type { RunningProcess } from '@exact-sync/testkit';
import { type BenchStack, saveOutput } from './bench-stack.ts';

/**
 * Keeps one worker running, as Kubernetes or systemd would: a worker that exited is started again, and so is one
 * whose `/health/ready` has failed for `unreadyLimit` checks in a row (a liveness probe on readiness). Counts both,
 * since either means the worker could not carry on by itself. Also the one way a benchmark kills the worker, so a
 * kill and a restart never race.
 */
export interface Supervisor {
  /** SIGKILLs the worker, as a crash would, and starts a new one. */
  kill(): Promise<void>;
  stop(): Promise<void>;
  readonly crashes: number;
  readonly unreadyRestarts: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function healthUrl(worker: RunningProcess): string | undefined {
  return /worker listening on (\S+)/.exec(worker.output())?.[1];
}

export function superviseWorker(
  bench: BenchStack,
  options: { everyMs: number; unreadyLimit: number },
): Supervisor {
  const { stack } = bench;
  let lock: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = lock.then(fn, fn);
    lock = next.catch(() => undefined);
    return next;
  };
  let crashes = 0;
  let unreadyRestarts = 0;
  let unready = 0;
  let stopped = false;

  async function replace(reason: string): Promise<void> {
    const old = stack.workers.shift();
    if (old) {
      await old.kill();
      saveOutput('worker', reason, old.output());
    }
    unready = 0;
    for (let attempt = 0; ; attempt++) {
      try {
        await stack.startWorker();
        return;
      } catch (error) {
        // Postgres or Redis may be away for a moment.
        if (attempt >= 10) throw error;
        await sleep(1000);
      }
    }
  }

  async function check(): Promise<void> {
    const worker = stack.workers[0];
    if (!worker) return replace('missing');
    if (worker.child.exitCode !== null || worker.child.signalCode !== null) {
      crashes += 1;
      return replace('crashed');
    }
    const url = healthUrl(worker);
    const ready = await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(2000) })
      .then((res) => res.status === 200)
      .catch(() => false);
    unready = ready ? 0 : unready + 1;
    if (unready >= options.unreadyLimit) {
      unreadyRestarts += 1;
      return replace('unready');
    }
  }

  const loop = (async () => {
    while (!stopped) {
      await exclusive(check).catch((error: unknown) =>
        console.error(`supervisor: ${(error as Error).message}`),
      );
      await sleep(options.everyMs);
    }
  })();

  return {
    kill: () => exclusive(() => replace('killed')),
    async stop() {
      stopped = true;
      await loop;
    },
    get crashes() {
      return crashes;
    },
    get unreadyRestarts() {
      return unreadyRestarts;
    },
  };
}
