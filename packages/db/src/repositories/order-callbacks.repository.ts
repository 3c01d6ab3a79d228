import type { Channel } from '@exact-sync/core';
import { and, asc, eq, gt, isNull, lt, lte, min, notExists, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Executor } from '../client.ts';
import { callbackSecrets, connections } from '../schema/connections.ts';
import { type OrderCallbackEvent, orderCallbacks, orders } from '../schema/orders.ts';

/** An event taken for delivery, with what delivering it needs: the channel's URL and secrets now. */
export interface ClaimedCallback {
  id: string;
  orderId: string;
  connectionId: string;
  channel: Channel;
  payload: OrderCallbackEvent;
  /** Attempts including this one. */
  attempts: number;
  /** The channel's callback URL now; null when it has none any more. */
  url: string | null;
  secretEnc: string | null;
  previousSecretEnc: string | null;
  previousExpiresAt: Date | null;
}

const pending = and(isNull(orderCallbacks.deliveredAt), isNull(orderCallbacks.failedAt));

/** No earlier event of the same order is still pending: only an order's oldest pending event may go. */
function isHead(db: Executor) {
  const earlier = alias(orderCallbacks, 'earlier');
  return notExists(
    db
      .select({ one: sql`1` })
      .from(earlier)
      .where(
        and(
          eq(earlier.orderId, orderCallbacks.orderId),
          lt(earlier.seq, orderCallbacks.seq),
          isNull(earlier.deliveredAt),
          isNull(earlier.failedAt),
        ),
      ),
  );
}

/**
 * Takes up to `limit` due events for delivery, oldest first, at most one per order: the oldest pending event of each
 * order, and only when it is due. Each is leased until `leaseUntil` (its next attempt, should this process die
 * mid-delivery) and its attempt counted, in one statement; rows another process is taking are skipped. An order's
 * later events wait until the earlier one is delivered or given up.
 */
export async function claimDueCallbacks(
  db: Executor,
  input: { now: Date; leaseUntil: Date; limit: number },
): Promise<ClaimedCallback[]> {
  const due = db.$with('due').as(
    db
      .select({ id: orderCallbacks.id })
      .from(orderCallbacks)
      .where(and(pending, lte(orderCallbacks.nextAttemptAt, input.now), isHead(db)))
      .orderBy(asc(orderCallbacks.nextAttemptAt), asc(orderCallbacks.seq))
      .limit(input.limit)
      .for('update', { skipLocked: true }),
  );
  const claimed = db.$with('claimed').as(
    db
      .update(orderCallbacks)
      .set({
        attempts: sql`${orderCallbacks.attempts} + 1`,
        lastAttemptAt: input.now,
        nextAttemptAt: input.leaseUntil,
      })
      .from(due)
      .where(eq(orderCallbacks.id, due.id))
      .returning({
        id: orderCallbacks.id,
        orderId: orderCallbacks.orderId,
        payload: orderCallbacks.payload,
        attempts: orderCallbacks.attempts,
        seq: orderCallbacks.seq,
      }),
  );
  const rows = await db
    .with(due, claimed)
    .select({
      id: claimed.id,
      orderId: claimed.orderId,
      connectionId: orders.connectionId,
      channel: orders.channel,
      payload: claimed.payload,
      attempts: claimed.attempts,
      url: sql<string | null>`${connections.channels} -> ${orders.channel} ->> 'callbackUrl'`,
      secretEnc: callbackSecrets.secretEnc,
      previousSecretEnc: callbackSecrets.previousSecretEnc,
      previousExpiresAt: callbackSecrets.previousExpiresAt,
    })
    .from(claimed)
    .innerJoin(orders, eq(orders.id, claimed.orderId))
    .innerJoin(connections, eq(connections.id, orders.connectionId))
    .leftJoin(
      callbackSecrets,
      and(eq(callbackSecrets.connectionId, orders.connectionId), eq(callbackSecrets.channel, orders.channel)),
    )
    .orderBy(asc(claimed.seq));
  return rows;
}

/** When the next event may be taken (the earliest due time among orders' oldest pending events), if any. */
export async function nextCallbackDue(db: Executor): Promise<Date | undefined> {
  const [row] = await db
    .select({ at: min(orderCallbacks.nextAttemptAt) })
    .from(orderCallbacks)
    .where(and(pending, isHead(db)));
  return row?.at ?? undefined;
}

/** The outcome of one attempt, as the worker records it. */
export type CallbackOutcome =
  | { kind: 'delivered'; at: Date }
  /** A failed attempt; tried again at `retryAt`. */
  | { kind: 'retry'; at: Date; retryAt: Date; error: string }
  /** Given up for good: the order's later events go on. */
  | { kind: 'given_up'; at: Date; error: string }
  /** Not attempted (the URL is refused, or there is no secret): not counted, looked at again at `recheckAt`. */
  | { kind: 'held'; at: Date; recheckAt: Date; error: string };

