import { callbackSecretContext } from '@exact-sync/callbacks';
import { callbackSecrets, insertOrder, orderCallbacks, transitionOrder } from '@exact-sync/db';
import { createTokenCipher } from '@exact-sync/exact';
import {
  createTestDatabase,
  deleteRedisKeys,
  parsePrometheus,
  type TestDatabase,
  testRedisUrl,
  uniqueName,
} from '@exact-sync/testkit';
import { and, eq, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, seedConnection, testConfig } from './helpers.ts';
import { ADMIN } from './onboarding.ts';

const KEY = '0f'.repeat(32);
const cipher = createTokenCipher(KEY);
let db: TestDatabase;
let api: FastifyInstance;
const prefix = uniqueName('callback_secrets');

beforeAll(async () => {
  db = await createTestDatabase('callback_secrets');
  api = await buildApp(
    testConfig({
      DATABASE_URL: db.url,
      REDIS_URL: testRedisUrl(),
      REDIS_PREFIX: prefix,
      TOKEN_ENCRYPTION_KEY: KEY,
      // Receivers on loopback over http, so no name needs resolving.
      CALLBACK_ALLOW_HTTP: 'true',
      CALLBACK_ALLOW_PRIVATE: 'true',
    }),
  );
});

afterAll(async () => {
  await api?.close();
  await db?.drop();
  await deleteRedisKeys(`{${prefix}}`);
});

const patch = (id: string, channels: Record<string, unknown>) =>
  api.inject({ method: 'PATCH', url: `/v1/connections/${id}`, headers: ADMIN, payload: { channels } });
const rotate = (id: string, channel: string, headers: Record<string, string> = ADMIN) =>
  api.inject({ method: 'POST', url: `/v1/connections/${id}/channels/${channel}/callback-secret`, headers });

async function storedSecret(connectionId: string, channel: 'b2b' | 'b2c') {
  const [row] = await api.database.db
    .select()
    .from(callbackSecrets)
    .where(and(eq(callbackSecrets.connectionId, connectionId), eq(callbackSecrets.channel, channel)));
  const open = (enc: string | null | undefined) =>
    enc ? cipher.decrypt(enc, callbackSecretContext(connectionId, channel)) : null;
  return { row, current: open(row?.secretEnc), previous: open(row?.previousSecretEnc) };
}

describe('callback signing secrets', () => {
  it('are made when a channel first gets a callbackUrl, shown in that answer only, and stored encrypted', async () => {
    const { connectionId } = await seedConnection(api);
    const first = await patch(connectionId, { b2b: { callbackUrl: 'http://127.0.0.1:9/hooks' } });
    expect(first.statusCode).toBe(200);
    const secret = first.json().callbackSecrets.b2b as string;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(first.json().callbackSecrets.b2c).toBeUndefined();
    const stored = await storedSecret(connectionId, 'b2b');
    expect(stored.current).toBe(secret);
    expect(stored.row?.secretEnc).not.toContain(secret);

    const again = await patch(connectionId, { b2b: { callbackUrl: 'http://127.0.0.1:9/other' } });
    expect(again.statusCode).toBe(200);
    expect(again.json()).not.toHaveProperty('callbackSecrets');
    expect((await storedSecret(connectionId, 'b2b')).current).toBe(secret);
    const view = await api.inject({ url: `/v1/connections/${connectionId}/status`, headers: ADMIN });
    expect(view.body).not.toContain(secret);
  });

  it('rotate on request: the new one is answered once, the old one kept for 24 hours', async () => {
    const { connectionId } = await seedConnection(api);
    const made = (
      await patch(connectionId, { b2c: { defaultAccountCode: 'WEB', callbackUrl: 'http://127.0.0.1:9/' } })
    ).json().callbackSecrets.b2c as string;
    const res = await rotate(connectionId, 'b2c');
    expect(res.statusCode).toBe(201);
    const { secret } = res.json() as { secret: string };
    expect(secret).toMatch(/^whsec_/);
    expect(secret).not.toBe(made);
    const stored = await storedSecret(connectionId, 'b2c');
    expect([stored.current, stored.previous]).toEqual([secret, made]);
    const left = (stored.row?.previousExpiresAt?.getTime() ?? 0) - Date.now();
    expect(left).toBeGreaterThan(23.9 * 3_600_000);
    expect(left).toBeLessThanOrEqual(24 * 3_600_000);

    // A channel without a URL yet may get its secret first.
    expect((await rotate(connectionId, 'b2b')).statusCode).toBe(201);
    expect((await storedSecret(connectionId, 'b2b')).previous).toBeNull();
  });

  it('refuse an unknown connection or channel, and anyone without the operator token', async () => {
    const { connectionId, keys } = await seedConnection(api);
    expect((await rotate('00000000-0000-4000-8000-000000000000', 'b2b')).statusCode).toBe(404);
    const channel = await rotate(connectionId, 'pos');
    expect([channel.statusCode, channel.json().error.details[0].field]).toEqual([400, 'params.channel']);
    expect((await rotate(connectionId, 'b2b', {})).statusCode).toBe(401);
    expect((await rotate(connectionId, 'b2b', { authorization: `Bearer ${keys.b2b}` })).statusCode).toBe(401);
  });
});

