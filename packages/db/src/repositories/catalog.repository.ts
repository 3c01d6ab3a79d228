import { and, asc, eq, getTableColumns, gt, ilike, inArray, isNull, or, type SQL, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { Executor } from '../client.ts';
import { accounts, items, salesItemPrices, stockPositions } from '../schema/synced.ts';
import { type FeedKey, type FeedPage, type FeedQuery, keysetPage, settled } from './keyset.ts';

/** What a storefront asks of one synced dataset; the connection comes from its API key. */
export interface CatalogQuery {
  connectionId: string;
  /** Exact match on the item code (items, stock, prices) or the trimmed account code (accounts). */
  code?: string | undefined;
  /** Exact match on any of these item codes (items). */
  codes?: readonly string[] | undefined;
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
  extra: (SQL | undefined)[],
  read: (page: FeedQuery) => Promise<R[]>,
): Promise<FeedPage<R>> {
  const key: FeedKey<R> = {
    updatedAt: table.updatedAt,
    id: table.exactId,
    positionOf: (row) => ({ updatedAt: row.updatedAt, id: row.exactId }),
  };
  const filters: (SQL | undefined)[] = [eq(table.connectionId, query.connectionId), ...extra];
  if (query.code !== undefined) filters.push(eq(codeColumn, query.code));
  else if (query.codes !== undefined) filters.push(inArray(codeColumn, [...query.codes]));
  else filters.push(settled(table.updatedAt, query.settleMs));
  filters.push(query.updatedSince ? gt(table.updatedAt, query.updatedSince) : isNull(table.deletedAt));
  return keysetPage(key, { filters, cursor: query.cursor, limit: query.limit }, read);
}

/** What an item list may narrow itself to, besides its codes. */
export interface ItemFilters {
  /** Only items whose webshop flag (`IsWebshopItem`) is this. */
  webshop?: boolean | undefined;
  /** A case-insensitive substring of the code or the name (`Description`). */
  search?: string | undefined;
  /** Leave out items that are not sales items. */
  salesOnly?: boolean | undefined;
  /** Leave out items whose `endDate` is at or before this time: Exact ended them. */
  liveAt?: Date | undefined;
}

/** `LIKE` pattern matching `text` anywhere, its own `%`, `_` and `\` taken literally. */
const containing = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

function itemFilters(filters: ItemFilters): (SQL | undefined)[] {
  const out: (SQL | undefined)[] = [];
  if (filters.webshop !== undefined) {
    out.push(filters.webshop ? eq(items.isWebshopItem, true) : sql`${items.isWebshopItem} is not true`);
  }
  if (filters.search !== undefined) {
    const pattern = containing(filters.search);
    out.push(or(ilike(items.code, pattern), ilike(items.description, pattern)));
  }
  if (filters.salesOnly) out.push(eq(items.isSalesItem, true));
  if (filters.liveAt) out.push(or(isNull(items.endDate), gt(items.endDate, filters.liveAt)));
  return out;
}

/** A page of a connection's items in (updatedAt, exactId) order. */
export function listItems(
  db: Executor,
  query: CatalogQuery,
  filters: ItemFilters = {},
): Promise<FeedPage<ItemRow>> {
  return catalogPage(items, items.code, query, itemFilters(filters), ({ where, orderBy, limit }) =>
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
  return catalogPage(stockPositions, stockPositions.itemCode, query, [], ({ where, orderBy, limit }) =>
    db
      .select()
      .from(stockPositions)
      .where(where)
      .orderBy(...orderBy)
      .limit(limit),
  );
}

/** Which prices a list holds, besides its item codes. */
export interface PriceFilters {
  /** Leave out the prices whose `endDate` is at or before this time. */
  liveAt?: Date | undefined;
  /**
   * Customer-specific prices only of these accounts (general prices always): an empty list keeps general prices
   * alone; undefined keeps every customer's.
   */
  accountIds?: readonly string[] | undefined;
}

function priceFilters(filters: PriceFilters): (SQL | undefined)[] {
  const p = salesItemPrices;
  const out: (SQL | undefined)[] = [];
  if (filters.liveAt) out.push(or(isNull(p.endDate), gt(p.endDate, filters.liveAt)));
  if (filters.accountIds !== undefined) {
    out.push(
      filters.accountIds.length === 0
        ? isNull(p.accountId)
        : or(isNull(p.accountId), inArray(p.accountId, [...filters.accountIds])),
    );
  }
  return out;
}

const priceColumns = { ...getTableColumns(salesItemPrices), accountCode: accounts.code };
const priceAccount = and(
  eq(accounts.connectionId, salesItemPrices.connectionId),
  eq(accounts.exactId, salesItemPrices.accountId),
);

/** A page of sales prices; a customer-specific price carries its account's code when that account is synced. */
export function listPrices(
  db: Executor,
  query: CatalogQuery,
  filters: PriceFilters = {},
): Promise<FeedPage<PriceRow>> {
  return catalogPage(
    salesItemPrices,
    salesItemPrices.itemCode,
    query,
    priceFilters(filters),
    ({ where, orderBy, limit }) =>
      db
        .select(priceColumns)
        .from(salesItemPrices)
        .leftJoin(accounts, priceAccount)
        .where(where)
        .orderBy(...orderBy)
        .limit(limit),
  );
}

/** The live prices of these items (see `PriceFilters`), by item, then quantity break, general prices first. */
export async function pricesOfItems(
  db: Executor,
  connectionId: string,
  itemIds: readonly string[],
  filters: PriceFilters,
): Promise<PriceRow[]> {
  if (itemIds.length === 0) return [];
  const p = salesItemPrices;
  return db
    .select(priceColumns)
    .from(p)
    .leftJoin(accounts, priceAccount)
    .where(
      and(
        eq(p.connectionId, connectionId),
        inArray(p.itemId, [...itemIds]),
        isNull(p.deletedAt),
        ...priceFilters(filters),
      ),
    )
    .orderBy(asc(p.itemId), asc(p.quantity), sql`${p.accountId} nulls first`, asc(p.exactId));
}

/** The live stock rows (one per warehouse) of these items. */
export async function stockOfItems(
  db: Executor,
  connectionId: string,
  itemIds: readonly string[],
): Promise<StockRow[]> {
  if (itemIds.length === 0) return [];
  const s = stockPositions;
  return db
    .select()
    .from(s)
    .where(and(eq(s.connectionId, connectionId), inArray(s.itemId, [...itemIds]), isNull(s.deletedAt)))
    .orderBy(asc(s.itemId), asc(s.warehouseCode), asc(s.exactId));
}

/** A connection's live account with this trimmed code, if it is synced. */
export async function findAccountByCode(
  db: Executor,
  connectionId: string,
  code: string,
): Promise<AccountRow | undefined> {
  const [row] = await db
    .select()
    .from(accounts)
    .where(and(eq(accounts.connectionId, connectionId), eq(accounts.code, code), isNull(accounts.deletedAt)))
    .limit(1);
  return row;
}

/** A page of a connection's accounts; `code` matches the trimmed account code. */
export function listAccounts(db: Executor, query: CatalogQuery): Promise<FeedPage<AccountRow>> {
  return catalogPage(accounts, accounts.code, query, [], ({ where, orderBy, limit }) =>
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
