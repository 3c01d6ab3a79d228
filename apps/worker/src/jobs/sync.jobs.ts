import { errorSummary, isEntityEnabled, syncDedup } from '@exact-sync/core';
import { recordSyncError, requestFullResync, type SyncDataset, withSessionLock } from '@exact-sync/db';
import { ConnectionNeedsReauthError, isPermanent, RetryLaterError } from '@exact-sync/exact';
import { enqueue } from '@exact-sync/queues';
import { UnrecoverableError } from 'bullmq';
import type { Logger } from 'pino';
import { parkNextPoll } from '../maintenance/sync-schedulers.ts';
import { advanceOrders, ORDER_LIFE_ENTITIES } from '../orders/order-progress.ts';
import { exactFor, type WorkerServices } from '../services.ts';
import { runDeletions } from '../sync/deletions.run.ts';
import { LaneClosedError } from '../sync/fair-lane.ts';
import { runListSync } from '../sync/list-sync.run.ts';
import { runEntitySync } from '../sync/sync-entity.run.ts';
import type { DeletionRunDeps } from '../sync/sync-run-deps.ts';
import type { Handler, JobContext } from './handler.ts';

const DAY_MS = 86_400_000;

/** What the runs of one job work with: the worker's clock, its settings, its metrics and the lane's turns. */
function runDeps(services: WorkerServices, log: Logger, connectionId: string): DeletionRunDeps {
  const { config } = services;
  return {
    db: services.database.db,
    log,
    clock: services.clock,
    errorRetryMs: config.SYNC_ERROR_RETRY_MS,
    retentionMs: config.DELETED_RETENTION_DAYS * DAY_MS,
    strategyWindowMs: config.DELETION_STRATEGY_WINDOW_MS,
    events: services.metrics.sync,
    turn: () => services.syncLane.turn(connectionId),
  };
}

/**
 * Runs a job's work in the sync lane, in its connection's turn, as the run of its dataset: jobs for a dataset that
 * already waits in the lane join that run. A wait for budget within a window (pacing, an order going first, the
 * window's share used) is waited out in the lane, which serves other connections meanwhile, and the work resumes in
 * a later turn (runs resume from their committed state); a longer one is thrown, and the job goes back to BullMQ's
 * delayed set (see `laneWait` in services.ts).
 */
function inLane(
  services: WorkerServices,
  where: { connectionId: string; dataset: SyncDataset },
  run: () => Promise<void>,
): Promise<void> {
  return services.syncLane.run(where.connectionId, run, { dataset: where.dataset });
}

/**
 * A sync job's handler with its scheduler's next poll parked while it waits in the lane and runs (see
 * `parkNextPoll`): a planned poll is queued again when its run is over, not as soon as it is taken.
 */
function planned<K extends 'sync.entity' | 'sync.list' | 'sync.deleted'>(
  services: WorkerServices,
  handler: Handler<K>,
): Handler<K> {
  return async (payload, context) => {
    if (!context.schedulerId) return handler(payload, context);
    const release = await parkNextPoll(services.queues.sync, context.schedulerId);
    try {
      await handler(payload, context);
    } finally {
      await release();
    }
  };
}

