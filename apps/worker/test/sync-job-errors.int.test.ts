import { syncState } from '@exact-sync/db';
import type { TokenManager, Transport } from '@exact-sync/exact';
import { bullPrefix, enqueue, workerRedis } from '@exact-sync/queues';
import {
  createTestDatabase,
  deleteRedisKeys,
  type TestDatabase,
  testRedisUrl,
  uniqueName,
} from '@exact-sync/testkit';
import type { Job, Worker } from 'bullmq';
import { and, eq } from 'drizzle-orm';
import type { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { startConsumers } from '../src/consumers.ts';
import { createHandlers } from '../src/jobs/handlers.ts';
import { createServices, type WorkerServices } from '../src/services.ts';
import { insertConnection } from './sync-helpers.ts';

// A real worker on real Redis and Postgres runs `sync.entity` jobs (8 attempts in the catalogue) against an Exact
// that answers every sync page with the status the test chooses, on a clock the test moves.
const log = pino({ level: 'silent' });
const prefix = uniqueName('sync_job_errors');
const EXACT = 'https://start.exactonline.nl';
let db: TestDatabase;
let services: WorkerServices;
let consumerRedis: Redis;
let workers: Worker[];
let answer: Awaited<ReturnType<Transport['request']>>;
const requests: string[] = [];
/** The worker's clock, which the test moves past the hour a refused entity waits. */
const clock = { offset: 0, now: () => Date.now() + clock.offset };
const HOUR = 3_600_000;

const exact: Transport = {
  async request(req) {
    requests.push(req.url);
    return answer;
  },
  async close() {},
};

const tokens: TokenManager = {
  providerFor: () => ({ accessToken: async () => 'token', refreshAfterUnauthorized: async () => 'token' }),
  completeAuthorization: () => Promise.reject(new Error('not used')),
  refreshIdle: () => Promise.reject(new Error('not used')),
};

/** Enqueues a sync of `items` and waits for its first run to end as `event`; answers the job as it stands then. */
async function firstRun(connectionId: string, event: 'failed' | 'completed'): Promise<Job> {
  const ended = new Promise<Job>((resolve) => {
    for (const worker of workers) {
      const listener = (job: Job | undefined) => {
        if (job?.data.connectionId !== connectionId) return;
        worker.off(event, listener);
        resolve(job);
      };
      worker.on(event, listener);
    }
  });
  await enqueue(services.queues, 'sync.entity', { connectionId, entity: 'items' });
  return ended;
}

async function itemsState(connectionId: string) {
  const [row] = await services.database.db
    .select()
    .from(syncState)
    .where(and(eq(syncState.connectionId, connectionId), eq(syncState.entity, 'items')));
  return row;
}

const lastError = async (connectionId: string) => (await itemsState(connectionId))?.lastError;

beforeAll(async () => {
  db = await createTestDatabase('sync_job_errors');
  const config = loadConfig({
    DATABASE_URL: db.url,
    REDIS_URL: testRedisUrl(),
    EXACT_CLIENT_ID: 'client',
    EXACT_CLIENT_SECRET: 'secret',
    TOKEN_ENCRYPTION_KEY: 'ab'.repeat(32),
    ADMIN_TOKEN: 'admin-token-of-this-test',
    REDIS_PREFIX: prefix,
  });
  services = { ...createServices(config, log, clock), tokens, transport: exact };
  consumerRedis = workerRedis(testRedisUrl());
  workers = startConsumers({
    connection: consumerRedis,
    redisPrefix: prefix,
    handlers: createHandlers(services),
    log,
  });
});

afterAll(async () => {
  await Promise.all(workers?.map((w) => w.close()) ?? []);
  consumerRedis?.disconnect();
  await services?.close();
  await deleteRedisKeys(bullPrefix(prefix));
  await deleteRedisKeys(prefix);
  await db?.drop();
});

describe('a sync job meeting an error from Exact', () => {
  it('puts the entity in error at a refusal for good (4xx), without retries, and calls again only an hour later', async () => {
    const connectionId = await insertConnection(services.database, EXACT, 100001);
    const message = "Property 'Code' does not exist.";
    answer = {
      status: 400,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ error: { code: '', message: { lang: '', value: message } } }),
    };
    requests.length = 0;

    const refusedAt = clock.now();
    const job = await firstRun(connectionId, 'completed');
    expect(job.attemptsMade).toBe(1);
    expect(job.failedReason).toBeFalsy();
    expect(requests).toHaveLength(1);
    const state = await itemsState(connectionId);
    expect(state?.lastError).toBe(message);
    expect(state?.errorSince).not.toBeNull();
    expect(state?.retryAt?.getTime()).toBeGreaterThanOrEqual(refusedAt + HOUR);

    // Polls and webhooks within the hour cost nothing.
    await firstRun(connectionId, 'completed');
    await firstRun(connectionId, 'completed');
    expect(requests).toHaveLength(1);

    clock.offset += HOUR;
    await firstRun(connectionId, 'completed');
    expect(requests).toHaveLength(2);
    expect((await itemsState(connectionId))?.errorSince).toEqual(state?.errorSince);
  });

  it('keeps retrying what may pass later (5xx), and records it even on the first run of an entity', async () => {
    const connectionId = await insertConnection(services.database, EXACT, 100002);
    answer = { status: 503, headers: {}, body: 'Service Unavailable' };

    const job = await firstRun(connectionId, 'failed');
    expect(job.attemptsMade).toBe(1);
    expect(await job.getState()).toBe('delayed');
    expect(await lastError(connectionId)).toContain('Exact answered 503');
    await job.remove();
  });
});
