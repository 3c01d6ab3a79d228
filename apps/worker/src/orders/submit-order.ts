import { ORDER_LIMIT_WINDOW_MS } from '@exact-sync/core';
import type { Database, DatabaseHandle } from '@exact-sync/db';
import {
  type ChannelsSettings,
  exactRejectionHold,
  findOrder,
  withKeyPostLock,
  withSessionLock,
} from '@exact-sync/db';
import type { ExactClient } from '@exact-sync/exact';
import type { Logger } from 'pino';
import { LookupInProgressError } from './order-lookups.ts';
import { type PostOutcome, postOrder, rejectOrder } from './post-order.ts';
import { type ResolvePolicy, resolveOrder } from './resolve-order.ts';

export type SubmitOutcome =
  | PostOutcome
  | { outcome: 'nothing-to-do'; status: string }
  /** Another process holds the order, one of its lookups or its key's post turn: try again in a moment. */
  | { outcome: 'busy'; what: 'order' | 'lookup' | 'key' }
  /** Exact rejected as many of the key's orders in the last hour as it may: not posted before `until`. */
  | { outcome: 'held'; until: Date; rejections: number };

export interface SubmitPolicy extends ResolvePolicy {
  /** Orders of one storefront key that Exact may reject in an hour before the key's orders wait. */
  rejectionsPerKeyPerHour: number;
  /** The connection's channels: who prices their orders, and their warehouse. */
  channels?: ChannelsSettings | undefined;
}

interface SubmitDeps {
  database: DatabaseHandle;
  exact: ExactClient;
  log: Logger;
}

/**
 * Submits one order to Exact exactly once, and only when nothing the service can check stands in the way: the
 * customer and SKUs are resolved and checked first (`resolveOrder`), and an order whose key has had too many orders
 * rejected by Exact in the last hour is held, not posted. A session lock per order keeps two processes from
 * submitting it at once; one per key makes the key's posts take turns, so its rejection count is always current
 * when the next post is decided.
 */
export async function submitOrder(
  deps: SubmitDeps,
  input: { orderId: string; policy: SubmitPolicy },
): Promise<SubmitOutcome> {
  const outcome = await withSessionLock(deps.database, `order:${input.orderId}`, (db) =>
    submitLocked({ ...deps, db }, input),
  );
  return outcome ?? { outcome: 'busy', what: 'order' };
}

async function submitLocked(
  deps: SubmitDeps & { db: Database },
  input: { orderId: string; policy: SubmitPolicy },
): Promise<SubmitOutcome> {
  const { db } = deps;
  const order = await findOrder(db, input.orderId);
  if (!order) return { outcome: 'nothing-to-do', status: 'missing' };
  if (order.status !== 'accepted' && order.status !== 'submitting') {
    return { outcome: 'nothing-to-do', status: order.status };
  }

  let resolution: Awaited<ReturnType<typeof resolveOrder>>;
  try {
    resolution = await resolveOrder({ db, pool: deps.database.db, exact: deps.exact }, order, input.policy);
  } catch (error) {
    if (error instanceof LookupInProgressError) return { outcome: 'busy', what: 'lookup' };
    throw error;
  }
  if (!resolution.ok) return rejectOrder(deps, order.id, resolution.rejection);
  const resolved = resolution.order;

  const { apiKeyId } = order;
  const channel = input.policy.channels?.[order.channel] ?? {};
  if (apiKeyId === null) return postOrder(deps, order, resolved, channel);
  const outcome = await withKeyPostLock(db, apiKeyId, async (): Promise<SubmitOutcome> => {
    const hold = await exactRejectionHold(db, {
      apiKeyId,
      limit: input.policy.rejectionsPerKeyPerHour,
      windowMs: ORDER_LIMIT_WINDOW_MS,
    });
    if (hold) return { outcome: 'held', until: hold.until, rejections: hold.rejections };
    return postOrder(deps, order, resolved, channel);
  });
  return outcome ?? { outcome: 'busy', what: 'key' };
}
