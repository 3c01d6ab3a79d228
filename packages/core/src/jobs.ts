import { z } from 'zod';
import { entityNameSchema } from './entities.ts';
import { listNameSchema } from './lists.ts';
import type { QueueName } from './queues.ts';

/** Options every job of a kind starts with; a subset of BullMQ's JobsOptions, so core does not import BullMQ. */
interface DefaultJobOptions {
  readonly attempts: number;
  /**
   * `capped`: doubles from `delay` like `exponential` but never waits longer than `CAPPED_BACKOFF_MAX_MS`, so a
   * job that met a few failures in a row is not parked for minutes (the worker implements it).
   */
  readonly backoff: { readonly type: 'exponential' | 'fixed' | 'capped'; readonly delay: number };
  readonly removeOnComplete: boolean | { readonly count: number };
  readonly removeOnFail: boolean | { readonly count: number };
}

interface JobDefinition<Q extends QueueName, S extends z.ZodType> {
  readonly queue: Q;
  readonly payload: S;
  readonly options: DefaultJobOptions;
}

function job<Q extends QueueName, S extends z.ZodType>(
  queue: Q,
  payload: S,
  options: DefaultJobOptions,
): JobDefinition<Q, S> {
  return { queue, payload, options };
}

const uuid = z.uuid();

/** Longest wait between two attempts of a job with `capped` backoff. */
export const CAPPED_BACKOFF_MAX_MS = 15_000;

// Finished jobs are removed (or bounded), or a kept job with a deterministic id would swallow a later re-enqueue.
const syncOptions: DefaultJobOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 5_000 },
  removeOnComplete: true,
  removeOnFail: { count: 1_000 },
};

/**
 * The job catalogue: every job name with its queue, payload schema and default options. Payloads carry ids only;
 * the rows they name are written to Postgres first.
 */
export const JOBS = {
  'sync.entity': job(
    'sync',
    z.object({ connectionId: uuid, entity: entityNameSchema, full: z.boolean().optional() }).strict(),
    syncOptions,
  ),
  'sync.deleted': job('sync', z.object({ connectionId: uuid }).strict(), syncOptions),
  // A full read of one REST list (price lists, VAT codes, …), planned daily.
  'sync.list': job('sync', z.object({ connectionId: uuid, list: listNameSchema }).strict(), syncOptions),
  'order.submit': job('orders', z.object({ orderId: uuid }).strict(), {
    attempts: 12,
    backoff: { type: 'capped', delay: 1_000 },
    removeOnComplete: true,
    removeOnFail: true,
  }),
  // Run by a job scheduler (hourly): refreshes connections whose refresh token has gone unused for a day, so a quiet
  // shop never reaches Exact's 30-day expiry. Token calls do not count against the API budget.
  'tokens.refresh-idle': job('sync', z.object({}).strict(), {
    attempts: 3,
    backoff: { type: 'exponential', delay: 60_000 },
    removeOnComplete: true,
    removeOnFail: { count: 100 },
  }),
} as const;

export type JobName = keyof typeof JOBS;
export type JobPayload<K extends JobName> = z.infer<(typeof JOBS)[K]['payload']>;
export const JOB_NAMES = Object.keys(JOBS) as JobName[];

export function jobsOfQueue(queue: QueueName): JobName[] {
  return JOB_NAMES.filter((name) => JOBS[name].queue === queue);
}

/** Validates a payload for a job name; throws a zod error naming the bad fields. */
export function parsePayload<K extends JobName>(name: K, data: unknown): JobPayload<K> {
  return JOBS[name].payload.parse(data) as JobPayload<K>;
}

/** A BullMQ job scheduler's template (what `upsertJobScheduler` takes) for a job of the catalogue. */
interface SchedulerTemplate<K extends JobName> {
  readonly name: K;
  readonly data: JobPayload<K>;
  readonly opts: DefaultJobOptions;
}

/**
 * The template of a job scheduler that runs `name`: the payload is validated as an enqueued one is (a bad template
 * throws before it reaches Redis), and the job's default options come with it. Put it on the job's queue
 * (`JOBS[name].queue`).
 */
export function schedulerTemplate<K extends JobName>(name: K, payload: JobPayload<K>): SchedulerTemplate<K> {
  return { name, data: parsePayload(name, payload), opts: JOBS[name].options };
}

export function isJobName(name: string): name is JobName {
  return Object.hasOwn(JOBS, name);
}

/**
 * Deduplication id of a connection's sync of one dataset (an entity, or `deleted`): a burst of triggers (webhooks,
 * operators, the reconciler) makes one queued run.
 */
export function syncDedupId(connectionId: string, dataset: string): string {
  return `sync:${connectionId}:${dataset}`;
}

/**
 * Deduplication of a sync run that brings news (a webhook, an operator): while one run is queued the request folds
 * into it; while one runs, exactly one more run is marked for after it (BullMQ's `keepLastIfActive`), so a change
 * announced mid-run is never lost and a burst never makes more than two runs. The reconciler, which brings no news,
 * uses `{ id }` alone: it only makes sure some run exists.
 */
export function syncDedup(connectionId: string, dataset: string): { id: string; keepLastIfActive: true } {
  return { id: syncDedupId(connectionId, dataset), keepLastIfActive: true };
}
