import { createHmac, randomUUID } from 'node:crypto';
import { connections } from '@exact-sync/db';
import {
  createTestDatabase,
  deleteRedisKeys,
  type TestDatabase,
  testRedisUrl,
  uniqueName,
} from '@exact-sync/testkit';
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildApp, seedConnection, testConfig } from '../helpers.ts';

const SECRET = 'test-webhook-secret';
const DIVISION = 100001; // seedConnection's division

let testDb: TestDatabase;
let api: FastifyInstance;
let shop: Awaited<ReturnType<typeof seedConnection>>;
const prefix = uniqueName('webhooks');

const sign = (rawContent: string, secret = SECRET) =>
  createHmac('sha256', secret).update(rawContent).digest('hex').toUpperCase();

/** Content as Exact might format it: key order and whitespace unlike JSON.stringify's. */
function content(topic: string, division = DIVISION): string {
  const key = randomUUID();
  return `{ "Division" : ${division},\n  "Topic": "${topic}", "Action":"Update",
  "Key": "${key}", "ClientId" :"exact-sim-client",
  "ExactOnlineEndpoint": "http://127.0.0.1:1/api/v1/${division}/logistics/Items(guid'${key}')",
  "EventCreatedOn": "2026-03-01T10:00:00.000Z" }`;
}

const deliver = (body: string, contentType = 'application/json') =>
  api.inject({
    method: 'POST',
    url: '/webhooks/exact',
    headers: contentType ? { 'content-type': contentType } : {},
    payload: body,
  });

const signed = (raw: string, hash = sign(raw)) => `{"HashCode": "${hash}",\n "Content":${raw}}`;

async function syncJobs(): Promise<{ name: string; data: unknown }[]> {
  const jobs = await api.queues.sync.getJobs(['waiting', 'prioritized', 'delayed', 'active']);
  return jobs.map((job) => ({ name: job.name, data: job.data }));
}

beforeAll(async () => {
  testDb = await createTestDatabase('api_webhooks');
  api = await buildApp(
    testConfig({
      DATABASE_URL: testDb.url,
      REDIS_URL: testRedisUrl(),
      REDIS_PREFIX: prefix,
      EXACT_WEBHOOK_SECRET: SECRET,
    }),
  );
  shop = await seedConnection(api);
});

beforeEach(async () => {
  await api.queues.sync.obliterate({ force: true });
});

afterAll(async () => {
  await api?.close();
  await deleteRedisKeys(`{${prefix}}`);
  await testDb?.drop();
});

