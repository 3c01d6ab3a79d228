import { CAPPED_BACKOFF_MAX_MS, QUEUE_NAMES, type QueueName } from '@exact-sync/core';
import { bullPrefix } from '@exact-sync/queues';
import { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { type JobObserver, processorFor } from './jobs/dispatch.ts';
import type { HandlerMap } from './jobs/handler.ts';
import { HELD_MIN } from './sync/lane-capacity.ts';

// Orders are short and must never queue behind each other for long. Sync jobs run SYNC_SLOTS at a time; the worker
// holds many more of them (its part of every dataset the planner polls: `lane-capacity.ts` sets the sync worker's
// concurrency, starting from HELD_MIN), so its sync lane can hand the slots by connection in fair turns
// (`FairLane`) rather than in the queue's order.
export const SYNC_SLOTS = 4;
export const WORKER_CONCURRENCY: Readonly<Record<QueueName, number>> = { orders: 8, sync: HELD_MIN };

/**
 * The `capped` backoff of the job catalogue: doubling from the job's delay, never above the cap.
 * @internal exported for its test
 */
export function cappedBackoff(
  attemptsMade: number,
  type?: string,
  _error?: Error,
  job?: { opts: { backoff?: unknown } },
): number {
  const backoff = job?.opts.backoff as { delay?: number } | undefined;
  if (type !== 'capped') return 0;
  return Math.min(CAPPED_BACKOFF_MAX_MS, (backoff?.delay ?? 1_000) * 2 ** Math.max(0, attemptsMade - 1));
}

export interface ConsumerOptions {
  connection: Redis;
  redisPrefix: string;
  handlers: HandlerMap;
  log: Logger;
  /** Sees every job run end (for metrics). */
  observeJob?: JobObserver;
}

/** Starts one BullMQ worker per queue. Closing them waits for jobs in flight to finish. */
export function startConsumers(options: ConsumerOptions): Worker[] {
  return QUEUE_NAMES.map((queue) => {
    const worker = new Worker(queue, processorFor(queue, options.handlers, options.log, options.observeJob), {
      connection: options.connection,
      prefix: bullPrefix(options.redisPrefix),
      concurrency: WORKER_CONCURRENCY[queue],
      autorun: true,
      // A killed worker's job is picked up again once its lock lapses: keep that short, since a sync page is
      // one transaction and an order post is looked up before it is repeated, so a second run is always safe.
      lockDuration: 10_000,
      settings: { backoffStrategy: cappedBackoff },
      stalledInterval: 5_000,
    });
    worker.on('failed', (job, error) => {
      options.log.warn({ queue, job: job?.name, jobId: job?.id, err: error }, 'job failed');
    });
    worker.on('error', (error) => options.log.error({ queue, err: error }, 'worker error'));
    return worker;
  });
}
