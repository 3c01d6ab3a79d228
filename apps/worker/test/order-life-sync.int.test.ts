import { ENTITY_NAMES } from '@exact-sync/core';
import {
  addresses,
  contacts,
  type DatabaseHandle,
  exactOrderHeaders,
  goodsDeliveryLines,
  openDatabase,
  salesInvoiceLines,
} from '@exact-sync/db';
import type { ExactClient } from '@exact-sync/exact';
import { workerRedis } from '@exact-sync/queues';
import {
  createTestDatabase,
  deleteRedisKeys,
  type RunningProcess,
  type SimControl,
  simControl,
  startSimulator,
  type TestDatabase,
  testRedisUrl,
  uniqueName,
} from '@exact-sync/testkit';
import { and, eq, isNull } from 'drizzle-orm';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDeletions } from '../src/sync/deletions.run.ts';
import { runEntitySync } from '../src/sync/sync-entity.run.ts';
import {
  expectEquality,
  insertConnection,
  runDeps,
  simClient,
  testGovernor,
  withBudgetWaits,
} from './sync-helpers.ts';

// The CRM and order-life datasets come through their sync endpoints like the catalogue: to equality with Exact,
// with the links a storefront and the order state machine follow (address → account, delivery line → order line,
// invoice line → order).

const DIVISION = 100001;
let db: TestDatabase;
let handle: DatabaseHandle;
let proc: RunningProcess & { url: string };
let sim: SimControl;
let redis: Redis;
let exact: ExactClient;
const prefix = uniqueName('order_life_sync');

async function syncAll(connectionId: string): Promise<void> {
  for (const entity of ENTITY_NAMES) {
    await withBudgetWaits(() => runEntitySync(runDeps(handle), exact, { connectionId, entity }));
  }
  await withBudgetWaits(() => runDeletions(runDeps(handle), exact, { connectionId }));
}

beforeAll(async () => {
  db = await createTestDatabase('order_life_sync');
  handle = openDatabase(db.url, { max: 4 });
  proc = await startSimulator({
    SIM_ITEMS: '300',
    SIM_ACCOUNTS: '40',
    SIM_DAY_LIMIT: '100000',
    SIM_MINUTE_LIMIT: '1000',
  });
  sim = simControl(proc.url);
  redis = workerRedis(testRedisUrl());
  exact = await simClient(sim, proc.url, DIVISION, testGovernor(redis, prefix));
});

afterAll(async () => {
  await exact?.close();
  redis?.disconnect();
  await deleteRedisKeys(prefix);
  await proc?.stop();
  await handle?.close();
  await db?.drop();
});

describe('the CRM and order-life datasets', () => {
  it('sync to equality with Exact, linked to accounts and to the order they belong to', async () => {
    const connectionId = await insertConnection(handle, proc.url, DIVISION);
    const [account] = await sim.dataset(DIVISION, 'accounts');
    const sold = (await sim.dataset(DIVISION, 'items')).filter((i) => i.IsSalesItem).slice(0, 2);
    const created = await exact.createSalesOrder({
      OrderedBy: String(account?.ID),
      YourRef: 'B2B-LIFE-1',
      SalesOrderLines: sold.map((i) => ({ Item: String(i.ID), Quantity: 4 })),
    });
    const lines = (await sim.dataset(DIVISION, 'orderLines')).filter((l) => l.OrderID === created.orderId);
    await sim.deliverOrder(DIVISION, created.orderId, [{ lineId: String(lines[0]?.ID), quantity: 3 }]);
    await sim.invoiceOrder(DIVISION, created.orderId);

    await syncAll(connectionId);
    const all = await expectEquality(handle, sim, connectionId, DIVISION);
    for (const entity of ENTITY_NAMES) expect(all[entity].local, entity).toEqual(all[entity].remote);
    expect(all.addresses.local.size).toBeGreaterThan(0);
    expect(all.contacts.local.size).toBeGreaterThan(0);

    const accountId = String(account?.ID).toLowerCase();
    const own = await handle.db
      .select()
      .from(addresses)
      .where(and(eq(addresses.connectionId, connectionId), eq(addresses.accountId, accountId)));
    expect(own.map((a) => a.type).sort()).toEqual(
      (await sim.dataset(DIVISION, 'addresses'))
        .filter((a) => String(a.Account).toLowerCase() === accountId)
        .map((a) => a.Type)
        .sort(),
    );
    const people = await handle.db
      .select()
      .from(contacts)
      .where(and(eq(contacts.connectionId, connectionId), eq(contacts.accountId, accountId)));
    expect(people.some((c) => c.isMainContact)).toBe(true);

    const [header] = await handle.db
      .select()
      .from(exactOrderHeaders)
      .where(
        and(eq(exactOrderHeaders.connectionId, connectionId), eq(exactOrderHeaders.orderId, created.orderId)),
      );
    expect([header?.orderNumber, header?.yourRef, header?.deliveryStatus, header?.invoiceStatus]).toEqual([
      created.orderNumber,
      'B2B-LIFE-1',
      20,
      20,
    ]);
    const delivered = await handle.db
      .select()
      .from(goodsDeliveryLines)
      .where(
        and(
          eq(goodsDeliveryLines.connectionId, connectionId),
          eq(goodsDeliveryLines.salesOrderNumber, created.orderNumber),
        ),
      );
    expect(delivered.map((d) => [d.salesOrderLineId, Number(d.quantityDelivered)])).toEqual([
      [String(lines[0]?.ID).toLowerCase(), 3],
    ]);
    const invoiced = await handle.db
      .select()
      .from(salesInvoiceLines)
      .where(
        and(
          eq(salesInvoiceLines.connectionId, connectionId),
          eq(salesInvoiceLines.salesOrderId, created.orderId),
          isNull(salesInvoiceLines.deletedAt),
        ),
      );
    expect(invoiced.map((i) => Number(i.quantity))).toEqual([3]);
  });

  it('follows the deletions of an order through sync/Deleted, with an idle round of one call per dataset', async () => {
    const connectionId = await insertConnection(handle, proc.url, DIVISION);
    await syncAll(connectionId);
    await sim.resetStats();
    await syncAll(connectionId);
    expect((await sim.stats(DIVISION)).total).toBe(ENTITY_NAMES.length + 1);

    const [header] = await sim.dataset(DIVISION, 'orderHeaders');
    await sim.mutate(DIVISION, { entity: 'orderHeaders', deleteIds: [header?.ID] });
    await syncAll(connectionId);
    const all = await expectEquality(handle, sim, connectionId, DIVISION);
    for (const entity of ENTITY_NAMES) expect(all[entity].local, entity).toEqual(all[entity].remote);
    const [gone] = await handle.db
      .select()
      .from(exactOrderHeaders)
      .where(
        and(
          eq(exactOrderHeaders.connectionId, connectionId),
          eq(exactOrderHeaders.exactId, String(header?.ID).toLowerCase()),
        ),
      );
    expect(gone?.deletedAt).not.toBeNull();
  });
});
