import { and, eq, getTableColumns, gt, inArray, isNull, type SQL, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { Executor } from '../client.ts';
import { accounts, items, salesItemPrices, stockPositions } from '../schema/synced.ts';
import { type FeedKey, type FeedPage, type FeedQuery, keysetPage, settled } from './keyset.ts';

/** What a storefront asks of one synced dataset; the connection comes from its API key. */
export interface CatalogQuery {
  connectionId: string;
  /** Exact match on the item code (items, stock, prices) or the trimmed account code (accounts). */
  code?: string | undefined;
  /** Rows changed after this time, tombstones included; without it only live rows are listed. */
  updatedSince?: Date | undefined;
  cursor?: string | undefined;
  limit: number;
  /** Changes younger than this are left for the next pull (see `settled`); code look-ups see everything. */
  settleMs: number;
}

export type ItemRow = typeof items.$inferSelect;
export type StockRow = typeof stockPositions.$inferSelect;
export type AccountRow = typeof accounts.$inferSelect;
export type PriceRow = typeof salesItemPrices.$inferSelect & { accountCode: string | null };

/** Sums of one item's live stock rows over all its warehouses. Quantities are numeric strings, as Postgres sums them. */
export interface StockTotalRow {
  itemId: string;
  itemCode: string | null;
  warehouses: number;
  currentStock: string;
  freeStock: string;
  planningIn: string;
  planningOut: string;
  projectedStock: string;
  reservedStock: string;
}

type CatalogTable = typeof items | typeof stockPositions | typeof salesItemPrices | typeof accounts;

/** Reads a page of one synced dataset: the connection, its code or change window (or live rows only). */
function catalogPage<R extends { updatedAt: Date; exactId: string }>(
  table: CatalogTable,
  codeColumn: PgColumn,
  query: CatalogQuery,
  read: (page: FeedQuery) => Promise<R[]>,
): Promise<FeedPage<R>> {
  const key: FeedKey<R> = {
    updatedAt: table.updatedAt,
    id: table.exactId,
    positionOf: (row) => ({ updatedAt: row.updatedAt, id: row.exactId }),
  };
  const filters: (SQL | undefined)[] = [eq(table.connectionId, query.connectionId)];
  if (query.code !== undefined) filters.push(eq(codeColumn, query.code));
  else filters.push(settled(table.updatedAt, query.settleMs));
  filters.push(query.updatedSince ? gt(table.updatedAt, query.updatedSince) : isNull(table.deletedAt));
  return keysetPage(key, { filters, cursor: query.cursor, limit: query.limit }, read);
}

/** A page of a connection's items in (updatedAt, exactId) order. */
export function listItems(db: Executor, query: CatalogQuery): Promise<FeedPage<ItemRow>> {
  return catalogPage(items, items.code, query, ({ where, orderBy, limit }) =>
    db
      .select()
      .from(items)
      .where(where)
      .orderBy(...orderBy)
      .limit(limit),
  );
}

/** A page of a connection's stock positions (one per item and warehouse); `code` is the item code. */
export function listStock(db: Executor, query: CatalogQuery): Promise<FeedPage<StockRow>> {
  return catalogPage(stockPositions, stockPositions.itemCode, query, ({ where, orderBy, limit }) =>
    db
      .select()
      .from(stockPositions)
      .where(where)
      .orderBy(...orderBy)
      .limit(limit),
  );
}

/** A page of sales prices; a customer-specific price carries its account's code when that account is synced. */
export function listPrices(db: Executor, query: CatalogQuery): Promise<FeedPage<PriceRow>> {
  return catalogPage(salesItemPrices, salesItemPrices.itemCode, query, ({ where, orderBy, limit }) =>
    db
      .select({ ...getTableColumns(salesItemPrices), accountCode: accounts.code })
      .from(salesItemPrices)
      .leftJoin(
        accounts,
        and(
          eq(accounts.connectionId, salesItemPrices.connectionId),
          eq(accounts.exactId, salesItemPrices.accountId),
        ),
      )
      .where(where)
      .orderBy(...orderBy)
      .limit(limit),
  );
}

/** A page of a connection's accounts; `code` matches the trimmed account code. */
export function listAccounts(db: Executor, query: CatalogQuery): Promise<FeedPage<AccountRow>> {
  return catalogPage(accounts, accounts.code, query, ({ where, orderBy, limit }) =>
    db
      .select()
      .from(accounts)
      .where(where)
      .orderBy(...orderBy)
      .limit(limit),
  );
}

const total = (column: PgColumn) => sql<string>`coalesce(sum(${column}), 0)::text`;

/**
 * Per-item totals over every live stock row of the given items, whichever page those rows are on. Items without
 * live rows are absent from the answer.
 */
export async function stockTotals(
  db: Executor,
  connectionId: string,
  itemIds: readonly string[],
): Promise<StockTotalRow[]> {
  if (itemIds.length === 0) return [];
  const s = stockPositions;
  return db
    .select({
      itemId: s.itemId,
      itemCode: sql<string | null>`max(${s.itemCode})`,
      warehouses: sql<number>`count(*)::int`,
      currentStock: total(s.currentStock),
      freeStock: total(s.freeStock),
      planningIn: total(s.planningIn),
      planningOut: total(s.planningOut),
      projectedStock: total(s.projectedStock),
      reservedStock: total(s.reservedStock),
    })
    .from(s)
    .where(and(eq(s.connectionId, connectionId), inArray(s.itemId, [...itemIds]), isNull(s.deletedAt)))
    .groupBy(s.itemId);
}
