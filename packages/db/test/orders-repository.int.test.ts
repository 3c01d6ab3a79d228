import { createTestDatabase, type TestDatabase } from '@exact-sync/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connections,
  type DatabaseHandle,
  findOrder,
  insertOrder,
  openDatabase,
  transitionOrder,
} from '../src/index.ts';

let testDb: TestDatabase;
let handle: DatabaseHandle;
let connectionId: string;

beforeAll(async () => {
  testDb = await createTestDatabase('orders_repo');
  handle = openDatabase(testDb.url, { max: 2 });
  const [row] = await handle.db
    .insert(connections)
    .values({ name: 'Shop', exactBaseUrl: 'https://start.exactonline.nl', division: 1 })
    .returning({ id: connections.id });
  if (!row) throw new Error('no connection row');
  connectionId = row.id;
});

afterAll(async () => {
  await handle?.close();
  await testDb?.drop();
});

async function newOrder(reference: string): Promise<string> {
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

const statusOf = async (id: string) => (await findOrder(handle.db, id))?.status;

describe('transitionOrder', () => {
  it('moves an order along the state machine and stamps the time of each state', async () => {
    const id = await newOrder('OK-1');
    const submitting = await transitionOrder(handle.db, id, ['accepted'], 'submitting');
    expect(submitting).toMatchObject({ status: 'submitting', submittingAt: expect.any(Date) });
    const rejected = await transitionOrder(handle.db, id, ['accepted', 'submitting'], 'rejected', {
      statusReason: 'unknown SKU',
    });
    expect(rejected).toMatchObject({ status: 'rejected', statusReason: 'unknown SKU' });
  });

  it('answers undefined, writing nothing, when the order is not in one of the given states (a race lost)', async () => {
    const id = await newOrder('RACE-1');
    expect(await transitionOrder(handle.db, id, ['failed'], 'accepted')).toBeUndefined();
    expect(await statusOf(id)).toBe('accepted');
  });

  it('refuses a transition the state machine forbids, even when the order is in that state', async () => {
    const id = await newOrder('FORBIDDEN-1');
    await transitionOrder(handle.db, id, ['accepted'], 'rejected', { statusReason: 'bad' });
    await expect(transitionOrder(handle.db, id, ['rejected'], 'accepted')).rejects.toMatchObject({
      name: 'ForbiddenOrderTransitionError',
      message: 'an order may not go from rejected to accepted',
    });
    expect(await statusOf(id)).toBe('rejected');
  });

  it('refuses a list of states of which one may not go to the target, whatever state the order is in', async () => {
    const id = await newOrder('FORBIDDEN-2');
    await expect(transitionOrder(handle.db, id, ['accepted', 'submitted'], 'submitting')).rejects.toThrow(
      'an order may not go from submitted to submitting',
    );
    expect(await statusOf(id)).toBe('accepted');
  });
});
