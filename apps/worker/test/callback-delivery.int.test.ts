import { callbackSecretContext, generateCallbackSecret } from '@exact-sync/callbacks';
import {
  connections,
  type DatabaseHandle,
  insertOrder,
  nextCallbackDue,
  openDatabase,
  orderCallbacks,
  releaseHeldCallbacks,
  rotateCallbackSecret,
  saveFirstCallbackSecret,
  transitionOrder,
} from '@exact-sync/db';
import { createTokenCipher } from '@exact-sync/exact';
import { createTestDatabase, type TestDatabase } from '@exact-sync/testkit';
import { asc, eq, sql } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { deliverDueCallbacks } from '../src/callbacks/callback-delivery.ts';
import type { CallbackDeliveryDeps } from '../src/callbacks/deliver-callback.ts';
import { type ReceivedCallback, signedBy, startReceiver } from './callback-receiver.ts';

const HOUR = 3_600_000;
const KEY = 'cd'.repeat(32);
const cipher = createTokenCipher(KEY);
let testDb: TestDatabase;
let handle: DatabaseHandle;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
/** What the receiver answers; each test sets its own. */
let answer: (post: ReceivedCallback) => number = () => 200;
/** The worker's clock, moved by the tests. */
const clock = { t: Date.now(), now: () => clock.t };
const receivedAt: number[] = [];
const outcomes: string[] = [];

const deps = (): CallbackDeliveryDeps => ({
  db: handle.db,
  clock,
  cipher,
  policy: { allowHttp: true, allowPrivate: true },
  retryBaseMs: 10_000,
  timeoutMs: 2_000,
  log: pino({ level: 'silent' }),
  random: () => 0.5,
  observe: (outcome) => outcomes.push(outcome),
});

beforeAll(async () => {
  testDb = await createTestDatabase('callback_delivery');
  handle = openDatabase(testDb.url, { max: 4 });
  receiver = await startReceiver((post) => {
    receivedAt.push(clock.now());
    return answer(post);
  });
});

afterEach(() => {
  receiver.received.length = 0;
  receivedAt.length = 0;
  outcomes.length = 0;
  answer = () => 200;
});

afterAll(async () => {
  await receiver?.close();
  await handle?.close();
  await testDb?.drop();
});

/** A connection whose b2b channel posts to `url`, signed with a new secret (answered). */
async function channelTo(url: string, withSecret = true) {
  const [row] = await handle.db
    .insert(connections)
    .values({
      name: 'Shop',
      exactBaseUrl: 'https://start.exactonline.nl',
      channels: { b2b: { callbackUrl: url } },
    })
    .returning({ id: connections.id });
  if (!row) throw new Error('no connection');
  const secret = generateCallbackSecret();
  const secretEnc = cipher.encrypt(secret, callbackSecretContext(row.id, 'b2b'));
  if (withSecret)
    await saveFirstCallbackSecret(handle.db, { connectionId: row.id, channel: 'b2b', secretEnc });
  return { connectionId: row.id, secret, secretEnc };
}

async function placeOrder(connectionId: string, reference: string): Promise<string> {
  const { order } = await insertOrder(handle.db, {
    connectionId,
    channel: 'b2b',
    reference,
    yourRef: `B2B-${reference}`,
    payloadHash: reference,
    customer: { code: 'C1' },
    lines: [{ sku: 'SKU-1', quantity: '1' }],
  });
  return order.id;
}

const eventsOf = (orderId: string) =>
  handle.db
    .select()
    .from(orderCallbacks)
    .where(eq(orderCallbacks.orderId, orderId))
    .orderBy(asc(orderCallbacks.seq));

/** Delivers what is due, moving the clock to the next due time whenever nothing is, until `done` or nothing is left. */
async function runUntil(done: () => boolean): Promise<void> {
  for (let round = 0; round < 200 && !done(); round++) {
    if ((await deliverDueCallbacks(deps(), 8)) > 0) continue;
    const next = await nextCallbackDue(handle.db);
    if (!next) return;
    clock.t = Math.max(clock.t, next.getTime());
  }
}

