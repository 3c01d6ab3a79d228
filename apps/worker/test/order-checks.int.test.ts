import { randomUUID } from 'node:crypto';
import { exactLookups, findOrder } from '@exact-sync/db';
import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { code, DIVISION, POLICY, useOrderFixture } from './order-fixture.ts';

const { fixture, newKey, newOrder, submit, exactCalls } = useOrderFixture('order_checks');

describe('checking orders before anything is posted', () => {
  it('lists every problem, looks each unknown code up once, as filters that cost no error', async () => {
    const key = await newKey();
    const ghost = randomUUID();
    const first = await newOrder(key, { exactId: ghost }, ['GHOST-1', code(fixture.items[0]), "GHOST'2"]);
    expect(await submit(first.id)).toMatchObject({ outcome: 'rejected' });
    expect((await findOrder(fixture.handle.db, first.id))?.rejection).toEqual({
      code: 'unknown_customer',
      problems: [
        { code: 'unknown_customer', field: 'customer.exactId', message: `unknown customer ${ghost}` },
        { code: 'unknown_sku', field: 'lines.0.sku', message: 'unknown SKU GHOST-1' },
        { code: 'unknown_sku', field: 'lines.2.sku', message: "unknown SKU GHOST'2" },
      ],
    });
    expect(await exactCalls()).toEqual({ 'GET logistics/Items 200': 2, 'GET crm/Accounts 200': 1 });

    // The same unknown codes again, from another key even: the answers are remembered, Exact is not asked.
    await fixture.sim.resetStats();
    const again = await newOrder(await newKey(), { exactId: ghost }, ['GHOST-1']);
    expect(await submit(again.id)).toMatchObject({ rejection: { code: 'unknown_customer' } });
    expect(await exactCalls()).toEqual({});
    const remembered = await fixture.handle.db
      .select()
      .from(exactLookups)
      .where(eq(exactLookups.connectionId, fixture.connectionId));
    expect(remembered.filter((r) => r.exactId === null && r.answeredAt !== null)).toHaveLength(3);

    // An hour later Exact is asked again: the record may exist by now. Answers that old are dropped meanwhile.
    await fixture.handle.db
      .update(exactLookups)
      .set({ lookedUpAt: sql`${exactLookups.lookedUpAt} - interval '1 hour'` })
      .where(eq(exactLookups.connectionId, fixture.connectionId));
    await fixture.sim.resetStats();
    const later = await newOrder(await newKey(), { exactId: ghost }, ['GHOST-1']);
    expect(await submit(later.id)).toMatchObject({ rejection: { code: 'unknown_customer' } });
    expect(await exactCalls()).toEqual({ 'GET logistics/Items 200': 1, 'GET crm/Accounts 200': 1 });
    const kept = await fixture.handle.db
      .select({ code: exactLookups.code })
      .from(exactLookups)
      .where(eq(exactLookups.connectionId, fixture.connectionId));
    expect(kept.map((r) => r.code).sort()).toEqual(['GHOST-1', ghost].sort());
  });

  it('finds a SKU created in Exact after the sync by one lookup, and uses the answer for later orders', async () => {
    const { created } = await fixture.sim.mutate(DIVISION, {
      entity: 'items',
      records: [{ Code: 'NEW-AFTER-SYNC', IsSalesItem: true }],
    });
    const customer = { code: code(fixture.accounts[0]) };
    const first = await newOrder(await newKey(), customer, ['NEW-AFTER-SYNC', code(fixture.items[0])]);
    expect(await submit(first.id)).toMatchObject({ outcome: 'submitted', posted: true });
    const second = await newOrder(await newKey(), customer, ['NEW-AFTER-SYNC']);
    expect(await submit(second.id)).toMatchObject({ outcome: 'submitted', posted: true });
    expect(await exactCalls()).toEqual({
      'GET logistics/Items 200': 1,
      'POST salesorder/SalesOrders 201': 2,
    });
    const posted = (await fixture.sim.orders(DIVISION)).data.find((o) => o.YourRef === second.yourRef);
    expect((posted?.lines as { Item: string }[] | undefined)?.[0]?.Item).toBe(created[0]);
  });

  it('rejects a blocked customer and an item not for sale without calling Exact, synced or looked up', async () => {
    const synced = await newOrder(await newKey(), { code: code(fixture.accounts[1]) }, [
      code(fixture.items[1]),
      code(fixture.items[0]),
    ]);
    expect(await submit(synced.id)).toMatchObject({
      outcome: 'rejected',
      rejection: {
        code: 'blocked_customer',
        problems: [
          { code: 'blocked_customer', field: 'customer.code' },
          { code: 'not_a_sales_item', field: 'lines.0.sku' },
        ],
      },
    });
    expect(await exactCalls()).toEqual({});

    await fixture.sim.mutate(DIVISION, {
      entity: 'accounts',
      records: [{ Code: 'BLOCKED-NEW', Blocked: true }],
    });
    await fixture.sim.mutate(DIVISION, {
      entity: 'items',
      records: [{ Code: 'NOT-FOR-SALE', IsSalesItem: false }],
    });
    const looked = await newOrder(await newKey(), { code: 'BLOCKED-NEW' }, ['NOT-FOR-SALE']);
    expect(await submit(looked.id)).toMatchObject({
      rejection: { problems: [{ code: 'blocked_customer' }, { code: 'not_a_sales_item' }] },
    });
    expect(await exactCalls()).toEqual({ 'GET logistics/Items 200': 1, 'GET crm/Accounts 200': 1 });
  });

  it('bounds the lookups one key may cause in an hour, and says so', async () => {
    const key = await newKey();
    const skus = ['LIM-1', 'LIM-2', 'LIM-3', 'LIM-4', 'LIM-5'];
    const order = await newOrder(key, { code: code(fixture.accounts[0]) }, skus);
    expect(await submit(order.id, { ...POLICY, lookupsPerKeyPerHour: 3 })).toMatchObject({
      outcome: 'rejected',
    });
    expect(await exactCalls()).toEqual({ 'GET logistics/Items 200': 3 });
    const problems = (await findOrder(fixture.handle.db, order.id))?.rejection?.problems ?? [];
    expect(problems.map((p) => p.code)).toEqual(Array(5).fill('unknown_sku'));
    expect(problems.slice(0, 3).map((p) => p.message)).toEqual([
      'unknown SKU LIM-1',
      'unknown SKU LIM-2',
      'unknown SKU LIM-3',
    ]);
    expect(problems[3]?.message).toMatch(/LIM-4.*3 lookups in Exact an hour are used up/);

    // The key's next order asks nothing new; a known code still works for it.
    await fixture.sim.resetStats();
    const next = await newOrder(key, { code: code(fixture.accounts[0]) }, ['LIM-6', code(fixture.items[0])]);
    expect(await submit(next.id, { ...POLICY, lookupsPerKeyPerHour: 3 })).toMatchObject({
      outcome: 'rejected',
    });
    expect(await exactCalls()).toEqual({});
  });

  it('lets one process ask about a code while another waits for its answer', async () => {
    const customer = { code: code(fixture.accounts[0]) };
    const racing = await Promise.all(
      Array.from({ length: 4 }, async () => newOrder(await newKey(), customer, ['RACE-SKU'])),
    );
    const results = await Promise.all(racing.map((o) => submit(o.id)));
    expect(results.map((r) => r.outcome)).toEqual(['rejected', 'rejected', 'rejected', 'rejected']);
    expect(await exactCalls()).toEqual({ 'GET logistics/Items 200': 1 });
  });
});
