import { DELETION_CHAINS, enabledEntities, LIST_NAMES, syncDedupId } from '@exact-sync/core';
import {
  listActiveConnections,
  listSyncStates,
  openOrderIds,
  retriableFailedOrders,
  transitionOrder,
} from '@exact-sync/db';
import { enqueue } from '@exact-sync/queues';
import { advanceOrders } from '../orders/order-progress.ts';
import type { WorkerServices } from '../services.ts';
import { ensureWebhookSubscriptions } from './webhook-subscriptions.ts';

export interface ReconcileSummary {
  ordersEnqueued: number;
  ordersRetried: number;
  syncsResumed: number;
  webhooksSubscribed: number;
  /** Order state changes made from Exact's synced progress. */
  ordersAdvanced: number;
}

/** How long an order that failed because Exact was unreachable waits before the reconciler tries it again. */
const FAILED_ORDER_RETRY_MS = 5 * 60_000;

/**
 * Redis is a cache of work; Postgres is the truth. Re-enqueues every open order (the job id is the order id, so an
 * order already queued is not queued twice), moves failed orders back to accepted once their connection can call
 * Exact again, and resumes unfinished or never-started sync runs.
 */
export async function reconcile(
  services: WorkerServices,
  checkDivisionMove?: (connectionId: string) => Promise<boolean>,
): Promise<ReconcileSummary> {
  const { db } = services.database;
  const summary: ReconcileSummary = {
    ordersEnqueued: 0,
    ordersRetried: 0,
    syncsResumed: 0,
    webhooksSubscribed: 0,
    ordersAdvanced: 0,
  };
  const active = await listActiveConnections(db);

  // Causes on the connection's side have cleared now that it is active; Exact's own outages get time.
  const failed = await retriableFailedOrders(db, {
    connectionIds: active.map((c) => c.id),
    failedBefore: new Date(services.clock.now() - FAILED_ORDER_RETRY_MS),
  });
  for (const id of failed) {
    if (await transitionOrder(db, id, ['failed'], 'accepted')) summary.ordersRetried += 1;
  }

  for (const id of await openOrderIds(db)) {
    await enqueue(services.queues, 'order.submit', { orderId: id }, { jobId: id });
    summary.ordersEnqueued += 1;
  }

  for (const connection of active) {
    await checkDivisionMove?.(connection.id).catch((error: Error) => {
      services.log.warn({ connectionId: connection.id, err: error.message }, 'division move check failed');
    });
    summary.webhooksSubscribed += await ensureWebhookSubscriptions(services, connection.id).catch(
      (error: Error) => {
        services.log.warn({ connectionId: connection.id, err: error.message }, 'webhook subscription failed');
        return 0;
      },
    );
    // An order submitted after its header was synced (or a step that failed) catches up here; Postgres only.
    const progress = await advanceOrders(db, connection.id, services.log).catch((error: Error) => {
      services.log.warn({ connectionId: connection.id, err: error.message }, 'order progress failed');
      return { transitions: 0 };
    });
    summary.ordersAdvanced += progress.transitions;
    const states = await listSyncStates(db, connection.id);
    for (const entity of enabledEntities(connection.entitySettings)) {
      const state = states.find((s) => s.entity === entity);
      const unfinished =
        !state || state.phase === 'initial' || state.nextUrl !== null || state.fullResyncRequested > 0;
      if (!unfinished) continue;
      // No news, only "a run must exist": plain deduplication, so a run in progress is not followed by another.
      await enqueue(
        services.queues,
        'sync.entity',
        { connectionId: connection.id, entity },
        { deduplication: { id: syncDedupId(connection.id, entity) } },
      );
      summary.syncsResumed += 1;
    }
    // A list never read, or read half-way (a budget wait, a crash): the daily plan would leave it for a day.
    for (const list of LIST_NAMES) {
      const state = states.find((s) => s.entity === list);
      if (state && state.phase === 'incremental' && state.nextUrl === null) continue;
      if (state?.retryAt && state.retryAt.getTime() > services.clock.now()) continue;
      await enqueue(
        services.queues,
        'sync.list',
        { connectionId: connection.id, list },
        { deduplication: { id: syncDedupId(connection.id, list) } },
      );
      summary.syncsResumed += 1;
    }
    if (states.some((s) => (DELETION_CHAINS as readonly string[]).includes(s.entity) && s.nextUrl !== null)) {
      await enqueue(
        services.queues,
        'sync.deleted',
        { connectionId: connection.id },
        { deduplication: { id: syncDedupId(connection.id, 'deleted') } },
      );
      summary.syncsResumed += 1;
    }
  }
  return summary;
}