/**
 * Waits (budget, error guard, token refresh) go back to the delayed set without using an attempt. Exact's refusals
 * of a page are handled by the runs themselves (the dataset goes to `error`, retried after SYNC_ERROR_RETRY_MS);
 * anything else is recorded in the sync state and retried, except another refusal for good, which fails the job
 * at once rather than bring Exact's hourly error block closer.
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
    // The worker stops: the job goes back to the queue for another process (or this one, restarted).
    if (error instanceof LaneClosedError) return context.delayUntil(Date.now());
    if (error instanceof RetryLaterError) {
      context.log.debug({ until: error.until, reason: error.name }, 'waiting to call Exact again');
      // BullMQ delays on the wall clock; the governor answers on the worker's clock (the same one, except where a
      // test moves it), so the wait is carried over as a duration.
      return context.delayUntil(Date.now() + Math.max(0, error.until - services.clock.now()));
    }
    if (error instanceof ConnectionNeedsReauthError) {
      context.log.warn({ connectionId: where.connectionId }, 'connection needs re-authorization; sync waits');
      return;
    }
    const message = errorSummary(error);
    await recordSyncError(services.database.db, where.connectionId, where.dataset, message).catch(
      () => undefined,
    );
    if (isPermanent(error)) throw new UnrecoverableError(message);
    throw error;
  }
}

export function syncEntityHandler(services: WorkerServices): Handler<'sync.entity'> {
  return planned(services, async ({ connectionId, entity, full }, context) => {
    const { db } = services.database;
    if (full) await requestFullResync(db, connectionId, [entity]);
    const access = await exactFor(services, connectionId);
    if (!access.ok) {
      context.log.info({ connectionId, entity, reason: access.reason }, 'sync skipped');
      return;
    }
    // A webhook or an older schedule may still ask for an entity the operator switched off.
    if (!isEntityEnabled(access.connection.entitySettings, entity)) {
      context.log.info({ connectionId, entity }, 'sync skipped: the entity is disabled');
      return;
    }
    const where = { connectionId, dataset: entity };
    await guarded(services, context, where, () =>
      inLane(services, where, async () => {
        const result = await runEntitySync(runDeps(services, context.log, connectionId), access.exact, {
          connectionId,
          entity,
        });
        context.log.info({ connectionId, entity, ...result }, 'sync run finished');
        // Exact's side of a sales order changed: our orders follow it (states, callbacks, the order feed).
        if (result.records > 0 && ORDER_LIFE_ENTITIES.includes(entity)) {
          const progress = await advanceOrders(db, connectionId, context.log);
          if (progress.orders > 0)
            context.log.info({ connectionId, ...progress }, 'orders compared with Exact');
        }
        // A whole dataset just came in: its parked deletions were applied, and the ones still in Exact's log since
        // are read now rather than at the next planned round.
        if (result.completedFull) {
          await enqueue(
            services.queues,
            'sync.deleted',
            { connectionId },
            { deduplication: syncDedup(connectionId, 'deleted') },
          );
        }
      }),
    );
  });
}

/** A full read of one REST list (price lists, VAT codes, …): planned daily, and once when a connection starts. */
export function syncListHandler(services: WorkerServices): Handler<'sync.list'> {
  return planned(services, async ({ connectionId, list }, context) => {
    const access = await exactFor(services, connectionId);
    if (!access.ok) {
      context.log.info({ connectionId, list, reason: access.reason }, 'list read skipped');
      return;
    }
    const where = { connectionId, dataset: list };
    await guarded(services, context, where, () =>
      inLane(services, where, async () => {
        const result = await runListSync(runDeps(services, context.log, connectionId), access.exact, {
          connectionId,
          list,
        });
        context.log.info({ connectionId, list, ...result }, 'list read finished');
      }),
    );
  });
}

export function syncDeletedHandler(services: WorkerServices): Handler<'sync.deleted'> {
  return planned(services, async ({ connectionId }, context) => {
    const access = await exactFor(services, connectionId);
    if (!access.ok) {
      context.log.info({ connectionId, reason: access.reason }, 'deleted sync skipped');
      return;
    }
    const where = { connectionId, dataset: 'deleted' as const };
    await guarded(services, context, where, () =>
      inLane(services, where, async () => {
        // One round per connection at a time (a planned one and a triggered one may meet): the other returns at no
        // cost, and a round that waited for budget resumes without reading a finished chain again.
        const result = await withSessionLock(services.database, `sync:deletions-round:${connectionId}`, () =>
          runDeletions(runDeps(services, context.log, connectionId), access.exact, { connectionId }),
        );
        if (!result) {
          context.log.info({ connectionId }, 'another deletions round runs');
          return;
        }
        context.log.info({ connectionId, ...result }, 'deletions round finished');
        for (const entity of new Set(result.staleResync)) {
          await enqueue(
            services.queues,
            'sync.entity',
            { connectionId, entity },
            { deduplication: syncDedup(connectionId, entity) },
          );
        }
      }),
    );
  });
}
