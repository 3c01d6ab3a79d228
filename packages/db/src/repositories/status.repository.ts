import type { OrderStatus } from '@exact-sync/core';
import { count, eq } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import { orders } from '../schema/orders.ts';
import { syncState } from '../schema/sync-state.ts';
import type { SyncStateRow } from './sync-state.repository.ts';

/** How many orders of a connection are in one state. */
export interface OrderCount {
  connectionId: string;
  status: OrderStatus;
  n: number;
}

/** Orders by connection and state, of one connection or of all; states without orders are absent. */
export async function countOrdersByStatus(
  db: Executor,
  filter: { connectionId?: string } = {},
): Promise<OrderCount[]> {
  return db
    .select({ connectionId: orders.connectionId, status: orders.status, n: count() })
    .from(orders)
    .where(filter.connectionId === undefined ? undefined : eq(orders.connectionId, filter.connectionId))
    .groupBy(orders.connectionId, orders.status);
}

/** The sync state of every dataset of every connection: for metrics. */
export async function listAllSyncStates(db: Executor): Promise<SyncStateRow[]> {
  return db.select().from(syncState);
}
