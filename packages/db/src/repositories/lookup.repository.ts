import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import { accounts, items } from '../schema/synced.ts';

/** Exact IDs of the live items with these codes, by code (codes that are not synced are missing from the map). */
export async function itemIdsByCode(
  db: Executor,
  connectionId: string,
  codes: readonly string[],
): Promise<Map<string, string>> {
  if (codes.length === 0) return new Map();
  const rows = await db
    .select({ code: items.code, id: items.exactId })
    .from(items)
    .where(
      and(eq(items.connectionId, connectionId), inArray(items.code, [...codes]), isNull(items.deletedAt)),
    );
  return new Map(rows.map((r) => [r.code, r.id]));
}

/** Exact ID of the live account with this (trimmed) code, or undefined when it is not synced. */
export async function accountIdByCode(
  db: Executor,
  connectionId: string,
  code: string,
): Promise<string | undefined> {
  const [row] = await db
    .select({ id: accounts.exactId })
    .from(accounts)
    .where(
      and(
        eq(accounts.connectionId, connectionId),
        eq(accounts.code, code.trim()),
        isNull(accounts.deletedAt),
      ),
    )
    .limit(1);
  return row?.id;
}
