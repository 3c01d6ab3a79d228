import type { Channel } from '@exact-sync/core';
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import { apiKeys } from '../schema/connections.ts';

export type ApiKeyRow = typeof apiKeys.$inferSelect;

/** Stores a new storefront key by its hash; the key itself is never stored. */
export async function createApiKey(
  db: Executor,
  input: { connectionId: string; channel: Channel; keyHash: string; keyPrefix: string },
): Promise<ApiKeyRow> {
  const [row] = await db.insert(apiKeys).values(input).returning();
  if (!row) throw new Error('insert returned no row');
  return row;
}

/** A connection's keys, revoked ones included, oldest first. */
export async function listApiKeys(db: Executor, connectionId: string): Promise<ApiKeyRow[]> {
  return db
    .select()
    .from(apiKeys)
    .where(eq(apiKeys.connectionId, connectionId))
    .orderBy(asc(apiKeys.createdAt), asc(apiKeys.id));
}

/**
 * The channel (Postgres LISTEN/NOTIFY) on which a revoked or deleted key is announced, so every api process drops
 * the keys it keeps in memory at once, with or without Redis. Sent once the change is visible to other sessions.
 */
export const API_KEYS_CHANNEL = 'exs_api_keys';

/** Tells every api process that keys were revoked or deleted (see `API_KEYS_CHANNEL`). */
export async function announceApiKeyChange(db: Executor): Promise<void> {
  await db.execute(sql`select pg_notify(${API_KEYS_CHANNEL}, '')`);
}

/** Revokes a key (a key revoked before keeps its first revocation time); false when there is no such key. */
export async function revokeApiKey(db: Executor, id: string): Promise<boolean> {
  const [row] = await db.select({ id: apiKeys.id }).from(apiKeys).where(eq(apiKeys.id, id));
  if (!row) return false;
  await db
    .update(apiKeys)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)));
  await announceApiKeyChange(db);
  return true;
}

/** The connection and channel a key (by its hash) is for, unless it is unknown or revoked. */
export async function findActiveApiKey(
  db: Executor,
  keyHash: string,
): Promise<{ id: string; connectionId: string; channel: Channel } | undefined> {
  const [row] = await db
    .select({ id: apiKeys.id, connectionId: apiKeys.connectionId, channel: apiKeys.channel })
    .from(apiKeys)
    .where(and(eq(apiKeys.keyHash, keyHash), isNull(apiKeys.revokedAt)))
    .limit(1);
  return row;
}