describe('callback delivery on the worker clock', () => {
  it('retries a failing receiver with growing waits over more than 24 hours, gives up, and then sends the next event', async () => {
    clock.t = Date.now();
    const { connectionId, secret } = await channelTo(`${receiver.url}/hooks?shop=1`);
    const orderId = await placeOrder(connectionId, 'BACKOFF-1');
    await transitionOrder(handle.db, orderId, ['accepted'], 'submitting');
    answer = (post) => (post.body.status === 'accepted' ? 500 : 204);
    const start = clock.t;

    await runUntil(() => receiver.delivered().length > 0);

    const statuses = receiver.received.map((r) => r.body.status);
    expect(statuses).toEqual([...Array(15).fill('accepted'), 'submitting']);
    const attempts = receivedAt.slice(0, 15);
    const waits = attempts.slice(1).map((t, i) => t - (attempts[i] ?? 0));
    // 10 s, 30 s, 2 min, 10 min, 30 min, 1 h, 2 h, then 3 h: each wait at least the schedule's, at most a fifth more.
    const schedule = [10, 30, 120, 600, 1_800, 3_600, 7_200, ...Array(7).fill(10_800)].map((s) => s * 1000);
    waits.forEach((wait, i) => {
      expect(wait).toBeGreaterThanOrEqual(schedule[i] ?? 0);
      expect(wait).toBeLessThanOrEqual((schedule[i] ?? 0) * 1.2 + 1);
    });
    expect((attempts.at(-1) ?? 0) - start).toBeGreaterThanOrEqual(24 * HOUR);
    // The next event went only after the first was given up, signed like every post.
    expect(receivedAt[15]).toBeGreaterThanOrEqual(attempts.at(-1) ?? Number.POSITIVE_INFINITY);
    for (const post of receiver.received)
      expect(signedBy(post, [secret], Math.floor(clock.t / 1000), 1e9)).toEqual([0]);

    const [first, second] = await eventsOf(orderId);
    expect(first).toMatchObject({ attempts: 15, deliveredAt: null });
    expect(first?.failedAt).not.toBeNull();
    expect(first?.lastError).toBe('HTTP 500; given up after 15 attempts');
    expect(second).toMatchObject({ attempts: 1, failedAt: null, lastError: null });
    expect(second?.deliveredAt).not.toBeNull();
    expect(outcomes).toEqual([...Array(14).fill('retry'), 'given_up', 'delivered']);
  });

  it('signs with the new and the old secret during the rotation window, then with the new one only', async () => {
    clock.t = Date.now();
    const { connectionId, secret: old } = await channelTo(`${receiver.url}/hooks`);
    const fresh = generateCallbackSecret();
    await rotateCallbackSecret(handle.db, {
      connectionId,
      channel: 'b2b',
      secretEnc: cipher.encrypt(fresh, callbackSecretContext(connectionId, 'b2b')),
      overlapMs: 24 * HOUR,
    });
    const orderId = await placeOrder(connectionId, 'ROTATE-1');
    await runUntil(() => receiver.delivered().length === 1);
    const [during] = receiver.received;
    expect(during?.signature).toMatch(/^t=\d+,v1=[0-9a-f]{64},v1=[0-9a-f]{64}$/);
    expect(signedBy(during ?? { raw: '', signature: '' }, [fresh, old])).toEqual([0, 1]);

    clock.t += 25 * HOUR;
    await transitionOrder(handle.db, orderId, ['accepted'], 'submitting');
    await runUntil(() => receiver.delivered().length === 2);
    const after = receiver.received[1] ?? { raw: '', signature: '' };
    expect(after.signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(signedBy(after, [fresh, old], Math.floor(clock.t / 1000))).toEqual([0]);
  });

  it('holds an event whose URL is refused or whose channel has no secret, without posting, until an operator fixes it', async () => {
    clock.t = Date.now();
    const { connectionId, secretEnc } = await channelTo('ftp://127.0.0.1/hooks', false);
    const orderId = await placeOrder(connectionId, 'HELD-1');
    clock.t = Date.now() + 1_000;
    await deliverDueCallbacks(deps(), 8);
    let [event] = await eventsOf(orderId);
    expect(event).toMatchObject({ attempts: 0, deliveredAt: null, failedAt: null });
    expect(event?.heldAt).not.toBeNull();
    expect(event?.lastError).toMatch(/no signing secret/);

    await saveFirstCallbackSecret(handle.db, { connectionId, channel: 'b2b', secretEnc });
    expect(await releaseHeldCallbacks(handle.db, { connectionId, channel: 'b2b' })).toBe(1);
    await deliverDueCallbacks(deps(), 8);
    [event] = await eventsOf(orderId);
    expect(event).toMatchObject({ attempts: 0, lastError: 'callback URL must be an https:// URL' });

    // Time alone does not make it post: the refusal is looked at again, and nothing is sent.
    clock.t += 30 * HOUR;
    await runUntil(() => false);
    expect(receiver.received).toHaveLength(0);
    [event] = await eventsOf(orderId);
    expect(event?.attempts).toBe(0);

    await handle.db
      .update(connections)
      .set({
        channels: sql`jsonb_build_object('b2b', jsonb_build_object('callbackUrl', ${`${receiver.url}/fixed`}::text))`,
      })
      .where(eq(connections.id, connectionId));
    await releaseHeldCallbacks(handle.db, { connectionId, channel: 'b2b' });
    await deliverDueCallbacks(deps(), 8);
    expect(receiver.delivered().map((r) => [r.path, r.body.orderId])).toEqual([['/fixed', orderId]]);
    [event] = await eventsOf(orderId);
    expect(event).toMatchObject({ attempts: 1, heldAt: null });
  });
});
