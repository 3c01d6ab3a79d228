import { accountIdByCode, type Database, itemIdsByCode, type OrderWithLines } from '@exact-sync/db';
import type { ExactClient } from '@exact-sync/exact';

/** The order cannot be booked as given (unknown SKU or customer): it is rejected, never retried. */
export class OrderRejection extends Error {
  override readonly name = 'OrderRejection';
}

export interface ResolvedOrder {
  accountId: string;
  /** Exact item ID per line, in line order. */
  itemIds: string[];
}

/**
 * Maps the storefront's customer and SKUs to Exact GUIDs: from the synced tables first, then with one targeted
 * lookup per code that is not synced yet (a new item or customer between two sync runs).
 */
export async function resolveOrder(
  deps: { db: Database; exact: ExactClient },
  order: OrderWithLines,
  b2cAccountCode: string | undefined,
): Promise<ResolvedOrder> {
  const { db, exact } = deps;
  const customer = order.customer;
  let accountId: string | undefined;
  if ('exactId' in customer) {
    accountId = customer.exactId;
  } else {
    const code = 'code' in customer ? customer.code : b2cAccountCode;
    if (!code) throw new OrderRejection('the b2c channel has no default account to book consumer orders on');
    accountId = await accountIdByCode(db, order.connectionId, code);
    if (!accountId) {
      const found = await exact.accountByCode(code);
      if (!found || typeof found.ID !== 'string') throw new OrderRejection(`unknown customer code ${code}`);
      accountId = found.ID;
    }
  }

  const codes = [...new Set(order.lines.map((l) => l.sku))];
  const known = await itemIdsByCode(db, order.connectionId, codes);
  for (const code of codes) {
    if (known.has(code)) continue;
    const found = await exact.itemByCode(code);
    if (!found || typeof found.ID !== 'string') throw new OrderRejection(`unknown SKU ${code}`);
    known.set(code, found.ID);
  }
  const itemIds = order.lines.map((l) => known.get(l.sku) ?? '');
  return { accountId, itemIds };
}
