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
 * percentages. Three round trips (the last two of parallel queries), whatever the number of lines.
 */
export async function loadPricingData(
  db: Executor,
  connectionId: string,
  account: PricingAccount,
  codes: readonly string[],
): Promise<PricingData> {
  const itemRows = await db
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
    .where(
      and(eq(items.connectionId, connectionId), inArray(items.code, [...codes]), isNull(items.deletedAt)),
    );
  const itemIds = itemRows.map((i) => i.exactId);
  const groupIds = [...new Set(itemRows.flatMap((i) => (i.itemGroupId ? [i.itemGroupId] : [])))];
  const vatCodeList = [
    ...new Set([account.salesVatCode, ...itemRows.map((i) => i.salesVatCode)].filter((c) => c !== null)),
  ];
  const [prices, periods, codesFound] = await Promise.all([
    itemIds.length === 0
      ? []
      : db
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
    account.priceListId === null
      ? []
      : db
          .select()
          .from(priceListPeriods)
          .where(
            and(
              eq(priceListPeriods.connectionId, connectionId),
              eq(priceListPeriods.priceListId, account.priceListId),
              isNull(priceListPeriods.deletedAt),
            ),
          ),
    vatCodeList.length === 0
      ? []
      : db
          .select()
          .from(vatCodes)
          .where(
            and(
              eq(vatCodes.connectionId, connectionId),
              inArray(vatCodes.code, vatCodeList),
              isNull(vatCodes.deletedAt),
            ),
          ),
  ]);
  const [discounts, percentages] = await Promise.all([
    discountsOf(db, connectionId, periods, itemIds, groupIds),
    codesFound.length === 0
      ? []
      : db
          .select()
          .from(vatPercentages)
          .where(
            and(
              eq(vatPercentages.connectionId, connectionId),
              inArray(
                vatPercentages.vatCodeId,
                codesFound.map((c) => c.exactId),
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

async function discountsOf(
  db: Executor,
  connectionId: string,
  periods: ReadonlyArray<{ exactId: string }>,
  itemIds: string[],
  groupIds: string[],
) {
  if (periods.length === 0 || itemIds.length === 0) return [];
  const targets: SQL[] = [inArray(volumeDiscounts.itemId, itemIds)];
  if (groupIds.length > 0) targets.push(inArray(volumeDiscounts.itemGroupId, groupIds));
  return db
    .select()
    .from(volumeDiscounts)
    .where(
      and(
        eq(volumeDiscounts.connectionId, connectionId),
        inArray(
          volumeDiscounts.priceListPeriodId,
          periods.map((p) => p.exactId),
        ),
        or(...targets),
        isNull(volumeDiscounts.deletedAt),
      ),
    );
}
