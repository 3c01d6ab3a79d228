import type { AccountRow, ItemRow, PriceRow, StockRow, StockTotalRow } from '@exact-sync/db';
import type { AccountView, ItemView, PriceView, StockTotalView, StockView } from './catalog.schemas.ts';

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);
// Postgres numerics arrive as strings (exact decimals); storefronts get JSON numbers.
const num = (value: string | null): number | null => (value === null ? null : Number(value));

type SyncedRow = Pick<ItemRow, 'exactId' | 'modified' | 'updatedAt' | 'deletedAt'>;

function synced(row: SyncedRow) {
  return {
    id: row.exactId,
    modified: iso(row.modified),
    updatedAt: row.updatedAt.toISOString(),
    deleted: row.deletedAt !== null,
    deletedAt: iso(row.deletedAt),
  };
}

export const toItemView = (row: ItemRow): ItemView => ({
  ...synced(row),
  code: row.code,
  description: row.description,
  unit: row.unit,
  isSalesItem: row.isSalesItem,
  isWebshopItem: row.isWebshopItem,
  barcode: row.barcode,
  costPrice: num(row.costPrice),
});

export const toStockView = (row: StockRow): StockView => ({
  ...synced(row),
  itemId: row.itemId,
  itemCode: row.itemCode,
  warehouseId: row.warehouseId,
  warehouseCode: row.warehouseCode,
  currentStock: num(row.currentStock),
  freeStock: num(row.freeStock),
  planningIn: num(row.planningIn),
  planningOut: num(row.planningOut),
  projectedStock: num(row.projectedStock),
  reservedStock: num(row.reservedStock),
});

export const toPriceView = (row: PriceRow): PriceView => ({
  ...synced(row),
  itemId: row.itemId,
  itemCode: row.itemCode,
  accountId: row.accountId,
  accountCode: row.accountCode,
  currency: row.currency,
  price: num(row.price),
  quantity: num(row.quantity),
  unit: row.unit,
  startDate: iso(row.startDate),
  endDate: iso(row.endDate),
});

export const toAccountView = (row: AccountRow): AccountView => ({
  ...synced(row),
  code: row.code,
  name: row.name,
  email: row.email,
  city: row.city,
  country: row.country,
  status: row.status,
  blocked: row.blocked,
});

/**
 * One total per item on the page, in page order. An item whose every warehouse row is deleted gets zeros, so a
 * storefront pulling tombstones learns that the item is out of stock.
 */
export function toStockTotals(page: readonly StockRow[], sums: readonly StockTotalRow[]): StockTotalView[] {
  const byItem = new Map(sums.map((s) => [s.itemId, s]));
  const seen = new Map<string, StockTotalView>();
  for (const row of page) {
    if (seen.has(row.itemId)) continue;
    const sum = byItem.get(row.itemId);
    seen.set(row.itemId, {
      itemId: row.itemId,
      itemCode: sum?.itemCode ?? row.itemCode,
      warehouses: sum?.warehouses ?? 0,
      currentStock: Number(sum?.currentStock ?? 0),
      freeStock: Number(sum?.freeStock ?? 0),
      planningIn: Number(sum?.planningIn ?? 0),
      planningOut: Number(sum?.planningOut ?? 0),
      projectedStock: Number(sum?.projectedStock ?? 0),
      reservedStock: Number(sum?.reservedStock ?? 0),
    });
  }
  return [...seen.values()];
}
