import { and, eq, inArray, isNull, or, type SQL } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import { priceListPeriods, vatCodes, vatPercentages, volumeDiscounts } from '../schema/reference-lists.ts';
import { accounts, items, salesItemPrices } from '../schema/synced.ts';

export type PricingAccount = Pick<
  typeof accounts.$inferSelect,
  'exactId' | 'code' | 'priceListId' | 'discountSales' | 'salesVatCode' | 'salesCurrency'
>;
export type PricingItem = Pick<
  typeof items.$inferSelect,
  'exactId' | 'code' | 'unit' | 'itemGroupId' | 'salesVatCode' | 'isSalesItem' | 'startDate' | 'endDate'
>;

/** Every synced row a quote of these items for this account needs (live rows only). */
export interface PricingData {
  items: PricingItem[];
  prices: Array<typeof salesItemPrices.$inferSelect>;
  periods: Array<typeof priceListPeriods.$inferSelect>;
  volumeDiscounts: Array<typeof volumeDiscounts.$inferSelect>;
  vatCodes: Array<typeof vatCodes.$inferSelect>;
  vatPercentages: Array<typeof vatPercentages.$inferSelect>;
}

/** A live account by trimmed code or Exact ID, with what pricing needs. */
export async function findPricingAccount(
  db: Executor,
  connectionId: string,
  ref: { code: string } | { exactId: string },
): Promise<PricingAccount | undefined> {
  const match = 'code' in ref ? eq(accounts.code, ref.code) : eq(accounts.exactId, ref.exactId);
  const [row] = await db
    .select({
      exactId: accounts.exactId,
      code: accounts.code,
      priceListId: accounts.priceListId,
      discountSales: accounts.discountSales,
      salesVatCode: accounts.salesVatCode,
      salesCurrency: accounts.salesCurrency,
    })
    .from(accounts)
    .where(and(eq(accounts.connectionId, connectionId), match, isNull(accounts.deletedAt)))
    .limit(1);
  return row;
}

/**
 * Loads what pricing `codes` for `account` takes: the items, all their prices, the periods of the account's price
 * list with their volume discounts for these items or their groups, and the VAT codes involved with their dated
 * percentages. One round of six parallel queries, whatever the number of lines: what a query needs of another
 * table (the items' IDs, groups and VAT codes, the list's periods) it selects itself.
 */
export async function loadPricingData(
  db: Executor,
  connectionId: string,
  account: PricingAccount,
  codes: readonly string[],
): Promise<PricingData> {
  const liveItems = and(
    eq(items.connectionId, connectionId),
    inArray(items.code, [...codes]),
    isNull(items.deletedAt),
  );
  const itemIds = db.select({ id: items.exactId }).from(items).where(liveItems);
  const listPeriods = and(
    eq(priceListPeriods.connectionId, connectionId),
    eq(priceListPeriods.priceListId, account.priceListId ?? ''),
    isNull(priceListPeriods.deletedAt),
  );
  const itemVatCodes = db.select({ code: items.salesVatCode }).from(items).where(liveItems);
  const vatCodeIn = and(
    eq(vatCodes.connectionId, connectionId),
    account.salesVatCode === null
      ? inArray(vatCodes.code, itemVatCodes)
      : or(eq(vatCodes.code, account.salesVatCode), inArray(vatCodes.code, itemVatCodes)),
    isNull(vatCodes.deletedAt),
  );
  const [itemRows, periods, prices, discounts, codesFound, percentages] = await Promise.all([
    db
      .select({
        exactId: items.exactId,
        code: items.code,
        unit: items.unit,
        itemGroupId: items.itemGroupId,
        salesVatCode: items.salesVatCode,
        isSalesItem: items.isSalesItem,
        startDate: items.startDate,
        endDate: items.endDate,
      })
      .from(items)
      .where(liveItems),
    account.priceListId === null ? [] : db.select().from(priceListPeriods).where(listPeriods),
    db
      .select()
      .from(salesItemPrices)
      .where(
        and(
          eq(salesItemPrices.connectionId, connectionId),
          // By code for the index (connection, item_code); by ID so a reused code finds no other item's prices.
          inArray(salesItemPrices.itemCode, [...codes]),
          inArray(salesItemPrices.itemId, itemIds),
          isNull(salesItemPrices.deletedAt),
        ),
      ),
    account.priceListId === null ? [] : discountsOf(db, connectionId, listPeriods, liveItems),
    db.select().from(vatCodes).where(vatCodeIn),
    db
      .select()
      .from(vatPercentages)
      .where(
        and(
          eq(vatPercentages.connectionId, connectionId),
          inArray(
            vatPercentages.vatCodeId,
            db.select({ id: vatCodes.exactId }).from(vatCodes).where(vatCodeIn),
          ),
          isNull(vatPercentages.deletedAt),
        ),
      ),
  ]);
  return {
    items: itemRows,
    prices,
    periods,
    volumeDiscounts: discounts,
    vatCodes: codesFound,
    vatPercentages: percentages,
  };
}

/** The volume discounts of the list's periods for these items or their groups. */
function discountsOf(
  db: Executor,
  connectionId: string,
  listPeriods: SQL | undefined,
  liveItems: SQL | undefined,
) {
  return db
    .select()
    .from(volumeDiscounts)
    .where(
      and(
        eq(volumeDiscounts.connectionId, connectionId),
        inArray(
          volumeDiscounts.priceListPeriodId,
          db.select({ id: priceListPeriods.exactId }).from(priceListPeriods).where(listPeriods),
        ),
        or(
          inArray(volumeDiscounts.itemId, db.select({ id: items.exactId }).from(items).where(liveItems)),
          inArray(
            volumeDiscounts.itemGroupId,
            db.select({ id: items.itemGroupId }).from(items).where(liveItems),
          ),
        ),
        isNull(volumeDiscounts.deletedAt),
      ),
    );
}
