import { syncDedupId } from '@exact-sync/core';
import { requestFullResync, type SyncDataset, saveSyncState } from '@exact-sync/db';
import {
  BudgetExhaustedError,
  ConnectionNeedsReauthError,
  EndpointGuardedError,
  TokenRefreshTooEarlyError,
} from '@exact-sync/exact';
import { enqueue } from '@exact-sync/queues';
import { exactFor, type WorkerServices } from '../services.ts';
import { initialSyncComplete, runDeletedSync } from '../sync/sync-deleted.run.ts';
import { runEntitySync } from '../sync/sync-entity.run.ts';
import type { Handler, JobContext } from './handler.ts';

/** Budget waits go back to the delayed set without using an attempt; other failures are recorded, then retried. */
async function guarded(
  services: WorkerServices,
  context: JobContext,
  where: { connectionId: string; dataset: SyncDataset },
  run: () => Promise<void>,
): Promise<void> {
  try {
    await run();
  } catch (error) {
    if (
      error instanceof BudgetExhaustedError ||
      error instanceof EndpointGuardedError ||
      error instanceof TokenRefreshTooEarlyError
    ) {
      context.log.debug({ until: error.until }, 'waiting for budget');
      return context.delayUntil(error.until);
    }
    if (error instanceof ConnectionNeedsReauthError) {
      context.log.warn({ connectionId: where.connectionId }, 'connection needs re-authorization; sync waits');
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    await saveSyncState(services.database.db, where.connectionId, where.dataset, {
      lastError: message.slice(0, 500),
      lastErrorAt: 'now',
    }).catch(() => undefined);
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
