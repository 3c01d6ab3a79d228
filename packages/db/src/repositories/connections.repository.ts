import type { EntitiesSettings, EntityName } from '@exact-sync/core';
import { type AnyColumn, and, asc, eq, isNotNull, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import { type ChannelSettings, type ChannelsSettings, connections } from '../schema/connections.ts';
import { announceApiKeyChange } from './api-keys.repository.ts';

export type ConnectionRow = typeof connections.$inferSelect;

/** The connection with this id, or undefined. */
export async function findConnection(db: Executor, id: string): Promise<ConnectionRow | undefined> {
  const [row] = await db.select().from(connections).where(eq(connections.id, id));
  return row;
}

/** Every connection, oldest first. */
export async function listConnections(db: Executor): Promise<ConnectionRow[]> {
  return db.select().from(connections).orderBy(asc(connections.createdAt), asc(connections.id));
}

/** A new connection, `pending` until a person authorizes it in Exact. */
export async function createConnection(
  db: Executor,
  input: { name: string; exactBaseUrl: string; division?: number | undefined },
): Promise<ConnectionRow> {
  const [row] = await db.insert(connections).values(input).returning();
  if (!row) throw new Error('insert returned no row');
  return row;
}

/** A channel's settings to change: a setting given as null is removed. */
type ChannelPatch = { [K in keyof ChannelSettings]?: ChannelSettings[K] | null | undefined };

/** What an operator may change of a connection; per channel, only the settings given change. */
export interface ConnectionChanges {
  name?: string | undefined;
  paused?: boolean | undefined;
  channels?: Partial<Record<keyof ChannelsSettings, ChannelPatch | undefined>> | undefined;
  /** Per entity, the settings to change; a setting given as null goes back to its default. */
  entities?:
    | Partial<Record<EntityName, { targetLagSeconds?: number | null; enabled?: boolean | null }>>
    | undefined;
}

/** A jsonb column of settings per key (entity, channel) with `changes` merged in per key; null values remove one. */
function mergedPerKey(column: SQL | AnyColumn, changes: Record<string, object | undefined>): SQL {
  let merged: SQL = sql`${column}`;
  for (const [key, patch] of Object.entries(changes)) {
    if (patch === undefined) continue;
    merged = sql`jsonb_set(${merged}, ${`{${key}}`}::text[],
      jsonb_strip_nulls(coalesce(${merged} -> ${key}, '{}'::jsonb) || ${JSON.stringify(patch)}::jsonb))`;
  }
  return merged;
}

/** Applies `changes` and answers the updated row, or undefined when the connection does not exist. */
export async function updateConnection(
  db: Executor,
  id: string,
  changes: ConnectionChanges,
): Promise<ConnectionRow | undefined> {
  const { name, paused, channels, entities } = changes;
  const [row] = await db
    .update(connections)
    .set({
      ...(name !== undefined ? { name } : {}),
      ...(paused !== undefined ? { paused } : {}),
      ...(channels ? { channels: mergedPerKey(connections.channels, channels) } : {}),
      ...(entities ? { entitySettings: mergedPerKey(connections.entitySettings, entities) } : {}),
      updatedAt: sql`now()`,
    })
    .where(eq(connections.id, id))
    .returning();
  return row;
}

/** Deletes a connection; its keys, orders, sync state and synced rows go with it (foreign keys cascade). */
export async function deleteConnection(db: Executor, id: string): Promise<void> {
  await db.delete(connections).where(eq(connections.id, id));
  // Its keys went with it.
  await announceApiKeyChange(db);
}

/** A connection that may call Exact now, with what its rate budget is keyed by. */
export interface ActiveConnection {
  id: string;
  exactBaseUrl: string;
  division: number;
  entitySettings: EntitiesSettings;
}

/** Connections that may call Exact now: authorized, with a division, not paused. */
export async function listActiveConnections(db: Executor): Promise<ActiveConnection[]> {
  const rows = await db
    .select({
      id: connections.id,
      exactBaseUrl: connections.exactBaseUrl,
      division: connections.division,
      entitySettings: connections.entitySettings,
    })
    .from(connections)
    .where(
      and(eq(connections.status, 'active'), eq(connections.paused, false), isNotNull(connections.division)),
    );
  return rows.flatMap((row) => (row.division === null ? [] : [{ ...row, division: row.division }]));
}

/** Active, unpaused connections to one division number (on whichever Exact host): webhook deliveries' targets. */
export async function connectionsOfDivision(
  db: Executor,
  division: number,
): Promise<{ id: string; exactBaseUrl: string }[]> {
  return db
    .select({ id: connections.id, exactBaseUrl: connections.exactBaseUrl })
    .from(connections)
    .where(
      and(
        eq(connections.division, division),
        eq(connections.status, 'active'),
        eq(connections.paused, false),
      ),
    );
}
