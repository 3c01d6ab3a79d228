import { ENTITY_NAMES } from '@exact-sync/core';
import { type DatabaseHandle, openDatabase, orderCallbacks, syncState } from '@exact-sync/db';
import {
  createTestDatabase,
  type OwnRedis,
  onboard,
  type Stack,
  startOwnRedis,
  startStack,
  storefrontKey,
  type TestDatabase,
  uniqueName,
  waitFor,
} from '@exact-sync/testkit';
import { eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ReceivedCallback, signedBy, startReceiver } from './callback-receiver.ts';

// Storefront callbacks through real processes: api, worker and simulator, a receiver on loopback that fails the
// first five posts, and a Redis of the test's own to flush.
const DIVISION = 100001;
const LIFE = ['accepted', 'submitting', 'submitted'];
const SHOP_CREDENTIAL = 'shop-credential-7f3a9c';
let db: TestDatabase;
let handle: DatabaseHandle;
let redis: OwnRedis;
let stack: Stack;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let connectionId: string;
let key: string;
let sku: string;
let customer: string;
const secrets: string[] = [];

beforeAll(async () => {
  db = await createTestDatabase('callbacks_e2e');
  handle = openDatabase(db.url, { max: 2 });
  redis = await startOwnRedis();
  receiver = await startReceiver((_post, index) => (index < 5 ? 503 : 200));
  stack = await startStack({
    databaseUrl: db.url,
    redisUrl: redis.url,
    redisPrefix: uniqueName('callbacks'),
    simEnv: { SIM_ITEMS: '40', SIM_ACCOUNTS: '20', SIM_MINUTE_LIMIT: '300', SIM_DAY_LIMIT: '100000' },
    env: {
      CALLBACK_ALLOW_HTTP: 'true',
      CALLBACK_ALLOW_PRIVATE: 'true',
      // 20 ms, 60 ms, 240 ms, 1.2 s, 3.6 s, …: the schedule's shape in seconds instead of hours.
      CALLBACK_RETRY_BASE_MS: '20',
      LOG_LEVEL: 'trace',
    },
  });
  connectionId = await onboard(stack, { division: DIVISION });
  await waitFor(
    'initial sync',
    async () => {
      const states = await handle.db.select().from(syncState).where(eq(syncState.connectionId, connectionId));
      return ENTITY_NAMES.every((e) => states.some((s) => s.entity === e && s.phase === 'incremental'));
    },
    60_000,
  );
  customer = String((await stack.simControl.dataset(DIVISION, 'accounts'))[0]?.Code).trim();
  const items = await stack.simControl.dataset(DIVISION, 'items');
  sku = String(items.find((i) => i.IsSalesItem === true)?.Code);
  key = await storefrontKey(stack, connectionId, 'b2b');
  const patched = await stack.call('PATCH', `/v1/connections/${connectionId}`, {
    body: { channels: { b2b: { callbackUrl: `${receiver.url}/hooks?token=${SHOP_CREDENTIAL}` } } },
  });
  expect(patched.status).toBe(200);
  const secret = (patched.body as { callbackSecrets: { b2b: string } }).callbackSecrets.b2b;
  secrets.push(secret);
});

afterAll(async () => {
  await stack?.stop();
  await receiver?.close();
  await redis?.stop();
  await handle?.close();
  await db?.drop();
});

async function place(reference: string, lineSku = sku): Promise<string> {
  const res = await stack.call('POST', '/v1/orders', {
    token: key,
    body: { reference, customer: { code: customer }, lines: [{ sku: lineSku, quantity: '1' }] },
  });
  expect(res.status).toBe(202);
  return (res.body as { id: string }).id;
}

const deliveredOf = (orderId: string) => receiver.delivered().filter((r) => r.body.orderId === orderId);

async function waitForLife(orderIds: string[], life: readonly string[] = LIFE): Promise<void> {
  await waitFor(
    `callbacks of ${orderIds.length} order(s)`,
    async () => orderIds.every((id) => new Set(deliveredOf(id).map((r) => r.body.id)).size >= life.length),
    60_000,
  ).catch((error: Error) => {
    const seen = receiver.received.map((r) => `${r.body.orderId.slice(0, 8)} ${r.body.status} ${r.answered}`);
    throw new Error(`${error.message}\n${seen.join('\n')}\n${stack.workers.at(-1)?.output().slice(-3000)}`);
  });
}

