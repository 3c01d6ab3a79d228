import { findOrder, transitionOrder } from '@exact-sync/db';
import { ConnectionNeedsReauthError, RetryLaterError } from '@exact-sync/exact';
import { submitOrder } from '../orders/submit-order.ts';
import { exactFor, type WorkerServices } from '../services.ts';
import type { Handler } from './handler.ts';

const BUSY_RETRY_MS = 2_000;

/**
 * `order.submit`: the priority lane. Budget waits delay the job without using an attempt; a connection that cannot
 * call Exact (needs re-authorization, paused) and failures that outlast every attempt make the order `failed`,
 * visible to operators and retried by the reconciler once the cause clears.
 */
export function orderSubmitHandler(services: WorkerServices): Handler<'order.submit'> {
  const fail = (orderId: string, reason: string) =>
    transitionOrder(services.database.db, orderId, ['accepted', 'submitting'], 'failed', {
      statusReason: reason,
    });

  return async ({ orderId }, context) => {
    const { db } = services.database;
    const order = await findOrder(db, orderId);
    if (!order || (order.status !== 'accepted' && order.status !== 'submitting')) return;
    const access = await exactFor(services, order.connectionId);
    if (!access.ok) {
      await fail(orderId, access.reason);
      return;
    }
    try {
      const result = await submitOrder(
        { database: services.database, exact: access.exact, log: context.log },
        { orderId, b2cAccountCode: access.connection.channels.b2c?.defaultAccountCode },
      );
      if (result.outcome === 'busy') await context.delayUntil(services.clock.now() + BUSY_RETRY_MS);
      if (result.outcome === 'submitted' && result.acceptedToSubmittedSeconds !== null) {
        services.metrics.orderSubmitted(result.acceptedToSubmittedSeconds);
      }
      context.log.info({ orderId, ...result }, 'order processed');
    } catch (error) {
      if (error instanceof RetryLaterError) return context.delayUntil(error.until);
      if (error instanceof ConnectionNeedsReauthError) {
        await fail(orderId, 'connection needs re-authorization');
        return;
      }
      if (context.attempt >= context.maxAttempts) {
        await fail(
          orderId,
          `Exact unreachable after ${context.attempt} attempts: ${(error as Error).message}`,
        );
      }
      throw error;
    }
  };
}
