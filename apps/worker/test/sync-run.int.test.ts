import { ENTITY_NAMES } from '@exact-sync/core';
import {
  accounts,
  type DatabaseHandle,
  items,
  openDatabase,
  requestFullResync,
  salesItemPrices,
  stockPositions,
  syncState,
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
import { and, eq, isNotNull } from 'drizzle-orm';
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

const DIVISION = 100001;
const ITEMS = 2_500;
let db: TestDatabase;
let handle: DatabaseHandle;
let proc: RunningProcess & { url: string };
let sim: SimControl;
let redis: Redis;
let exact: ExactClient;
const prefix = uniqueName('sync_run');

async function syncAll(connectionId: string): Promise<void> {
  for (const entity of ENTITY_NAMES) {
    await withBudgetWaits(() => runEntitySync(runDeps(handle), exact, { connectionId, entity }));
  }
  await withBudgetWaits(() => runDeletions(runDeps(handle), exact, { connectionId }));
}

async function assertEqual(connectionId: string): Promise<void> {
  const all = await expectEquality(handle, sim, connectionId, DIVISION);
  for (const entity of ENTITY_NAMES) expect(all[entity].local, entity).toEqual(all[entity].remote);
}

const callsTo = async (fragment: string) =>
  (await sim.stats(DIVISION)).calls
    .filter((c) => c.endpoint.includes(fragment) && c.status < 300)
    .reduce((n, c) => n + c.count, 0);

beforeAll(async () => {
  db = await createTestDatabase('sync_run');
  handle = openDatabase(db.url, { max: 4 });
  proc = await startSimulator({
    SIM_ITEMS: String(ITEMS),
    SIM_ACCOUNTS: '300',
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

describe('sync runs against the simulator', () => {
  it('a full sync brings every entity to equality within ceil(N/1000)+1 calls each', async () => {
    const connectionId = await insertConnection(handle, proc.url, DIVISION);
    await sim.resetStats();
    await syncAll(connectionId);
    await assertEqual(connectionId);
    const remoteItems = (await sim.dataset(DIVISION, 'items')).length;
    expect(await callsTo('Logistics/Items')).toBeLessThanOrEqual(Math.ceil(remoteItems / 1000) + 1);
    const states = await handle.db.select().from(syncState).where(eq(syncState.connectionId, connectionId));
    expect(states.every((s) => s.phase === 'incremental' && s.nextUrl === null)).toBe(true);
  });

  it('stores the storefront fields of items, stock, prices and accounts as Exact sends them', async () => {
    const connectionId = await insertConnection(handle, proc.url, DIVISION);
    await syncAll(connectionId);
    const iso = (d: Date | null) => d?.toISOString() ?? null;
    const exactDate = (v: unknown) =>
      typeof v === 'string' ? new Date(Number(/\d+/.exec(v)?.[0])).toISOString() : null;
    const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

    const remoteItems = await sim.dataset(DIVISION, 'items');
    const withGroup = remoteItems.find((r) => r.ItemGroup && r.PictureUrl && r.EndDate);
    expect(withGroup, 'an ended item with a group and a picture').toBeDefined();
    const [item] = await handle.db
      .select()
      .from(items)
      .where(
        and(eq(items.connectionId, connectionId), eq(items.exactId, String(withGroup?.ID).toLowerCase())),
      );
    expect({
      group: item?.itemGroupId,
      groupCode: item?.itemGroupCode,
      groupDescription: item?.itemGroupDescription,
      vat: item?.salesVatCode,
      unitDescription: item?.unitDescription,
      extra: item?.extraDescription,
      picture: item?.pictureUrl,
      thumbnail: item?.pictureThumbnailUrl,
      start: iso(item?.startDate ?? null),
      end: iso(item?.endDate ?? null),
      stockItem: item?.isStockItem,
      fractions: item?.isFractionAllowedItem,
    }).toEqual({
      group: String(withGroup?.ItemGroup).toLowerCase(),
      groupCode: withGroup?.ItemGroupCode,
      groupDescription: withGroup?.ItemGroupDescription,
      vat: withGroup?.SalesVatCode,
      unitDescription: withGroup?.UnitDescription,
      extra: withGroup?.ExtraDescription ?? null,
      picture: withGroup?.PictureUrl,
      thumbnail: withGroup?.PictureThumbnailUrl,
      start: exactDate(withGroup?.StartDate),
      end: exactDate(withGroup?.EndDate),
      stockItem: Boolean(withGroup?.IsStockItem),
      fractions: Boolean(withGroup?.IsFractionAllowedItem),
    });

    const remotePrices = await sim.dataset(DIVISION, 'prices');
    const perBox = remotePrices.find((r) => Number(r.NumberOfItemsPerUnit) > 1);
    expect(perBox, 'a price per box').toBeDefined();
    const [price] = await handle.db
      .select()
      .from(salesItemPrices)
      .where(eq(salesItemPrices.exactId, String(perBox?.ID).toLowerCase()));
    expect([num(price?.numberOfItemsPerUnit), price?.defaultItemUnit, price?.unit]).toEqual([
      Number(perBox?.NumberOfItemsPerUnit),
      perBox?.DefaultItemUnit,
      perBox?.Unit,
    ]);

    const remoteStock = await sim.dataset(DIVISION, 'stock');
    const position = remoteStock.find((r) => r.WarehouseDescription);
    const [stock] = await handle.db
      .select()
      .from(stockPositions)
      .where(eq(stockPositions.exactId, String(position?.ID).toLowerCase()));
    expect(stock?.warehouseDescription).toBe(position?.WarehouseDescription);

    const remoteAccounts = await sim.dataset(DIVISION, 'accounts');
    const onList = remoteAccounts.find((r) => r.PriceList && r.DiscountSales && r.VATNumber);
    expect(onList, 'an account on a price list with a discount').toBeDefined();
    const [account] = await handle.db
      .select()
      .from(accounts)
      .where(eq(accounts.exactId, String(onList?.ID).toLowerCase()));
    expect({
      priceList: account?.priceListId,
      discount: num(account?.discountSales),
      vatNumber: account?.vatNumber,
      vatCode: account?.salesVatCode,
      payment: account?.paymentConditionSales,
      currency: account?.salesCurrency,
      line1: account?.addressLine1,
      postcode: account?.postcode,
    }).toEqual({
      priceList: String(onList?.PriceList).toLowerCase(),
      discount: Number(onList?.DiscountSales),
      vatNumber: onList?.VATNumber,
      vatCode: onList?.SalesVATCode ?? null,
      payment: onList?.PaymentConditionSales,
      currency: onList?.SalesCurrency,
      line1: onList?.AddressLine1,
      postcode: onList?.Postcode,
    });
  });

  it('increments restore equality after creates, updates and deletes, and an idle round costs one call each', async () => {
    const connectionId = await insertConnection(handle, proc.url, DIVISION);
    await syncAll(connectionId);
    // The simulator makes random changes to the catalogue entities; addresses and contacts change with accounts.
    for (const entity of ['items', 'stock', 'prices', 'accounts'])
      await sim.mutate(DIVISION, { entity, create: 5, update: 20, delete: 3 });
    await syncAll(connectionId);
    await assertEqual(connectionId);
    const tombstones = await handle.db
      .select()
      .from(items)
      .where(and(eq(items.connectionId, connectionId), isNotNull(items.deletedAt)));
    expect(tombstones.length).toBeGreaterThanOrEqual(3);

    await sim.resetStats();
    await syncAll(connectionId);
    expect((await sim.stats(DIVISION)).total).toBe(ENTITY_NAMES.length + 1);
  });

  it('resumes after a crash at any page without gap or duplicate', async () => {
    const connectionId = await insertConnection(handle, proc.url, DIVISION);
    // A client that dies after two pages, as a killed worker would: the third page is never committed.
    let pagesLeft = 2;
    const dying: ExactClient = {
      ...exact,
      syncPage: async (...args) => {
        if (pagesLeft-- <= 0) throw new Error('worker killed');
        return exact.syncPage(...args);
      },
    };
    await expect(
      withBudgetWaits(() => runEntitySync(runDeps(handle), dying, { connectionId, entity: 'items' })),
    ).rejects.toThrow('worker killed');
    const [state] = await handle.db.select().from(syncState).where(eq(syncState.connectionId, connectionId));
    expect(state?.nextUrl).not.toBeNull();
    await sim.resetStats();
    await syncAll(connectionId);
    await assertEqual(connectionId);
    const remoteItems = (await sim.dataset(DIVISION, 'items')).length;
    // The resumed run fetches only the pages not yet committed.
    expect(await callsTo('Logistics/Items')).toBeLessThanOrEqual(Math.ceil(remoteItems / 1000) + 1 - 2);
  });

  it('a requested full resync tombstones rows Exact no longer has', async () => {
    const connectionId = await insertConnection(handle, proc.url, DIVISION);
    await syncAll(connectionId);
    const ghost = crypto.randomUUID();
    await handle.db.insert(items).values({ connectionId, exactId: ghost, timestamp: 1n, code: 'GHOST' });
    await requestFullResync(handle.db, connectionId, ['items']);
    await withBudgetWaits(() => runEntitySync(runDeps(handle), exact, { connectionId, entity: 'items' }));
    const [row] = await handle.db.select().from(items).where(eq(items.exactId, ghost));
    expect(row?.deletedAt).not.toBeNull();
    await assertEqual(connectionId);
  });

  it('two runs of one entity at once: one works, the other stands aside', async () => {
    const connectionId = await insertConnection(handle, proc.url, DIVISION);
    const results = await Promise.all([
      withBudgetWaits(() => runEntitySync(runDeps(handle), exact, { connectionId, entity: 'accounts' })),
      withBudgetWaits(() => runEntitySync(runDeps(handle), exact, { connectionId, entity: 'accounts' })),
    ]);
    const outcomes = results.map((r) => r.outcome);
    expect(outcomes).toContain('done');
    const remote = (await sim.dataset(DIVISION, 'accounts')).length;
    expect(results.reduce((n, r) => n + r.records, 0)).toBeGreaterThanOrEqual(remote);
  });
});
