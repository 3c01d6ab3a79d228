import { syncDedupId } from '@exact-sync/core';
import { recordSyncError, requestFullResync, type SyncDataset } from '@exact-sync/db';
import { ConnectionNeedsReauthError, isPermanent, RetryLaterError } from '@exact-sync/exact';
import { enqueue } from '@exact-sync/queues';
import { UnrecoverableError } from 'bullmq';
import { exactFor, type WorkerServices } from '../services.ts';
import { initialSyncComplete, runDeletedSync } from '../sync/sync-deleted.run.ts';
import { runEntitySync } from '../sync/sync-entity.run.ts';
import type { Handler, JobContext } from './handler.ts';

/**
 * Waits (budget, error guard, token refresh) go back to the delayed set without using an attempt. Other failures
 * are recorded in the sync state first; a permanent refusal from Exact (400, 403, 404) then fails the job at once,
 * since repeating the same page would only bring Exact's hourly error block closer (the next scheduled run tries
 * again), and anything else is retried.
 */
async function guarded(
  services: WorkerServices,
  context: JobContext,
  where: { connectionId: string; dataset: SyncDataset },
  run: () => Promise<void>,
): Promise<void> {
  try {
    await run();
  } catch (error) {
    if (error instanceof RetryLaterError) {
      context.log.debug({ until: error.until, reason: error.name }, 'waiting to call Exact again');
      return context.delayUntil(error.until);
    }
    if (error instanceof ConnectionNeedsReauthError) {
      context.log.warn({ connectionId: where.connectionId }, 'connection needs re-authorization; sync waits');
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    await recordSyncError(services.database.db, where.connectionId, where.dataset, message).catch(
      () => undefined,
    );
    if (isPermanent(error)) throw new UnrecoverableError(message);
    throw error;
  }
}

export function syncEntityHandler(services: WorkerServices): Handler<'sync.entity'> {
  return async ({ connectionId, entity, full }, context) => {
    const { db } = services.database;
    if (full) await requestFullResync(db, connectionId, [entity]);
    const access = await exactFor(services, connectionId);
    if (!access.ok) {
      context.log.info({ connectionId, entity, reason: access.reason }, 'sync skipped');
      return;
    }
    await guarded(services, context, { connectionId, dataset: entity }, async () => {
      const result = await runEntitySync({ db, log: context.log }, access.exact, { connectionId, entity });
      context.log.info({ connectionId, entity, ...result }, 'sync run finished');
      if (result.outcome === 'done' && (await initialSyncComplete(db, connectionId))) {
        await enqueue(
          services.queues,
          'sync.deleted',
          { connectionId },
          {
            deduplication: { id: syncDedupId(connectionId, 'deleted') },
          },
        );
      }
    });
  };
}

export function syncDeletedHandler(services: WorkerServices): Handler<'sync.deleted'> {
  return async ({ connectionId }, context) => {
    const access = await exactFor(services, connectionId);
    if (!access.ok) {
      context.log.info({ connectionId, reason: access.reason }, 'deleted sync skipped');
      return;
    }
    await guarded(services, context, { connectionId, dataset: 'deleted' }, async () => {
      const result = await runDeletedSync({ db: services.database.db }, access.exact, { connectionId });
      context.log.info({ connectionId, ...result }, 'deleted sync finished');
    });
  };
}
