import { and, asc, eq, getTableColumns, gt, inArray, isNull, or, type SQL, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { Executor } from '../client.ts';
import { accounts, items, salesItemPrices, stockPositions } from '../schema/synced.ts';
import { decodeCursor, encodeCursor, settled } from './keyset.ts';
import { InvalidCursorError } from './orders.repository.ts';

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

export interface CatalogPage<R> {
  data: R[];
  nextCursor: string | null;
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

/** Filters of a feed page: the connection, code, change window (or live rows only) and the keyset position. */
function feedFilter(table: CatalogTable, codeColumn: PgColumn, query: CatalogQuery): SQL | undefined {
  const filters: (SQL | undefined)[] = [eq(table.connectionId, query.connectionId)];
  if (query.code !== undefined) filters.push(eq(codeColumn, query.code));
  else filters.push(settled(table.updatedAt, query.settleMs));
  filters.push(query.updatedSince ? gt(table.updatedAt, query.updatedSince) : isNull(table.deletedAt));
  if (query.cursor !== undefined) {
    const position = decodeCursor(query.cursor);
    // decodeCursor refuses ids that are not UUIDs: compared with a uuid column they would be a database error.
    if (!position) {
      throw new InvalidCursorError('cursor is not one this service handed out');
    }
    filters.push(
      or(
        gt(table.updatedAt, position.updatedAt),
        and(eq(table.updatedAt, position.updatedAt), gt(table.exactId, position.id)),
      ),
    );
  }
  return and(...filters);
}

/** Cuts the one extra row fetched beyond the limit; its presence means another page follows. */
function toPage<R extends { updatedAt: Date; exactId: string }>(rows: R[], limit: number): CatalogPage<R> {
  const data = rows.slice(0, limit);
  const last = data.at(-1);
  const nextCursor =
    rows.length > limit && last ? encodeCursor({ updatedAt: last.updatedAt, id: last.exactId }) : null;
  return { data, nextCursor };
}

/** A page of a connection's items in (updatedAt, exactId) order. */
export async function listItems(db: Executor, query: CatalogQuery): Promise<CatalogPage<ItemRow>> {
  const rows = await db
    .select()
    .from(items)
    .where(feedFilter(items, items.code, query))
    .orderBy(asc(items.updatedAt), asc(items.exactId))
    .limit(query.limit + 1);
  return toPage(rows, query.limit);
}

/** A page of a connection's stock positions (one per item and warehouse); `code` is the item code. */
export async function listStock(db: Executor, query: CatalogQuery): Promise<CatalogPage<StockRow>> {
  const rows = await db
    .select()
    .from(stockPositions)
    .where(feedFilter(stockPositions, stockPositions.itemCode, query))
    .orderBy(asc(stockPositions.updatedAt), asc(stockPositions.exactId))
    .limit(query.limit + 1);
  return toPage(rows, query.limit);
}

/** A page of sales prices; a customer-specific price carries its account's code when that account is synced. */
export async function listPrices(db: Executor, query: CatalogQuery): Promise<CatalogPage<PriceRow>> {
  const rows = await db
    .select({ ...getTableColumns(salesItemPrices), accountCode: accounts.code })
    .from(salesItemPrices)
    .leftJoin(
      accounts,
      and(
        eq(accounts.connectionId, salesItemPrices.connectionId),
        eq(accounts.exactId, salesItemPrices.accountId),
      ),
    )
    .where(feedFilter(salesItemPrices, salesItemPrices.itemCode, query))
    .orderBy(asc(salesItemPrices.updatedAt), asc(salesItemPrices.exactId))
    .limit(query.limit + 1);
  return toPage(rows, query.limit);
}

/** A page of a connection's accounts; `code` matches the trimmed account code. */
export async function listAccounts(db: Executor, query: CatalogQuery): Promise<CatalogPage<AccountRow>> {
  const rows = await db
    .select()
    .from(accounts)
    .where(feedFilter(accounts, accounts.code, query))
    .orderBy(asc(accounts.updatedAt), asc(accounts.exactId))
    .limit(query.limit + 1);
  return toPage(rows, query.limit);
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
