import type { PriceListPeriodRecord, VolumeDiscountRecord } from './dataset/catalogue-types.ts';
import type { DivisionStore } from './dataset/division-store.ts';
import type { AccountRecord, ItemRecord, PriceRecord } from './dataset/types.ts';
import { parseEdmDate } from './odata.ts';
import { validOn } from './vat.ts';

/** What an order line costs when the POST names no price, and where that came from. */
export interface LinePrice {
  /** The item's general price in the line's unit (Exact's UnitPrice, the "default price"). */
  unitPrice: number;
  netPrice: number;
  source: 'customer' | 'price-list' | 'general' | 'none';
}

export interface PriceQuery {
  account: AccountRecord;
  item: ItemRecord;
  unit: string;
  quantity: number;
  date: number;
}

const cents = (n: number): number => Math.round(n * 100) / 100;

/** Among rows whose quantity break is reached, the one with the highest break. */
function highestBreak<T extends { Quantity: number }>(rows: readonly T[], quantity: number): T | undefined {
  let best: T | undefined;
  for (const row of rows) {
    if (row.Quantity <= quantity && (!best || row.Quantity > best.Quantity)) best = row;
  }
  return best;
}

function itemPrices(store: DivisionStore, q: PriceQuery, account: string | null): PriceRecord[] {
  const rows: PriceRecord[] = [];
  for (const id of store.links.children('prices', 'Item', q.item.ID)) {
    const price = store.get('prices', id);
    if (
      price &&
      price.Account === account &&
      price.Unit === q.unit &&
      validOn(price.StartDate, price.EndDate, q.date)
    )
      rows.push(price);
  }
  return rows;
}

/** The account's price list periods valid on the date: special offers (Type 2) first, then the latest start. */
function periods(store: DivisionStore, q: PriceQuery): PriceListPeriodRecord[] {
  if (q.account.PriceList === null) return [];
  const start = (p: PriceListPeriodRecord) => (p.StartDate === null ? 0 : (parseEdmDate(p.StartDate) ?? 0));
  return store.links
    .children('priceListPeriods', 'PriceList', q.account.PriceList)
    .map((id) => store.ref('priceListPeriods', id))
    .filter((p): p is PriceListPeriodRecord => p !== undefined && validOn(p.StartDate, p.EndDate, q.date))
    .sort((a, b) => b.Type - a.Type || start(b) - start(a));
}

/** The volume discount that applies: item rows before item-group rows, then the highest break reached. */
function volumeDiscount(store: DivisionStore, q: PriceQuery): VolumeDiscountRecord | undefined {
  for (const period of periods(store, q)) {
    const rows = store.links
      .children('volumeDiscounts', 'PriceListPeriod', period.ID)
      .map((id) => store.ref('volumeDiscounts', id))
      .filter((r): r is VolumeDiscountRecord => r !== undefined && (r.Unit === null || r.Unit === q.unit));
    const forItem = rows.filter((r) => r.Item === q.item.ID);
    const forGroup = rows.filter(
      (r) => r.Item === null && r.ItemGroup !== null && r.ItemGroup === q.item.ItemGroup,
    );
    const row = highestBreak(forItem, q.quantity) ?? highestBreak(forGroup, q.quantity);
    if (row) return row;
  }
  return undefined;
}

/**
 * Prices a line the POST left unpriced, in the line's unit on the order date. Precedence:
 * 1. the customer's own SalesItemPrice (Account = the customer), highest quantity break reached;
 * 2. the volume discount of the customer's price list (period valid on the order date, special offers first; item
 *    rows before item-group rows; highest break reached): EntryMethod 2 gives NewPrice, EntryMethod 1 gives
 *    (1 − Discount) × the general price;
 * 3. the general SalesItemPrice (no account, highest break reached) less the account's DiscountSales.
 * No general price at all gives 0 (the simulator does not refuse the line).
 */
export function priceLine(store: DivisionStore, q: PriceQuery): LinePrice {
  const general = itemPrices(store, q, null);
  const unitPrice = highestBreak(general, 1)?.Price ?? highestBreak(general, q.quantity)?.Price ?? 0;
  const customer = highestBreak(itemPrices(store, q, q.account.ID), q.quantity);
  if (customer) return { unitPrice, netPrice: customer.Price, source: 'customer' };
  const discount = volumeDiscount(store, q);
  if (discount) {
    const net =
      discount.EntryMethod === 2
        ? (discount.NewPrice ?? unitPrice)
        : unitPrice * (1 - (discount.Discount ?? 0));
    return { unitPrice, netPrice: cents(net), source: 'price-list' };
  }
  const tier = highestBreak(general, q.quantity);
  if (!tier) return { unitPrice: 0, netPrice: 0, source: 'none' };
  return { unitPrice, netPrice: cents(tier.Price * (1 - (q.account.DiscountSales ?? 0))), source: 'general' };
}

/** The units an item is sold in: its own unit and those its prices name (e.g. a box of 12). */
export function salesUnits(store: DivisionStore, item: ItemRecord): string[] {
  const units = new Set([item.Unit]);
  for (const id of store.links.children('prices', 'Item', item.ID)) {
    const price = store.get('prices', id);
    if (price) units.add(price.Unit);
  }
  return [...units];
}