describe('callbacks in status and metrics', () => {
  it('count pending, failing, held and given-up events per channel, and a new URL frees held ones', async () => {
    const { connectionId } = await seedConnection(api, { b2b: { callbackUrl: 'http://127.0.0.1:9/hooks' } });
    const { db: pg } = api.database;
    const { order } = await insertOrder(pg, {
      connectionId,
      channel: 'b2b',
      reference: 'CB-1',
      yourRef: 'B2B-CB-1',
      payloadHash: 'x',
      customer: { code: 'C1' },
      lines: [{ sku: 'S', quantity: '1' }],
    });
    await transitionOrder(pg, order.id, ['accepted'], 'submitting');
    const [accepted, submitting] = await pg
      .select()
      .from(orderCallbacks)
      .where(eq(orderCallbacks.orderId, order.id))
      .orderBy(orderCallbacks.seq);
    const later = new Date(Date.now() + 3_600_000);
    await pg
      .update(orderCallbacks)
      .set({
        attempts: 3,
        lastError: 'HTTP 503',
        lastAttemptAt: new Date(),
        nextAttemptAt: later,
        heldAt: new Date(),
      })
      .where(eq(orderCallbacks.id, accepted?.id ?? ''));
    await pg
      .update(orderCallbacks)
      .set({
        failedAt: sql`now()`,
        lastError: 'HTTP 500; given up after 15 attempts',
        lastAttemptAt: new Date(),
      })
      .where(eq(orderCallbacks.id, submitting?.id ?? ''));

    const status = (
      await api.inject({ url: `/v1/connections/${connectionId}/status`, headers: ADMIN })
    ).json();
    expect(status.callbacks.b2b).toMatchObject({ pending: 1, failing: 0, held: 1, givenUp: 1 });
    expect(status.callbacks.b2b.lastError).toBe('HTTP 500; given up after 15 attempts');
    expect(status.callbacks.b2c).toMatchObject({ pending: 0, givenUp: 0, lastError: null });

    const scrape = parsePrometheus((await api.inject({ url: '/metrics', headers: ADMIN })).body);
    const series = (state: string) =>
      scrape.value('exs_order_callbacks', { connection_id: connectionId, channel: 'b2b', state });
    expect([series('pending'), series('held'), series('given_up')]).toEqual([1, 1, 1]);

    // The event behind a held one waits on it: it is not overdue, however long ago it was written.
    await pg
      .update(orderCallbacks)
      .set({ failedAt: null, nextAttemptAt: new Date(Date.now() - 300_000) })
      .where(eq(orderCallbacks.id, submitting?.id ?? ''));
    const counts = async () =>
      (await api.inject({ url: `/v1/connections/${connectionId}/status`, headers: ADMIN })).json().callbacks
        .b2b;
    expect(await counts()).toMatchObject({ pending: 2, held: 1, overdue: 0 });
    await pg
      .update(orderCallbacks)
      .set({ nextAttemptAt: new Date(Date.now() - 120_000) })
      .where(eq(orderCallbacks.id, accepted?.id ?? ''));
    expect(await counts()).toMatchObject({ pending: 2, overdue: 1 });

    await pg
      .update(orderCallbacks)
      .set({ nextAttemptAt: later })
      .where(eq(orderCallbacks.id, accepted?.id ?? ''));
    await patch(connectionId, { b2b: { callbackUrl: 'http://127.0.0.1:9/fixed' } });
    const [freed] = await pg
      .select()
      .from(orderCallbacks)
      .where(eq(orderCallbacks.id, accepted?.id ?? ''));
    expect(freed?.nextAttemptAt.getTime()).toBeLessThanOrEqual(Date.now());
  });
});
