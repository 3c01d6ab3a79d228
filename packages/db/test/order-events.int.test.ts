import { createTestDatabase, type TestDatabase } from '@exact-sync/testkit';
import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connections,
  type DatabaseHandle,
  insertOrder,
  openDatabase,
  orderCallbacks,
  transitionOrder,
} from '../src/index.ts';

let testDb: TestDatabase;
let handle: DatabaseHandle;
let connectionId: string;

beforeAll(async () => {
  testDb = await createTestDatabase('order_events');
  handle = openDatabase(testDb.url, { max: 4 });
  const [row] = await handle.db
    .insert(connections)
    .values({
      name: 'Shop',
      exactBaseUrl: 'https://start.exactonline.nl',
      division: 1,
      channels: { b2b: { callbackUrl: 'https://shop.example/hooks' } },
    })
    .returning({ id: connections.id });
  if (!row) throw new Error('no connection row');
  connectionId = row.id;
});

afterAll(async () => {
  await handle?.close();
  await testDb?.drop();
});

async function newOrder(reference: string, channel: 'b2b' | 'b2c' = 'b2b'): Promise<string> {
  const { order } = await insertOrder(handle.db, {
    connectionId,
    channel,
    reference,
    yourRef: `${channel.toUpperCase()}-${reference}`,
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

describe('callback events', () => {
  it('writes one event per state change, from acceptance on, with the state before and after', async () => {
    const id = await newOrder('EV-1');
    await transitionOrder(handle.db, id, ['accepted'], 'submitting');
    const submitted = await transitionOrder(handle.db, id, ['submitting'], 'submitted', {
      exactOrderId: '0b9f4b7e-1d1a-4c47-9a51-3d1e0f5b2a10',
      exactOrderNumber: 4711,
    });
    expect(submitted?.status).toBe('submitted');
    expect(submitted).not.toHaveProperty('previousStatus');
    const events = await eventsOf(id);
    expect(events.map((e) => [e.payload.previousStatus, e.payload.status])).toEqual([
      [null, 'accepted'],
      ['accepted', 'submitting'],
      ['submitting', 'submitted'],
    ]);
    expect(events[2]?.payload).toEqual({
      orderId: id,
      reference: 'EV-1',
      channel: 'b2b',
      customer: { code: 'C1' },
      status: 'submitted',
      previousStatus: 'submitting',
      changedAt: submitted?.submittedAt?.toISOString(),
      statusReason: null,
      exactOrderId: '0b9f4b7e-1d1a-4c47-9a51-3d1e0f5b2a10',
      exactOrderNumber: 4711,
      rejection: null,
    });
    expect(events.every((e) => e.deliveredAt === null && e.attempts === 0)).toBe(true);
  });

  it('carries the rejection, and names the state the order really left when several were allowed', async () => {
    const id = await newOrder('EV-2');
    await transitionOrder(handle.db, id, ['accepted'], 'submitting');
    const rejection = {
      code: 'unknown_sku' as const,
      problems: [{ code: 'unknown_sku' as const, field: 'lines.0.sku', message: 'no such item' }],
    };
    await transitionOrder(handle.db, id, ['accepted', 'submitting'], 'rejected', {
      statusReason: 'no such item',
      rejection,
    });
    const last = (await eventsOf(id)).at(-1);
    expect(last?.payload).toMatchObject({ status: 'rejected', previousStatus: 'submitting', rejection });
  });

  it('writes nothing when the transition does not happen, or the channel has no callback URL', async () => {
    const id = await newOrder('EV-3');
    expect(await transitionOrder(handle.db, id, ['submitting'], 'submitted', {})).toBeUndefined();
    expect(await eventsOf(id)).toHaveLength(1);
    const b2c = await newOrder('EV-4', 'b2c');
    await transitionOrder(handle.db, b2c, ['accepted'], 'submitting');
    expect(await eventsOf(b2c)).toHaveLength(0);
  });

  it('keeps an earlier event as it was when the order changes later', async () => {
    const id = await newOrder('EV-5');
    await transitionOrder(handle.db, id, ['accepted'], 'failed', { statusReason: 'connection is paused' });
    await transitionOrder(handle.db, id, ['failed'], 'accepted');
    const events = await eventsOf(id);
    expect(events.map((e) => [e.payload.status, e.payload.statusReason])).toEqual([
      ['accepted', null],
      ['failed', 'connection is paused'],
      ['accepted', 'connection is paused'],
    ]);
  });

  it('orders the events of concurrent transitions as the transitions happened', async () => {
    const id = await newOrder('EV-6');
    // Two processes race for the same move: one wins, one event is written.
    const results = await Promise.all([
      transitionOrder(handle.db, id, ['accepted'], 'submitting'),
      transitionOrder(handle.db, id, ['accepted'], 'submitting'),
    ]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect((await eventsOf(id)).map((e) => e.status)).toEqual(['accepted', 'submitting']);
  });
});
