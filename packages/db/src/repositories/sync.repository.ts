import type { EntityName } from '@exact-sync/core';
import { and, eq, getTableColumns, isNull, lt, lte, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../client.ts';
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

/**
 * Upserts one page of an entity. A row changes only when Exact's Timestamp is not older than the stored one,
 * except in a full run (`force`), whose pages arrive in order and which must also take Timestamps that restarted
 * after a division move. Seen rows are un-tombstoned and stamped `seen_at`; `updated_at` moves only on change.
 */
export async function upsertSyncedRows<E extends EntityName>(
  tx: Executor,
  entity: E,
  rows: SyncRow<E>[],
  options: { force: boolean },
): Promise<void> {
  if (rows.length === 0) return;
  const table: SyncTable = SYNC_TABLES[entity];
  const set: Record<string, SQL> = {};
  for (const [key, column] of Object.entries(getTableColumns(table))) {
    if (!LOCAL_COLUMNS.has(key)) set[key] = sql.raw(`excluded."${column.name}"`);
  }
  // Stamped when the statement runs, not when the page's transaction began (it spans an HTTP call): feeds order
  // by this time and wait out only the short gap between statement and commit.
  set.seenAt = sql`clock_timestamp()`;
  set.deletedAt = sql`null`;
  set.updatedAt = sql`case when ${table.timestamp} = excluded."timestamp" and ${table.deletedAt} is null
    then ${table.updatedAt} else clock_timestamp() end`;
  await tx
    .insert(table)
    .values(
      rows.map((r) => ({
        ...r,
        seenAt: sql`clock_timestamp()`,
        updatedAt: sql`clock_timestamp()`,
      })) as (typeof table)['$inferInsert'][],
    )
    .onConflictDoUpdate({
      target: [table.connectionId, table.exactId],
      set,
      setWhere: options.force ? undefined : sql`${table.timestamp} <= excluded."timestamp"`,
    });
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

/**
 * Tombstones rows that `sync/Deleted` reports, but only when the local row is not newer than the deletion (as
 * Exact's own sync sample does): a record re-created or changed after its deletion stays.
 */
export async function applyDeletions(
  tx: Executor,
  connectionId: string,
  deletions: Deletion[],
): Promise<number> {
  let applied = 0;
  for (const d of deletions) {
    const table: SyncTable = SYNC_TABLES[d.entity];
    const rows = await tx
      .update(table)
      .set({ deletedAt: d.deletedAt, updatedAt: sql`clock_timestamp()` })
      .where(
        and(
          eq(table.connectionId, connectionId),
          eq(table.exactId, d.exactId),
          isNull(table.deletedAt),
          lte(table.timestamp, d.timestamp),
        ),
      )
      .returning({ id: table.exactId });
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