describe('POST /webhooks/exact', () => {
  it('verifies the HashCode over the Content text as sent and enqueues a sync of the entity', async () => {
    const raw = content('StockPositions');
    const res = await deliver(signed(raw));
    expect(res.statusCode).toBe(200);
    expect(await syncJobs()).toEqual([
      { name: 'sync.entity', data: { connectionId: shop.connectionId, entity: 'stock' } },
    ]);
    // Debounced: it waits WEBHOOK_DEBOUNCE_MS (3 s by default) for the rest of a burst, and while a run is in
    // progress a delivery marks one more run after it.
    const [job] = await api.queues.sync.getJobs(['delayed']);
    expect(job?.opts.delay).toBe(3_000);
    expect(job?.opts.deduplication).toEqual({
      id: `sync:${shop.connectionId}:stock`,
      keepLastIfActive: true,
    });
  });

  it('brings a deletions round forward for a Delete, instead of an entity run that would find nothing', async () => {
    const res = await deliver(signed(content('Items').replace('"Update"', '"Delete"')));
    expect(res.json()).toEqual({ received: true, queued: 1 });
    expect(await syncJobs()).toEqual([{ name: 'sync.deleted', data: { connectionId: shop.connectionId } }]);
  });

  it('refuses with 401 a HashCode over a re-serialized Content, or a Content changed after signing', async () => {
    const raw = content('Items');
    const reserialized = await deliver(signed(raw, sign(JSON.stringify(JSON.parse(raw)))));
    expect(reserialized.statusCode).toBe(401);
    expect(reserialized.json().error.code).toBe('unauthorized');

    const tampered = await deliver(signed(raw.replace('"Update"', '"Delete"'), sign(raw)));
    expect(tampered.statusCode).toBe(401);
    const otherSecret = await deliver(signed(raw, sign(raw, 'someone-else')));
    expect(otherSecret.statusCode).toBe(401);
    expect(await syncJobs()).toEqual([]);
  });

  it('answers the empty validation call after subscribing with 200, with or without a content type', async () => {
    expect((await deliver('')).statusCode).toBe(200);
    expect((await deliver('', '')).statusCode).toBe(200);
    expect(await syncJobs()).toEqual([]);
  });

  it('collapses a burst of 100 deliveries into one waiting sync run', async () => {
    const responses = await Promise.all(
      Array.from({ length: 100 }, () => deliver(signed(content('Accounts')))),
    );
    expect(responses.map((r) => r.statusCode)).toEqual(Array(100).fill(200));
    expect(await syncJobs()).toEqual([
      { name: 'sync.entity', data: { connectionId: shop.connectionId, entity: 'accounts' } },
    ]);
  });

  it('takes a replayed delivery (the same signed body again, in a row or at once) as harmless: no more sync runs', async () => {
    const body = signed(content('Items'));
    expect((await deliver(body)).statusCode).toBe(200);
    const once = await syncJobs();
    expect(once.map((job) => job.data)).toContainEqual({ connectionId: shop.connectionId, entity: 'items' });
    const replays = [
      await deliver(body),
      ...(await Promise.all([deliver(body), deliver(body), deliver(body)])),
    ];
    expect(replays.map((r) => r.statusCode)).toEqual([200, 200, 200, 200]);
    expect(await syncJobs()).toEqual(once);
  });

  it('accepts deliveries for unknown divisions, unknown topics and paused connections without a sync', async () => {
    const unknownDivision = await deliver(signed(content('Items', 999_999)));
    expect(unknownDivision.statusCode).toBe(200);
    const unknownTopic = await deliver(signed(content('Documents')));
    expect(unknownTopic.json()).toEqual({ received: true, queued: 0 });

    const { db } = api.database;
    await db.update(connections).set({ paused: true }).where(eq(connections.id, shop.connectionId));
    try {
      expect((await deliver(signed(content('Items')))).statusCode).toBe(200);
    } finally {
      await db.update(connections).set({ paused: false }).where(eq(connections.id, shop.connectionId));
    }
    expect(await syncJobs()).toEqual([]);
  });

  it('answers 400 to a body that is not a delivery and 413 to one far too large', async () => {
    expect((await deliver('{"Content": ')).statusCode).toBe(400);
    expect((await deliver('{"HashCode":"AB"}')).json().error.code).toBe('invalid_webhook');
    const huge = signed(content('Items').replace('"Action"', `"Pad":"${'x'.repeat(70_000)}","Action"`));
    expect((await deliver(huge)).statusCode).toBe(413);
  });
});

describe('POST /webhooks/exact when the service cannot act on it', () => {
  it('answers 503 with a clear code while EXACT_WEBHOOK_SECRET is not configured', async () => {
    const unconfigured = await buildApp(
      testConfig({ DATABASE_URL: testDb.url, REDIS_URL: testRedisUrl(), REDIS_PREFIX: prefix }),
    );
    try {
      const res = await unconfigured.inject({ method: 'POST', url: '/webhooks/exact', payload: '' });
      expect(res.statusCode).toBe(503);
      expect(res.json().error.code).toBe('webhooks_not_configured');
    } finally {
      await unconfigured.close();
    }
  });

  it('still answers 200 to a valid delivery while Redis is down', async () => {
    const noRedis = await buildApp(
      testConfig({
        DATABASE_URL: testDb.url,
        REDIS_URL: 'redis://127.0.0.1:1',
        REDIS_PREFIX: prefix,
        EXACT_WEBHOOK_SECRET: SECRET,
      }),
    );
    try {
      const res = await noRedis.inject({
        method: 'POST',
        url: '/webhooks/exact',
        headers: { 'content-type': 'application/json' },
        payload: signed(content('Items')),
      });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ received: true, queued: 0 });
    } finally {
      await noRedis.close();
    }
  });
});
