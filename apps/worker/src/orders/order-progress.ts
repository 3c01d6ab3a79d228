import { type EntityName, progressPath } from '@exact-sync/core';
import { type Database, markOrderExactVersion, ordersWithExactNews, transitionOrder } from '@exact-sync/db';
import type { Logger } from 'pino';

/** The synced datasets an order's progress is read from: a run of one that brought records may move orders on. */
export const ORDER_LIFE_ENTITIES: readonly EntityName[] = [
  'orderHeaders',
  'orderLines',
  'deliveries',
  'deliveryLines',
  'invoices',
];

export interface ProgressSummary {
  /** Orders whose Exact records had changed (moved on, or shown again in the feed). */
  orders: number;
  /** State changes made (each one with its callback event). */
  transitions: number;
}

/**
 * Moves a connection's orders on from what Exact's synced sales order records say: each order whose header, lines,
 * deliveries or invoices changed since it last looked goes through the states between its own and the header's
 * (partly delivered, delivered, invoiced, or cancelled), one `transitionOrder` each, so every change has its
 * callback in order; an order whose records changed without a new state is shown again in the order feed. Postgres
 * only: no Exact call. Two workers at once are safe: a transition from a state the order has left does nothing.
 */
export async function advanceOrders(
  db: Database,
  connectionId: string,
  log: Logger,
): Promise<ProgressSummary> {
  const summary: ProgressSummary = { orders: 0, transitions: 0 };
  for (const order of await ordersWithExactNews(db, connectionId)) {
    let at = order.status;
    for (const next of progressPath(at, order.header)) {
      const moved = await transitionOrder(db, order.id, [at], next, { exactVersion: order.version });
      if (!moved) break;
      summary.transitions += 1;
      log.info({ orderId: order.id, from: at, to: next }, 'order moved on with Exact');
      at = next;
    }
    const marked = await markOrderExactVersion(db, order.id, order.version);
    if (marked || at !== order.status) summary.orders += 1;
  }
  return summary;
}
