import { closeQueues, createQueues, enqueue, workerRedis } from '@exact-sync/queues';
import {
  createTestDatabase,
  deleteRedisKeys,
  startEntry,
  type TestDatabase,
  testRedisUrl,
  uniqueName,
} from '@exact-sync/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let db: TestDatabase;
const prefix = uniqueName('worker');

function env(overrides: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    DATABASE_URL: db.url,
    REDIS_URL: testRedisUrl(),
    REDIS_PREFIX: prefix,
    EXACT_CLIENT_ID: 'exact-sim-client',
    EXACT_CLIENT_SECRET: 'exact-sim-secret',
    TOKEN_ENCRYPTION_KEY: '0f'.repeat(32),
    ADMIN_TOKEN: 'test-admin-token-0123456789',
    WORKER_PORT: '0',
    LOG_LEVEL: 'info',
    ...overrides,
  };
}

beforeAll(async () => {
  db = await createTestDatabase('worker');
});

afterAll(async () => {
  await deleteRedisKeys(`{${prefix}}`);
  await db?.drop();
});

describe('worker process', () => {
  it('refuses to start with a readable list of every bad variable', async () => {
    const start = startEntry('apps/worker/src/main.ts', {
      env: env({ DATABASE_URL: 'nope', ADMIN_TOKEN: undefined, EXACT_CLIENT_SECRET: 'top-secret-value' }),
      ready: /never/,
    });
    const error = await start.then(
      () => new Error('started'),
      (e: Error) => e,
    );
    expect(error.message).toContain('DATABASE_URL: must be a postgres:// URL');
    expect(error.message).toContain('ADMIN_TOKEN: is required');
    expect(error.message).not.toContain('top-secret-value');
  });

  it('reports ready, consumes both queues and stops gracefully', async () => {
    const worker = await startEntry('apps/worker/src/main.ts', {
      env: env(),
      ready: /worker listening on (http:\/\/\S+)/,
    });
    try {
      const ready = await fetch(`${worker.match}/health/ready`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ status: 'ok', postgres: true, redis: true });

      const redis = workerRedis(testRedisUrl());
      const queues = createQueues(redis, prefix);
      const orderId = crypto.randomUUID();
      await enqueue(queues, 'order.submit', { orderId }, { jobId: orderId });
      // A payload that bypassed validation (written straight to Redis) is refused by the worker, not run.
      await queues.sync.add('sync.entity', { connectionId: 'not-a-uuid', entity: 'items' });
      const deadline = Date.now() + 15_000;
      while (Date.now() < deadline) {
        const waiting = (await queues.orders.getWaitingCount()) + (await queues.sync.getWaitingCount());
        const failed = await queues.sync.getFailedCount();
        if (waiting === 0 && failed === 1) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const [failedJob] = await queues.sync.getFailed();
      expect(failedJob?.failedReason).toContain('invalid payload for sync.entity');
      await closeQueues(queues);
      redis.disconnect();
    } finally {
      await worker.stop();
    }
    expect(worker.child.exitCode).toBe(0);
  });
});
