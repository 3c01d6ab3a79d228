import { ORDER_LIMIT_WINDOW_MS } from '@exact-sync/core';
import { type BatchOrder, type Placement, placeOrders } from '@exact-sync/db';
import type { FastifyInstance } from 'fastify';
import { createGroupCommit, type GroupCommit } from './group-commit.ts';

// A batch is one statement; past a few hundred orders it only makes the first caller wait longer.
const MAX_BATCH = 200;
// Batches written at once: one gathers while another commits, so the pool and the CPU both stay busy.
const MAX_IN_FLIGHT = 2;

/**
 * Storefront orders by group commit: the orders of concurrent requests are written by one statement (orders, lines
 * and callback events, the keys checked still active and not held; see `placeOrders`), then their `order.submit`
 * jobs go to Redis in one `addBulk`, then each request is answered. Without Redis the orders are still placed: the
 * worker's reconciler enqueues them. An order that fails its batch is written alone and fails only itself.
 */
export function createOrderIntake(
  app: FastifyInstance,
  options: { rejectionsPerKeyPerHour: number },
): GroupCommit<BatchOrder, Placement> {
  return createGroupCommit<BatchOrder, Placement>({
    maxItems: MAX_BATCH,
    maxWaitMs: 0,
    maxInFlight: MAX_IN_FLIGHT,
    keyOf: (order) =>
      JSON.stringify([order.connectionId, order.channel, order.reference, order.attempt ?? 1]),
    async run(batch) {
      const placements = await placeOrders(app.database.db, {
        batch,
        rejectionLimit: options.rejectionsPerKeyPerHour,
        rejectionWindowMs: ORDER_LIMIT_WINDOW_MS,
      });
      const jobs = placements.flatMap((placed) =>
        placed.outcome === 'created'
          ? [{ payload: { orderId: placed.order.id }, options: { jobId: placed.order.id } }]
          : [],
      );
      if (jobs.length > 0) await app.tryEnqueueMany('order.submit', jobs);
      return placements.map((value) => ({ ok: true as const, value }));
    },
  });
}
