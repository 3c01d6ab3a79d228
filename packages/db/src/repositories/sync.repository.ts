import type { EntityName } from '@exact-sync/core';
import { and, eq, getTableColumns, isNull, lt, sql } from 'drizzle-orm';
import { getTableConfig, type PgColumn } from 'drizzle-orm/pg-core';
import { type Executor, rawClient } from '../client.ts';
import { accounts, items, salesItemPrices, stockPositions } from '../schema/synced.ts';
import {
  addresses,
  contacts,
  exactOrderHeaders,
  exactOrderLines,
  goodsDeliveries,
  goodsDeliveryLines,
  salesInvoiceLines,
} from '../schema/synced-sales.ts';

/** The table that holds each synced entity. */
export const SYNC_TABLES = {
  items,
  stock: stockPositions,
  prices: salesItemPrices,
  accounts,
  addresses,
  contacts,
  orderHeaders: exactOrderHeaders,
  orderLines: exactOrderLines,
  deliveries: goodsDeliveries,
  deliveryLines: goodsDeliveryLines,
  invoices: salesInvoiceLines,
} as const satisfies Record<EntityName, unknown>;

type SyncTable = (typeof SYNC_TABLES)[EntityName];
export type SyncRow<E extends EntityName> = (typeof SYNC_TABLES)[E]['$inferInsert'];

