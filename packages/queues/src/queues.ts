import { JOBS, type JobName, type JobPayload, QUEUE_NAMES, type QueueName } from '@exact-sync/core';
import { type JobsOptions, Queue } from 'bullmq';
import type { Redis } from 'ioredis';

/** BullMQ's key prefix: hash-tagged so every key of a queue lands in one slot of a Redis Cluster. */
export function bullPrefix(redisPrefix: string): string {
  return `{${redisPrefix}}`;
}

export type Queues = Readonly<Record<QueueName, Queue>>;

/** One Queue object per queue name, sharing a connection. */
export function createQueues(connection: Redis, redisPrefix: string): Queues {
  const prefix = bullPrefix(redisPrefix);
  const entries = QUEUE_NAMES.map((name) => [name, new Queue(name, { connection, prefix })] as const);
  return Object.fromEntries(entries) as Record<QueueName, Queue>;
}

export async function closeQueues(queues: Queues): Promise<void> {
  await Promise.all(Object.values(queues).map((q) => q.close()));
}

/**
 * Enqueues a job of the catalogue: the payload is validated first (a bad payload never reaches Redis), the job goes
 * to its queue with its default options, merged with `options` (job id, deduplication, delay).
 */
export async function enqueue<K extends JobName>(
  queues: Queues,
  name: K,
  payload: JobPayload<K>,
  options: JobsOptions = {},
): Promise<string | undefined> {
  const definition = JOBS[name];
  const data = definition.payload.parse(payload);
  const job = await queues[definition.queue].add(name, data, { ...definition.options, ...options });
  return job.id;
}

/**
 * Enqueues jobs of one name of the catalogue in one round trip (BullMQ's `addBulk`), each payload validated first
 * (a bad payload sends nothing), each with the job's default options merged with its own.
 */
export async function enqueueMany<K extends JobName>(
  queues: Queues,
  name: K,
  jobs: readonly { payload: JobPayload<K>; options?: JobsOptions }[],
): Promise<void> {
  if (jobs.length === 0) return;
  const definition = JOBS[name];
  const bulk = jobs.map((job) => ({
    name,
    data: definition.payload.parse(job.payload),
    opts: { ...definition.options, ...job.options },
  }));
  await queues[definition.queue].addBulk(bulk);
}
