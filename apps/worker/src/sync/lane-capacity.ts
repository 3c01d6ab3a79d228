import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';

/**
 * How many sync jobs a worker process takes from BullMQ to hold in its lane. BullMQ hands jobs out in queue order,
 * and a connection's datasets lie next to each other in the queue (they came due together, and a job scheduler's
 * next run is queued when its run is taken), so a lane holding only the head of the queue can only be fair among the
 * few connections found there. Each process therefore holds its part of every dataset the planner polls: the number
 * the planner publishes, over the worker processes alive (each one announces itself here), with some room over.
 *
 * A dataset has one job in the lane at most (its scheduler's next poll is parked meanwhile: `parkNextPoll`); the
 * room over covers jobs that are no planned poll (webhooks, the reconciler). A held job costs little: it waits in
 * memory, and BullMQ renews its lock with the others.
 */

/** Jobs a process holds at least (and until the planner has published its count). */
export const HELD_MIN = 64;
/** ... and at most. */
const HELD_MAX = 50_000;
/** Room over one job per dataset. */
const HELD_ROOM = 1.1;
const HELD_SPARE = 16;
/** Jobs more the worker may take every RAMP_EVERY_MS: a few hundred milliseconds of taking at most. */
const RAMP_STEP = 64;
const RAMP_EVERY_MS = 250;

const keys = (prefix: string) => ({
  datasets: `${prefix}:{lane}:datasets`,
  workers: `${prefix}:{lane}:workers`,
});

/** The planner's count of the datasets it polls (every sync dataset but the daily lists), for every process. */
export async function publishPlannedDatasets(redis: Redis, prefix: string, datasets: number): Promise<void> {
  await redis.set(keys(prefix).datasets, String(datasets));
}

/**
 * Jobs one of `workers` processes holds when the planner polls `datasets`.
 * @internal exported for its test
 */
export function heldJobs(datasets: number, workers: number): number {
  const share = Math.ceil((datasets * HELD_ROOM) / Math.max(1, workers)) + HELD_SPARE;
  return Math.min(HELD_MAX, Math.max(HELD_MIN, share));
}

export interface LaneCapacityOptions {
  redis: Redis;
  prefix: string;
  /** The BullMQ worker of the sync queue: its `concurrency` is kept at `heldJobs`. */
  worker: { concurrency: number };
  /** How often the process announces itself and looks again; a process silent for three times that is gone. */
  everyMs: number;
  log: Logger;
}

/**
 * Announces this process and keeps the sync worker's concurrency at `heldJobs`, raising it step by step: BullMQ
 * takes jobs up to a raised concurrency one after another before it starts any of them, so a jump of a thousand
 * would leave the first ones unstarted, their locks unrenewed, for seconds. `stop` withdraws the process.
 */
export function startLaneCapacity(options: LaneCapacityOptions): { stop(): Promise<void> } {
  const { redis, worker, log } = options;
  const { datasets, workers } = keys(options.prefix);
  const self = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  let target = worker.concurrency;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;

  async function look(): Promise<void> {
    try {
      const now = Date.now();
      const replies = await redis
        .multi()
        .zadd(workers, now, self)
        .zremrangebyscore(workers, '-inf', now - 3 * options.everyMs)
        .zcard(workers)
        .get(datasets)
        .exec();
      const alive = Number(replies?.[2]?.[1] ?? 1);
      const polled = Number(replies?.[3]?.[1] ?? 0);
      const size = heldJobs(Number.isFinite(polled) ? polled : 0, Number.isFinite(alive) ? alive : 1);
      if (size !== target) log.debug({ held: size, datasets: polled, workers: alive }, 'sync lane capacity');
      target = size;
    } catch (error) {
      log.warn({ err: error }, 'sync lane capacity not updated');
    }
  }

  const step = (): void => {
    if (worker.concurrency > target) worker.concurrency = target;
    else if (worker.concurrency < target)
      worker.concurrency = Math.min(target, worker.concurrency + RAMP_STEP);
  };

  running = look();
  const lookTimer = setInterval(() => {
    if (!stopped) running = look();
  }, options.everyMs);
  const stepTimer = setInterval(step, RAMP_EVERY_MS);
  lookTimer.unref();
  stepTimer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(lookTimer);
      clearInterval(stepTimer);
      await running;
      await redis.zrem(workers, self).catch(() => undefined);
    },
  };
}
