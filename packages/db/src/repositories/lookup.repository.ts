import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import { accounts, items } from '../schema/synced.ts';
import { addresses, contacts } from '../schema/synced-sales.ts';

/** A live synced item, as the order lane needs it. */
export interface SyncedItem {
  exactId: string;
  isSalesItem: boolean;
  /** The item's default unit (Exact's `Unit`), when synced. */
  unit?: string | null;
}

/** A live synced account, as the order lane needs it. */
export interface SyncedAccount {
  exactId: string;
  blocked: boolean;
}

/** The live (not tombstoned) items with these codes, by code; codes that are not synced are missing from the map. */
export async function syncedItemsByCode(
  db: Executor,
  connectionId: string,
  codes: readonly string[],
): Promise<Map<string, SyncedItem>> {
  if (codes.length === 0) return new Map();
  const rows = await db
    .select({ code: items.code, exactId: items.exactId, isSalesItem: items.isSalesItem, unit: items.unit })
    .from(items)
    .where(
      and(eq(items.connectionId, connectionId), inArray(items.code, [...codes]), isNull(items.deletedAt)),
    );
  return new Map(rows.map(({ code, ...item }) => [code, item]));
}

/** Whether the live synced address (`addresses`) or contact (`contacts`) with this ID belongs to the account. */
export async function belongsToAccount(
  db: Executor,
  connectionId: string,
  accountId: string,
  ref: { kind: 'address' | 'contact'; id: string },
): Promise<boolean> {
  const table = ref.kind === 'address' ? addresses : contacts;
  const [row] = await db
    .select({ exactId: table.exactId })
    .from(table)
    .where(
      and(
        eq(table.connectionId, connectionId),
        eq(table.exactId, ref.id.toLowerCase()),
        eq(table.accountId, accountId),
        isNull(table.deletedAt),
      ),
    )
    .limit(1);
  return row !== undefined;
}

/** The live account with this (trimmed) code or Exact ID, or undefined when it is not synced. */
export async function syncedAccount(
  db: Executor,
  connectionId: string,
  by: { code: string } | { exactId: string },
): Promise<SyncedAccount | undefined> {
  const match =
    'code' in by ? eq(accounts.code, by.code.trim()) : eq(accounts.exactId, by.exactId.toLowerCase());
  const [row] = await db
    .select({ exactId: accounts.exactId, blocked: accounts.blocked })
    .from(accounts)
    .where(and(eq(accounts.connectionId, connectionId), match, isNull(accounts.deletedAt)))
    .limit(1);
  return row && { exactId: row.exactId, blocked: row.blocked === true };
}
