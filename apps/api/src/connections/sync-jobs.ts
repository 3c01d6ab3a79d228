import { type EntityName, syncDedup } from '@exact-sync/core';
import { requestFullResync } from '@exact-sync/db';
import type { FastifyInstance } from 'fastify';

/**
 * Enqueues `sync.entity` for each entity and answers those enqueued (none when Redis is down). Runs are
 * deduplicated as the sync lane does it: while one is queued, further requests collapse into it; while one runs,
 * one more is marked for after it. A full resync is first recorded in Postgres, so it is neither lost with Redis
 * nor swallowed by a run already queued: the next run of the entity starts full either way.
 */
export async function enqueueSyncs(
  app: FastifyInstance,
  connectionId: string,
  entities: readonly EntityName[],
  full = false,
): Promise<EntityName[]> {
  if (full) await requestFullResync(app.database.db, connectionId, entities);
  const enqueued: EntityName[] = [];
  for (const entity of entities) {
    const payload = { connectionId, entity, ...(full ? { full: true } : {}) };
    const options = { deduplication: syncDedup(connectionId, entity) };
    if (await app.tryEnqueue('sync.entity', payload, options)) enqueued.push(entity);
  }
  return enqueued;
}

/** Enqueues a round of the connection's deletion chains, deduplicated like the entity runs. */
export async function enqueueDeletions(app: FastifyInstance, connectionId: string): Promise<boolean> {
  return app.tryEnqueue(
    'sync.deleted',
    { connectionId },
    { deduplication: syncDedup(connectionId, 'deleted') },
  );
}
