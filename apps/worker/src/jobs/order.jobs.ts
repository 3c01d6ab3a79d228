import { type ConnectionRow, findOrder, transitionOrder } from '@exact-sync/db';
import { ConnectionNeedsReauthError, RetryLaterError } from '@exact-sync/exact';
import { type SubmitOutcome, type SubmitPolicy, submitOrder } from '../orders/submit-order.ts';
import { exactFor, type WorkerServices } from '../services.ts';
import type { Handler } from './handler.ts';

/** How soon a job tries again when another process holds what it needs (the order; a lookup; the key's turn). */
const BUSY_RETRY_MS = { order: 2_000, lookup: 1_000, key: 200 } as const;

/** A held order comes back this long after its key's window has room, so clock skew never finds it still full. */
const HELD_MARGIN_MS = 1_000;

/** What a run's outcome may put in the log: a rejection by its code, since its reason can quote the order. */
function loggable(result: SubmitOutcome): Record<string, unknown> {
  if (result.outcome !== 'rejected') return result;
  return { outcome: result.outcome, code: result.rejection.code };
}

function policyOf(services: WorkerServices, connection: ConnectionRow): SubmitPolicy {
  return {
    b2cAccountCode: connection.channels.b2c?.defaultAccountCode,
    lookupsPerKeyPerHour: services.config.ORDER_LOOKUPS_PER_KEY_PER_HOUR,
    rejectionsPerKeyPerHour: services.config.ORDER_REJECTIONS_PER_KEY_PER_HOUR,
    channels: connection.channels,
  };
}

/**
 * `order.submit`: the priority lane. Budget waits, a busy order, lookup or key, and a key held for Exact's
 * rejections delay the job without using an attempt; a connection that cannot call Exact (needs re-authorization,
 * paused) and failures that outlast every attempt make the order `failed`, visible to operators and retried by the
 * reconciler once the cause clears.
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
    let result: SubmitOutcome;
    try {
      result = await submitOrder(
        { database: services.database, exact: access.exact, log: context.log },
        { orderId, policy: policyOf(services, access.connection) },
      );
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
    // Waits are taken outside the error handling above: a delay must never count as a failed attempt.
    if (result.outcome === 'busy') {
      // Spread over a moment, so the orders of one key waiting for its turn do not all come back at once.
      await context.delayUntil(services.clock.now() + BUSY_RETRY_MS[result.what] * (1 + Math.random()));
    }
    if (result.outcome === 'held') {
      context.log.warn({ orderId, ...result }, "order held: Exact rejected too many of its key's orders");
      await context.delayUntil(result.until.getTime() + HELD_MARGIN_MS);
    }
    if (result.outcome === 'submitted' && result.acceptedToSubmittedSeconds !== null) {
      services.metrics.orderSubmitted(result.acceptedToSubmittedSeconds);
    }
    context.log.info({ orderId, ...loggable(result) }, 'order processed');
  };
}