// Columns a sync run never copies from Exact's answer: the key, and what this service keeps itself.
const LOCAL_COLUMNS = new Set(['connectionId', 'exactId', 'seenAt', 'updatedAt', 'deletedAt']);
// Columns the upsert stamps itself rather than take from a row.
const STAMPED_COLUMNS = new Set(['seenAt', 'updatedAt', 'deletedAt']);

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * Serialises a page for `json_to_recordset`: bigints (Exact's Timestamps) as decimal strings, dates as ISO, and
 * without the connection id, which the statement takes once.
 */
const pageJson = (rows: readonly object[]) =>
  JSON.stringify(rows, (key, value: unknown) =>
    key === 'connectionId' ? undefined : typeof value === 'bigint' ? value.toString() : value,
  );

/**
 * The upsert statement of a table for a set of row keys, built once from the table's columns (so a column added
 * to a synced table and to its mapper is taken with no code here). The page travels as one JSON parameter that
 * `json_to_recordset` unpacks by the rows' own keys: one parameter whatever the page size, one prepared statement
 * per table, and no per-value work in JavaScript.
 */
function upsertStatement(table: SyncTable, keys: readonly string[], force: boolean): string {
  const tableName = getTableConfig(table).name;
  const columns = getTableColumns(table) as Record<string, PgColumn>;
  const taken = keys.filter((key) => columns[key] && !STAMPED_COLUMNS.has(key) && key !== 'connectionId');
  for (const key of ['exactId', 'timestamp']) {
    if (!taken.includes(key)) throw new Error(`a synced row of ${tableName} lacks ${key}`);
  }
  const column = (key: string) => quote((columns[key] as PgColumn).name);
  const definitions = taken.map((key) => `${quote(key)} ${(columns[key] as PgColumn).getSQLType()}`);
  const updates = taken
    .filter((key) => !LOCAL_COLUMNS.has(key))
    .map((key) => `${column(key)} = excluded.${column(key)}`);
  // Stamped when the statement runs, not when the page's transaction began: feeds order by this time and wait out
  // only the short gap between statement and commit. `updated_at` moves only when the row changed.
  return `insert into ${quote(tableName)} as t ("connection_id", ${taken.map(column).join(', ')}, "seen_at", "updated_at")
select $2::uuid, ${taken.map((key) => `r.${quote(key)}`).join(', ')}, clock_timestamp(), clock_timestamp()
from json_to_recordset($1::text::json) as r(${definitions.join(', ')})
on conflict ("connection_id", "exact_id") do update set ${[
    ...updates,
    '"seen_at" = clock_timestamp()',
    '"deleted_at" = null',
    `"updated_at" = case when t."timestamp" = excluded."timestamp" and t."deleted_at" is null
      then t."updated_at" else clock_timestamp() end`,
  ].join(', ')}${force ? '' : '\nwhere t."timestamp" <= excluded."timestamp"'}`;
}

const statements = new Map<string, string>();

/**
 * Upserts one page of an entity in one statement. A row changes only when Exact's Timestamp is not older than the
 * stored one, except in a full run (`force`), whose pages arrive in order and which must also take Timestamps
 * that restarted after a division move. Seen rows are un-tombstoned and stamped `seen_at`; `updated_at` moves only
 * on change. Rows must be of one connection and have distinct ids (see `dedupeById` in the worker).
 */
export async function upsertSyncedRows<E extends EntityName>(
  tx: Executor,
  entity: E,
  rows: SyncRow<E>[],
  options: { force: boolean },
): Promise<void> {
  const [first] = rows;
  if (!first) return;
  const { connectionId } = first;
  if (rows.some((row) => row.connectionId !== connectionId)) throw new Error('a page is of one connection');
  const keys = Object.keys(first);
  const id = `${entity}:${options.force}:${keys.join(',')}`;
  let statement = statements.get(id);
  if (statement === undefined) {
    statement = upsertStatement(SYNC_TABLES[entity], keys, options.force);
    statements.set(id, statement);
  }
  await rawClient(tx).unsafe(statement, [pageJson(rows), connectionId], { prepare: true });
}

/** After a full run: rows the run did not see are gone from Exact. Answers how many were tombstoned. */
export async function tombstoneUnseen(
  tx: Executor,
  entity: EntityName,
  connectionId: string,
  runStartedAt: Date,
): Promise<number> {
  const table: SyncTable = SYNC_TABLES[entity];
  const rows = await tx
    .update(table)
    .set({ deletedAt: sql`clock_timestamp()`, updatedAt: sql`clock_timestamp()` })
    .where(and(eq(table.connectionId, connectionId), isNull(table.deletedAt), lt(table.seenAt, runStartedAt)))
    .returning({ id: table.exactId });
  return rows.length;
}

export interface Deletion {
  entity: EntityName;
  exactId: string;
  timestamp: bigint;
  deletedAt: Date;
}

/** The tombstoning statement of a table: a page of deletions as one JSON parameter, like the upsert's pages. */
function deletionStatement(table: SyncTable): string {
  const columns = getTableColumns(table) as Record<string, PgColumn>;
  const type = (key: string) => (columns[key] as PgColumn).getSQLType();
  return `update ${quote(getTableConfig(table).name)} as t
set "deleted_at" = d."deletedAt", "updated_at" = clock_timestamp()
from json_to_recordset($1::text::json) as d("exactId" ${type('exactId')}, "timestamp" ${type('timestamp')}, "deletedAt" timestamptz)
where t."connection_id" = $2::uuid and t."exact_id" = d."exactId" and t."deleted_at" is null
  and t."timestamp" <= d."timestamp"
returning t."exact_id"`;
}

const deletionStatements = new Map<EntityName, string>();

/**
 * Tombstones rows that `sync/Deleted` reports, but only when the local row is not newer than the deletion (as
 * Exact's own sync sample does): a record re-created or changed after its deletion stays. One statement per entity
 * of the page, whatever its size.
 */
export async function applyDeletions(
  tx: Executor,
  connectionId: string,
  deletions: Deletion[],
): Promise<number> {
  const byEntity = new Map<EntityName, Deletion[]>();
  for (const d of deletions) byEntity.set(d.entity, [...(byEntity.get(d.entity) ?? []), d]);
  let applied = 0;
  for (const [entity, page] of byEntity) {
    let statement = deletionStatements.get(entity);
    if (statement === undefined) {
      statement = deletionStatement(SYNC_TABLES[entity]);
      deletionStatements.set(entity, statement);
    }
    const json = JSON.stringify(
      page.map((d) => ({ exactId: d.exactId, timestamp: d.timestamp.toString(), deletedAt: d.deletedAt })),
    );
    const rows = await rawClient(tx).unsafe(statement, [json, connectionId], { prepare: true });
    applied += rows.length;
  }
  return applied;
}

/** Live (not tombstoned) rows of an entity: for status pages. */
export async function countLiveRows(tx: Executor, entity: EntityName, connectionId: string): Promise<number> {
  const table: SyncTable = SYNC_TABLES[entity];
  const [row] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(table)
    .where(and(eq(table.connectionId, connectionId), isNull(table.deletedAt)));
  return row?.n ?? 0;
}