/** Records what became of a claimed event. */
export async function recordCallbackOutcome(
  db: Executor,
  id: string,
  outcome: CallbackOutcome,
): Promise<void> {
  const changes = {
    delivered: () => ({ deliveredAt: outcome.at, heldAt: null }),
    retry: () => ({ heldAt: null }),
    given_up: () => ({ failedAt: outcome.at, heldAt: null }),
    held: () => ({
      attempts: sql`greatest(${orderCallbacks.attempts} - 1, 0)`,
      heldAt: sql`coalesce(${orderCallbacks.heldAt}, ${outcome.at.toISOString()}::timestamptz)`,
    }),
  }[outcome.kind]();
  await db
    .update(orderCallbacks)
    .set({
      ...changes,
      ...('error' in outcome ? { lastError: outcome.error.slice(0, 500) } : {}),
      ...('retryAt' in outcome ? { nextAttemptAt: outcome.retryAt } : {}),
      ...('recheckAt' in outcome ? { nextAttemptAt: outcome.recheckAt } : {}),
    })
    .where(eq(orderCallbacks.id, id));
}

/**
 * Makes a channel's held events due now: an operator changed its URL or its secret, which may be what held them.
 * Answers how many.
 */
export async function releaseHeldCallbacks(
  db: Executor,
  input: { connectionId: string; channel: Channel },
): Promise<number> {
  const rows = await db
    .update(orderCallbacks)
    .set({ nextAttemptAt: sql`now()` })
    .where(
      and(
        pending,
        sql`${orderCallbacks.heldAt} is not null`,
        sql`${orderCallbacks.orderId} in (select ${orders.id} from ${orders}
          where ${orders.connectionId} = ${input.connectionId} and ${orders.channel} = ${input.channel})`,
      ),
    )
    .returning({ id: orderCallbacks.id });
  return rows.length;
}

/** Given-up events are counted over this window: an operator looks at recent trouble, not all history. */
const GIVEN_UP_WINDOW_MS = 7 * 86_400_000;

/** A channel's callbacks as operators see them. */
export interface CallbackCounts {
  connectionId: string;
  channel: Channel;
  /** Not yet delivered nor given up (failing and held ones included). */
  pending: number;
  /** Pending with at least one failed attempt: being retried. */
  failing: number;
  /** Pending and not attempted: the URL is refused or there is no secret. */
  held: number;
  /** Oldest pending of their order, due more than a minute ago and not taken: no worker delivers. */
  overdue: number;
  /** Given up within `GIVEN_UP_WINDOW_MS`. */
  givenUp: number;
  lastError: string | null;
  lastErrorAt: Date | null;
}

/** Callback counts per connection and channel (those with any event pending, given up recently, or erring). */
export async function callbackCounts(
  db: Executor,
  input: { now: Date; connectionId?: string },
): Promise<CallbackCounts[]> {
  const isPending = sql`${orderCallbacks.deliveredAt} is null and ${orderCallbacks.failedAt} is null`;
  const count = (when: SQL) => sql<number>`(count(*) filter (where ${when}))::int`;
  const recentlyGivenUp = gt(orderCallbacks.failedAt, new Date(input.now.getTime() - GIVEN_UP_WINDOW_MS));
  const overdue = lt(orderCallbacks.nextAttemptAt, new Date(input.now.getTime() - 60_000));
  const erred = sql`${orderCallbacks.lastError} is not null`;
  const rows = await db
    .select({
      connectionId: orders.connectionId,
      channel: orders.channel,
      pending: count(isPending),
      failing: count(sql`${isPending} and ${orderCallbacks.heldAt} is null and ${erred}`),
      held: count(sql`${isPending} and ${orderCallbacks.heldAt} is not null`),
      // Only an order's oldest pending event can be taken: the ones behind it wait on it, not on a worker.
      overdue: count(sql`${isPending} and ${overdue} and ${isHead(db)}`),
      givenUp: count(sql`${recentlyGivenUp}`),
      lastError: sql<string | null>`(array_agg(${orderCallbacks.lastError}
        order by ${orderCallbacks.lastAttemptAt} desc nulls last) filter (where ${erred}))[1]`,
      lastErrorAt: sql<Date | null>`max(${orderCallbacks.lastAttemptAt}) filter (where ${erred})`.mapWith(
        orderCallbacks.lastAttemptAt,
      ),
    })
    .from(orderCallbacks)
    .innerJoin(orders, eq(orders.id, orderCallbacks.orderId))
    .where(
      and(
        sql`(${isPending} or ${recentlyGivenUp})`,
        input.connectionId === undefined ? undefined : eq(orders.connectionId, input.connectionId),
      ),
    )
    .groupBy(orders.connectionId, orders.channel);
  return rows;
}
