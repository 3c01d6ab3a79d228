import { EXACT_ENTITIES } from '@exact-sync/core';
import { findOrder, orders } from '@exact-sync/db';
import { inArray, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { code, DIVISION, POLICY, useOrderFixture } from './order-fixture.ts';
import { testGovernor } from './sync-helpers.ts';

const { fixture, newKey, newOrder, submit, exactCalls } = useOrderFixture('order_limits');

describe('the error guard', () => {
  it('never stops lookups and posts for the sync lane’s errors: they are other endpoints', async () => {
    const governor = testGovernor(fixture.redis, fixture.prefix);
    const syncEndpoints = [...Object.values(EXACT_ENTITIES).map((e) => `sync/${e.syncPath}`), 'sync/Deleted'];
    for (const endpoint of syncEndpoints) {
      for (let i = 0; i < 8; i++) {
        await governor.record(fixture.exact.budgetKey, 'sync', { status: 400, headers: {}, endpoint });
      }
      expect(await governor.acquire(fixture.exact.budgetKey, 'sync', endpoint)).toMatchObject({
        reason: 'guarded',
      });
    }
    await fixture.sim.mutate(DIVISION, {
      entity: 'items',
      records: [{ Code: 'AFTER-GUARD', IsSalesItem: true }],
    });
    await fixture.sim.mutate(DIVISION, {
      entity: 'accounts',
      records: [{ Code: 'GUARD-CUST', Blocked: false }],
    });
    const order = await newOrder(await newKey(), { code: 'GUARD-CUST' }, ['AFTER-GUARD']);
    expect(await submit(order.id)).toMatchObject({ outcome: 'submitted', posted: true });
    expect(await exactCalls()).toEqual({
      'GET logistics/Items 200': 1,
      'GET crm/Accounts 200': 1,
      'POST salesorder/SalesOrders 201': 1,
    });
  });
});

describe('a key whose orders Exact rejected', () => {
  /** A synced item deleted in Exact since: only Exact can tell, and refuses the order. */
  async function goneItem(i: number): Promise<string> {
    const item = fixture.items[10 + i];
    await fixture.sim.mutate(DIVISION, { entity: 'items', deleteIds: [item?.ID] });
    return code(item);
  }

  it('posts nothing more of the key once Exact rejected its limit, until the hour has room', async () => {
    const key = await newKey();
    const customer = { code: code(fixture.accounts[0]) };
    for (const i of [0, 1]) {
      const bad = await newOrder(key, customer, [await goneItem(i)]);
      expect(await submit(bad.id)).toMatchObject({ rejection: { code: 'exact_rejected' } });
    }
    const valid = await newOrder(key, customer, [code(fixture.items[0])]);
    const held = await submit(valid.id);
    expect(held).toMatchObject({ outcome: 'held', rejections: 2 });
    const hourFromNow = Date.now() + 3_600_000;
    expect(held.outcome === 'held' && Math.abs(held.until.getTime() - hourFromNow)).toBeLessThan(60_000);
    expect((await findOrder(fixture.handle.db, valid.id))?.status).toBe('accepted');
    // Another key is not held.
    const other = await newOrder(await newKey(), customer, [code(fixture.items[0])]);
    expect(await submit(other.id)).toMatchObject({ outcome: 'submitted' });
    expect(await exactCalls()).toEqual({
      'POST salesorder/SalesOrders 400': 2,
      'POST salesorder/SalesOrders 201': 1,
    });

    // An hour later the rejections have left the window.
    await fixture.handle.db
      .update(orders)
      .set({ rejectedAt: sql`${orders.rejectedAt} - interval '1 hour'` })
      .where(inArray(orders.apiKeyId, [key]));
    expect(await submit(valid.id)).toMatchObject({ outcome: 'submitted' });
  });

  it('lets the key post one order at a time, so parallel orders never exceed its limit', async () => {
    const key = await newKey();
    const customer = { code: code(fixture.accounts[0]) };
    const bad = await Promise.all([2, 3, 4].map(async (i) => newOrder(key, customer, [await goneItem(i)])));
    const results = await Promise.all(
      bad.map((o) => submit(o.id, { ...POLICY, rejectionsPerKeyPerHour: 1 })),
    );
    expect(results.map((r) => r.outcome).sort()).toEqual(['held', 'held', 'rejected']);
    expect(await exactCalls()).toEqual({ 'POST salesorder/SalesOrders 400': 1 });
  });
});
