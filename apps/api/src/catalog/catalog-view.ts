import type { AccountRow, ItemRow, PriceRow, StockRow, StockTotalRow } from '@exact-sync/db';
import { decimalText } from '../validation/decimals.ts';
import type {
  AccountView,
  ItemStockView,
  ItemView,
  PriceView,
  StockTotalView,
  StockView,
} from './catalog.schemas.ts';

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

type SyncedRow = Pick<ItemRow, 'exactId' | 'modified' | 'updatedAt' | 'deletedAt'>;

function synced(row: SyncedRow) {
  return {
    exactId: row.exactId,
    exactModifiedAt: iso(row.modified),
    updatedAt: row.updatedAt.toISOString(),
    deleted: row.deletedAt !== null,
    deletedAt: iso(row.deletedAt),
  };
}

/** Storefronts never see the cost price: the row's `costPrice` stays out of the view. */
export const toItemView = (row: ItemRow, now: Date): ItemView => ({
  ...synced(row),
  sku: row.code,
  name: row.description,
  unitCode: row.unit,
  isSalesItem: row.isSalesItem,
  isWebshopItem: row.isWebshopItem,
  barcode: row.barcode,
  endDate: iso(row.endDate),
  ended: row.endDate !== null && row.endDate <= now,
});

const quantities = (row: Omit<StockTotalRow, 'itemId' | 'itemCode' | 'warehouses'>) => ({
  currentStock: decimalText(row.currentStock),
  freeStock: decimalText(row.freeStock),
  planningIn: decimalText(row.planningIn),
  planningOut: decimalText(row.planningOut),
  projectedStock: decimalText(row.projectedStock),
  reservedStock: decimalText(row.reservedStock),
});

export const toStockView = (row: StockRow): StockView => ({
  ...synced(row),
  itemExactId: row.itemId,
  sku: row.itemCode,
  warehouseExactId: row.warehouseId,
  warehouseCode: row.warehouseCode,
  currentStock: decimalText(row.currentStock),
  freeStock: decimalText(row.freeStock),
  planningIn: decimalText(row.planningIn),
  planningOut: decimalText(row.planningOut),
  projectedStock: decimalText(row.projectedStock),
  reservedStock: decimalText(row.reservedStock),
});

/** A price is live until its `endDate` has passed. */
export const toPriceView = (row: PriceRow, now: Date): PriceView => ({
  ...synced(row),
  itemExactId: row.itemId,
  sku: row.itemCode,
  accountExactId: row.accountId,
  customerCode: row.accountCode,
  currency: row.currency,
  price: decimalText(row.price),
  quantity: decimalText(row.quantity),
  unitCode: row.unit,
  startDate: iso(row.startDate),
  endDate: iso(row.endDate),
  live: row.endDate === null || row.endDate > now,
});

/** Exact's account `Status` codes in words (Exact's CRM/Accounts documentation: A=None, S=Suspect, P=Prospect, C=Customer). */
const ACCOUNT_STATUS = { A: 'none', S: 'suspect', P: 'prospect', C: 'customer' } as const;
const accountStatus = (code: string | null): AccountView['status'] =>
  code !== null && code in ACCOUNT_STATUS ? ACCOUNT_STATUS[code as keyof typeof ACCOUNT_STATUS] : null;

export const toAccountView = (row: AccountRow): AccountView => ({
  ...synced(row),
  code: row.code,
  name: row.name,
  email: row.email,
  city: row.city,
  country: row.country,
  status: accountStatus(row.status),
  statusCode: row.status,
  blocked: row.blocked,
});

const ZERO = {
  currentStock: '0',
  freeStock: '0',
  planningIn: '0',
  planningOut: '0',
  projectedStock: '0',
  reservedStock: '0',
};

/** An item's stock: the totals over its live warehouse rows (zeros when it has none), and each of them. */
export function toItemStock(rows: readonly StockRow[], sum: StockTotalRow | undefined): ItemStockView {
  return {
    warehouses: sum?.warehouses ?? 0,
    ...(sum ? quantities(sum) : ZERO),
    byWarehouse: rows.map((row) => ({
      exactId: row.exactId,
      warehouseExactId: row.warehouseId,
      warehouseCode: row.warehouseCode,
      currentStock: decimalText(row.currentStock),
      freeStock: decimalText(row.freeStock),
      planningIn: decimalText(row.planningIn),
      planningOut: decimalText(row.planningOut),
      projectedStock: decimalText(row.projectedStock),
      reservedStock: decimalText(row.reservedStock),
    })),
  };
}

/** One item's total over its live warehouse rows; zeros when it has none. */
function toStockTotal(
  item: { itemExactId: string; sku: string | null },
  sum: StockTotalRow | undefined,
): StockTotalView {
  return {
    itemExactId: item.itemExactId,
    sku: sum?.itemCode ?? item.sku,
    warehouses: sum?.warehouses ?? 0,
    ...(sum ? quantities(sum) : ZERO),
  };
}

/**
 * One total per item on the page, in page order. An item whose every warehouse row is deleted gets zeros, so a
 * storefront pulling tombstones learns that the item is out of stock.
 */
export function toStockTotals(page: readonly StockRow[], sums: readonly StockTotalRow[]): StockTotalView[] {
  const byItem = new Map(sums.map((s) => [s.itemId, s]));
  const seen = new Map<string, StockTotalView>();
  for (const row of page) {
    if (seen.has(row.itemId)) continue;
    seen.set(
      row.itemId,
      toStockTotal({ itemExactId: row.itemId, sku: row.itemCode }, byItem.get(row.itemId)),
    );
  }
  return [...seen.values()];
}
