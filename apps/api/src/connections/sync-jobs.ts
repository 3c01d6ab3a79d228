import type { EntityName } from '@exact-sync/core';
import { syncState } from '@exact-sync/db';
import type { FastifyInstance } from 'fastify';

/**
 * Deduplication id of a connection's sync of one entity, the same the worker's sync lane uses: while a run is
 * queued, further requests collapse into it.
 */
export function syncDedupId(connectionId: string, entity: EntityName): string {
  return `sync:${connectionId}:${entity}`;
}

/**
 * Enqueues `sync.entity` for each entity and answers those enqueued (none when Redis is down). A full resync is
 * first recorded in Postgres, so it is neither lost with Redis nor swallowed by a run already queued: the next run
 * of the entity starts full either way.
 */
export async function enqueueSyncs(
  app: FastifyInstance,
  connectionId: string,
  entities: readonly EntityName[],
  full = false,
): Promise<EntityName[]> {
  if (full) {
    await app.database.db
      .insert(syncState)
      .values(entities.map((entity) => ({ connectionId, entity, fullResyncRequested: 1 })))
      .onConflictDoUpdate({
        target: [syncState.connectionId, syncState.entity],
        set: { fullResyncRequested: 1 },
      });
  }
  const enqueued: EntityName[] = [];
  for (const entity of entities) {
    const payload = { connectionId, entity, ...(full ? { full: true } : {}) };
    const options = { deduplication: { id: syncDedupId(connectionId, entity) } };
    if (await app.tryEnqueue('sync.entity', payload, options)) enqueued.push(entity);
  }
  return enqueued;
}
