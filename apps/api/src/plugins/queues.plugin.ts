import { type JobName, type JobPayload, syncDedupId, withTimeout } from '@exact-sync/core';
import { createGovernor, type Governor, systemClock } from '@exact-sync/exact';
import {
  closeQueues,
  createQueues,
  enqueue,
  enqueueMany,
  producerRedis,
  type Queues,
} from '@exact-sync/queues';
import type { JobsOptions } from 'bullmq';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Redis } from 'ioredis';

declare module 'fastify' {
  interface FastifyInstance {
    queues: Queues;
    redis: Redis;
    /** The rate governor over the same Redis, read-only here: status pages and metrics take its snapshots. */
    governor: Governor;
    /**
     * Enqueues a job of the catalogue. Answers false instead of throwing when Redis is unreachable: Postgres holds
     * the truth and the worker's reconciler enqueues what is missing. `log` is the request's logger, when there is
     * one, so the warning carries the request id.
     */
    tryEnqueue<K extends JobName>(
      name: K,
      payload: JobPayload<K>,
      options?: JobsOptions,
      log?: FastifyBaseLogger,
    ): Promise<boolean>;
    /** `tryEnqueue` for many jobs of one name at once, in one round trip to Redis. */
    tryEnqueueMany<K extends JobName>(
      name: K,
      jobs: readonly { payload: JobPayload<K>; options?: JobsOptions }[],
      log?: FastifyBaseLogger,
    ): Promise<boolean>;
    /** The polling interval (ms) of a connection's dataset as the worker's planner set it; undefined if unknown. */
    plannedSyncInterval(connectionId: string, dataset: string): Promise<number | undefined>;
  }
}

const ENQUEUE_TIMEOUT_MS = 1_500;

interface QueuesOptions {
  redisUrl: string;
  redisPrefix: string;
  /** The worker's reserves, so the governor's snapshots report the same sync share the worker enforces. */
  syncReservePerMinute: number;
  syncReservePerDay: number;
}

async function queuesPlugin(app: FastifyInstance, options: QueuesOptions): Promise<void> {
  const redis = producerRedis(options.redisUrl);
  // ioredis reports reconnect attempts as errors; readiness does not depend on Redis, so these are only logged.
  redis.on('error', (error) => app.log.debug({ err: error }, 'redis unavailable'));
  const queues = createQueues(redis, options.redisPrefix);
  for (const queue of Object.values(queues)) queue.on('error', () => {});
  app.decorate('queues', queues);
  app.decorate(
    'governor',
    createGovernor(
      { redis, clock: systemClock, keyPrefix: options.redisPrefix },
      { syncReservePerMinute: options.syncReservePerMinute, syncReservePerDay: options.syncReservePerDay },
    ),
  );
  app.decorate('redis', redis);
  app.decorate('tryEnqueue', async (name, payload, jobOptions, log = app.log) => {
    try {
      // BullMQ waits for a connection that may never come; the request must not.
      await withTimeout(enqueue(queues, name, payload, jobOptions), ENQUEUE_TIMEOUT_MS, () => {
        throw new Error(`Redis did not answer within ${ENQUEUE_TIMEOUT_MS} ms`);
      });
      return true;
    } catch (error) {
      log.warn({ job: name, err: error }, 'could not enqueue; the reconciler will');
      return false;
    }
  });
  app.decorate('tryEnqueueMany', async (name, jobs, log = app.log) => {
    try {
      await withTimeout(enqueueMany(queues, name, jobs), ENQUEUE_TIMEOUT_MS, () => {
        throw new Error(`Redis did not answer within ${ENQUEUE_TIMEOUT_MS} ms`);
      });
      return true;
    } catch (error) {
      log.warn({ job: name, jobs: jobs.length, err: error }, 'could not enqueue; the reconciler will');
      return false;
    }
  });
  app.decorate('plannedSyncInterval', async (connectionId: string, dataset: string) => {
    const read = queues.sync.getJobScheduler(syncDedupId(connectionId, dataset)).then((s) => s?.every);
    return withTimeout(read, ENQUEUE_TIMEOUT_MS, () => undefined).catch(() => undefined);
  });
  app.addHook('onClose', async () => {
    await closeQueues(queues);
    redis.disconnect();
  });
}

export default fp(queuesPlugin, { name: 'queues' });
