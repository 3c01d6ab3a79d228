import type { ListName } from '@exact-sync/core';
import { and, eq, getTableColumns, isNull, lt, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import {
  itemGroups,
  priceListPeriods,
  priceLists,
  units,
  vatCodes,
  vatPercentages,
  volumeDiscounts,
  warehouses,
} from '../schema/reference-lists.ts';

/** The table of each REST list. */
export const LIST_TABLES = {
  priceLists,
  priceListPeriods,
  volumeDiscounts,
  vatCodes,
  vatPercentages,
  itemGroups,
  units,
  warehouses,
} as const satisfies Record<ListName, unknown>;

type ListTable = (typeof LIST_TABLES)[ListName];
export type ListRow<L extends ListName> = (typeof LIST_TABLES)[L]['$inferInsert'];

const LOCAL_COLUMNS = new Set(['connectionId', 'exactId', 'seenAt', 'updatedAt', 'deletedAt']);

/**
 * Upserts one page of a list as read now: seen rows are stamped `seen_at` and un-tombstoned; `updated_at` moves
 * only when the row's hash (its fields) changed or it comes back.
 */
export async function upsertListRows<L extends ListName>(
  tx: Executor,
  list: L,
  rows: ListRow<L>[],
): Promise<void> {
  if (rows.length === 0) return;
  const table: ListTable = LIST_TABLES[list];
  const set: Record<string, SQL> = {};
  for (const [key, column] of Object.entries(getTableColumns(table))) {
    if (!LOCAL_COLUMNS.has(key)) set[key] = sql.raw(`excluded."${column.name}"`);
  }
  set.seenAt = sql`clock_timestamp()`;
  set.deletedAt = sql`null`;
  set.updatedAt = sql`case when ${table.rowHash} = excluded."row_hash" and ${table.deletedAt} is null
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
    .onConflictDoUpdate({ target: [table.connectionId, table.exactId], set });
}

/** After a complete read: rows it did not see are gone from Exact. Answers how many were tombstoned. */
export async function tombstoneUnseenListRows(
  tx: Executor,
  list: ListName,
  connectionId: string,
  readStartedAt: Date,
): Promise<number> {
  const table: ListTable = LIST_TABLES[list];
  const rows = await tx
    .update(table)
    .set({ deletedAt: sql`clock_timestamp()`, updatedAt: sql`clock_timestamp()` })
    .where(
      and(eq(table.connectionId, connectionId), isNull(table.deletedAt), lt(table.seenAt, readStartedAt)),
    )
    .returning({ id: table.exactId });
  return rows.length;
}

/** Live rows of a list, for the status. */
export async function countLiveListRows(tx: Executor, list: ListName, connectionId: string): Promise<number> {
  const table: ListTable = LIST_TABLES[list];
  const [row] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(table)
    .where(and(eq(table.connectionId, connectionId), isNull(table.deletedAt)));
  return row?.n ?? 0;
}