/** An order's events arrive in order, and none is posted before every earlier one of its order was delivered. */
function expectInOrder(orderId: string, life: readonly string[] = LIFE): void {
  const posts = receiver.received.filter((r) => r.body.orderId === orderId);
  const delivered = new Set<string>();
  for (const post of posts) {
    const rank = life.indexOf(post.body.status);
    expect(rank, post.body.status).toBeGreaterThanOrEqual(0);
    expect(
      life.slice(0, rank).every((s) => delivered.has(s)),
      `${post.body.status} before its predecessor`,
    ).toBe(true);
    if (post.answered < 300) delivered.add(post.body.status);
  }
  const first = (status: string) => deliveredOf(orderId).find((r) => r.body.status === status);
  expect(life.map((s) => first(s)?.body.previousStatus ?? null)).toEqual([null, ...life.slice(0, -1)]);
}

const signedByAny = (post: ReceivedCallback) => signedBy(post, secrets);

describe('order callbacks through real processes', () => {
  it('brings every state change of two interleaved orders, in order and signed, through five failed posts', async () => {
    const [a, b] = await Promise.all([place('CB-A'), place('CB-B')]);
    if (!a || !b) throw new Error('no orders');
    await waitForLife([a, b]);
    expect(receiver.received.slice(0, 5).map((r) => r.answered)).toEqual([503, 503, 503, 503, 503]);
    for (const id of [a, b]) expectInOrder(id);
    for (const post of receiver.received) {
      expect(signedByAny(post)).toEqual([0]);
      expect(post.path).toBe(`/hooks?token=${SHOP_CREDENTIAL}`);
    }
    const submitted = deliveredOf(a).find((r) => r.body.status === 'submitted')?.body;
    expect(submitted).toMatchObject({ type: 'order.status_changed', reference: 'CB-A', channel: 'b2b' });
    expect(submitted?.exactOrderNumber).toEqual(expect.any(Number));
    expect(submitted?.exactOrderId).toEqual(expect.any(String));

    const status = (await stack.call('GET', `/v1/connections/${connectionId}/status`)).body as {
      callbacks: { b2b: { pending: number; givenUp: number } };
    };
    expect(status.callbacks.b2b).toMatchObject({ pending: 0, givenUp: 0 });
  });

  it('tells a rejection with its code and problems', async () => {
    const id = await place('CB-REJECT', 'NO-SUCH-SKU');
    await waitForLife([id], ['accepted', 'rejected']);
    expectInOrder(id, ['accepted', 'rejected']);
    const rejected = deliveredOf(id).find((r) => r.body.status === 'rejected')?.body;
    expect(rejected?.rejection).toMatchObject({
      code: 'unknown_sku',
      problems: [expect.objectContaining({ code: 'unknown_sku', field: 'lines.0.sku' })],
    });
  });

  it('loses no callback when Redis is flushed and the worker restarts', async () => {
    const [worker] = stack.workers;
    await worker?.stop();
    stack.workers.length = 0;
    const id = await place('CB-FLUSH');
    await redis.flush();
    await stack.startWorker();
    await waitForLife([id]);
    expectInOrder(id);
    // The receiver has the last post before the worker records its answer: wait for that record too.
    await waitFor(
      'every callback recorded as delivered',
      async () =>
        (await handle.db.select().from(orderCallbacks).where(isNull(orderCallbacks.deliveredAt))).length ===
        0,
      10_000,
    );
  });

  it('signs with the new and the old secret after a rotation', async () => {
    const rotated = await stack.call('POST', `/v1/connections/${connectionId}/channels/b2b/callback-secret`);
    expect(rotated.status).toBe(201);
    const fresh = (rotated.body as { secret: string }).secret;
    const id = await place('CB-ROTATE');
    await waitForLife([id]);
    for (const post of deliveredOf(id)) {
      expect(post.signature).toMatch(/^t=\d+,v1=[0-9a-f]{64},v1=[0-9a-f]{64}$/);
      expect(signedBy(post, [fresh, secrets[0] ?? ''])).toEqual([0, 1]);
    }
    secrets.unshift(fresh);
  });

  it('never logs a signing secret or the credential in the callback URL', () => {
    const logs = [stack.api.output(), ...stack.workers.map((w) => w.output())].join('\n');
    expect(logs).toContain('callback');
    expect(secrets).toHaveLength(2);
    for (const secret of secrets) expect(logs.includes(secret), 'a signing secret in the logs').toBe(false);
    expect(logs.includes(SHOP_CREDENTIAL), "the callback URL's query in the logs").toBe(false);
  });
});
