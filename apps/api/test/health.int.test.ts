import { createTestDatabase, type TestDatabase, testRedisUrl } from '@exact-sync/testkit';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, testConfig } from './helpers.ts';

let db: TestDatabase;
let api: FastifyInstance;

beforeAll(async () => {
  db = await createTestDatabase('api_health');
  api = await buildApp(testConfig({ DATABASE_URL: db.url, REDIS_URL: testRedisUrl() }));
});

afterAll(async () => {
  await api?.close();
  await db?.drop();
});

describe('health', () => {
  it('is live and ready with Postgres up', async () => {
    expect((await api.inject('/health/live')).json()).toEqual({ status: 'ok' });
    const ready = await api.inject('/health/ready');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ok', postgres: true });
  });

  it('is not ready when Postgres cannot be reached, and stays live', async () => {
    const down = await buildApp(testConfig({ DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none' }));
    try {
      const ready = await down.inject('/health/ready');
      expect(ready.statusCode).toBe(503);
      expect(ready.json()).toMatchObject({ status: 'unavailable', postgres: false });
      expect((await down.inject('/health/live')).statusCode).toBe(200);
    } finally {
      await down.close();
    }
  });

  it('answers unknown routes with the error shape', async () => {
    const res = await api.inject('/nowhere?secret=1');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: { code: 'not_found', message: 'no route GET /nowhere' } });
  });
});
