import { type Channel, canTransition, type OrderStatus } from '@exact-sync/core';
import { and, asc, count, desc, eq, getTableColumns, gt, inArray, lt, or, type SQL, sql } from 'drizzle-orm';
import type { Database, Executor } from '../client.ts';
import { connections } from '../schema/connections.ts';
import { type OrderCustomer, orderCallbacks, orderLines, orders } from '../schema/orders.ts';
import { type FeedKey, type FeedPage, keysetPage, settled } from './keyset.ts';
import { channelHasCallbackUrl, eventOf, insertEvents } from './order-events.ts';

export type OrderRow = typeof orders.$inferSelect;
type OrderLineRow = typeof orderLines.$inferSelect;
export interface OrderWithLines extends OrderRow {
  lines: OrderLineRow[];
}

export interface NewOrder {
  connectionId: string;
  channel: Channel;
  reference: string;
  /** The next attempt at a rejected order's reference (1, the default, for a new reference). */
  attempt?: number | undefined;
  previousAttemptId?: string | undefined;
  /** The storefront key that placed it. */
  apiKeyId?: string | null | undefined;
  yourRef: string;
  payloadHash: string;
  customer: OrderCustomer;
  currency?: string | undefined;
  orderDate?: string | undefined;
  deliveryDate?: string | undefined;
  note?: string | undefined;
  deliveryAddressId?: string | undefined;
  contactId?: string | undefined;
  lines: { sku: string; quantity: string; unitPrice?: string | undefined; unitCode?: string | undefined }[];
}

/**
 * Writes an order and its lines in one transaction, with its `accepted` callback event when the channel has a
 * callback URL, unless (connection, channel, reference) exists already: then
 * nothing is written and the existing order comes back with `created: false`, so replays never make a second one.
 * The api places storefront orders in batches (`placeOrders`); tests place theirs one at a time with this.
 * @internal
 */
export async function insertOrder(
  db: Database,
  order: NewOrder,
): Promise<{ created: boolean; order: OrderWithLines }> {
  return db.transaction(async (tx) => {
    const { lines, ...head } = order;
    const [inserted] = await tx.insert(orders).values(head).onConflictDoNothing().returning();
    if (!inserted) {
      const existing = await findOrderByReference(tx, order.connectionId, order.channel, order.reference);
      if (!existing) throw new Error('order conflict without an existing order');
      return { created: false, order: existing };
    }
    const lineRows = await tx
      .insert(orderLines)
      .values(lines.map((line, i) => ({ ...line, orderId: inserted.id, lineNo: i + 1 })))
      .returning();
    await tx.execute(
      insertEvents(
        tx
          .select({ orderId: orders.id, status: orders.status, payload: eventOf(orders, sql`null`) })
          .from(orders)
          .innerJoin(connections, eq(connections.id, orders.connectionId))
          .where(and(eq(orders.id, inserted.id), channelHasCallbackUrl(orders.channel))),
      ),
    );
    return { created: true, order: { ...inserted, lines: lineRows } };
  });
}

async function withLines(db: Executor, rows: OrderRow[]): Promise<OrderWithLines[]> {
  if (rows.length === 0) return [];
  const lines = await db
    .select()
    .from(orderLines)
    .where(
      inArray(
        orderLines.orderId,
        rows.map((r) => r.id),
      ),
    )
    .orderBy(asc(orderLines.orderId), asc(orderLines.lineNo));
  return rows.map((row) => ({ ...row, lines: lines.filter((l) => l.orderId === row.id) }));
}

/** The latest attempt at this reference in a channel, if there is one. */
export async function findOrderByReference(
  db: Executor,
  connectionId: string,
  channel: Channel,
  reference: string,
): Promise<OrderWithLines | undefined> {
  const rows = await db
    .select()
    .from(orders)
    .where(
      and(
        eq(orders.connectionId, connectionId),
        eq(orders.channel, channel),
        eq(orders.reference, reference),
      ),
    )
    .orderBy(desc(orders.attempt))
    .limit(1);
  return (await withLines(db, rows))[0];
}

export async function findOrder(db: Executor, id: string): Promise<OrderWithLines | undefined> {
  const rows = await db.select().from(orders).where(eq(orders.id, id));
  return (await withLines(db, rows))[0];
}

interface OrderFeedQuery {
  connectionId?: string | undefined;
  channel?: Channel | undefined;
  status?: OrderStatus | undefined;
  /** Every attempt at this reference. */
  reference?: string | undefined;
  updatedSince?: Date | undefined;
  cursor?: string | undefined;
  limit: number;
  /** Changes younger than this are left for the next pull (see `settled`). */
  settleMs: number;
}

const orderFeedKey: FeedKey<OrderRow> = {
  updatedAt: orders.updatedAt,
  id: orders.id,
  positionOf: (row) => row,
};

/** A page of orders by (updatedAt, id), so a storefront can follow every state change with `updated_since`. */
export async function listOrders(db: Executor, query: OrderFeedQuery): Promise<FeedPage<OrderWithLines>> {
  // A look-up by reference sees every attempt at once; only feeds leave the youngest changes for the next pull.
  const filters: SQL[] = query.reference === undefined ? [settled(orders.updatedAt, query.settleMs)] : [];
  if (query.connectionId) filters.push(eq(orders.connectionId, query.connectionId));
  if (query.channel) filters.push(eq(orders.channel, query.channel));
  if (query.status) filters.push(eq(orders.status, query.status));
  if (query.reference !== undefined) filters.push(eq(orders.reference, query.reference));
  if (query.updatedSince) filters.push(gt(orders.updatedAt, query.updatedSince));
  const page = await keysetPage(orderFeedKey, { filters, cursor: query.cursor, limit: query.limit }, (q) =>
    db
      .select()
      .from(orders)
      .where(q.where)
      .orderBy(...q.orderBy)
      .limit(q.limit),
  );
  return { data: await withLines(db, page.data), nextCursor: page.nextCursor };
}

/** Column that records when an order entered each state. */
const stateTime = {
  accepted: 'acceptedAt',
  submitting: 'submittingAt',
  submitted: 'submittedAt',
  rejected: 'rejectedAt',
  failed: 'failedAt',
  partly_delivered: 'partlyDeliveredAt',
  delivered: 'deliveredAt',
  invoiced: 'invoicedAt',
  cancelled: 'cancelledAt',
} as const satisfies Record<OrderStatus, keyof OrderRow>;

/** A transition the order state machine (`canTransition`) forbids: a mistake in the caller, never a race. */
class ForbiddenOrderTransitionError extends Error {
  override readonly name = 'ForbiddenOrderTransitionError';
  constructor(from: readonly OrderStatus[], to: OrderStatus) {
    super(`an order may not go from ${from.join(' or ')} to ${to}`);
  }
}

/**
 * Moves an order from one of `from` to `to`, stamping the state's time; answers the updated row, or undefined when
 * the order was not in one of `from` (another process moved it first), so transitions never race. Throws, writing
 * nothing, when any of `from` may not go to `to`.
 *
 * The same statement writes the change's callback event to the outbox (`order_callbacks`) when the order's channel
 * has a callback URL, whatever the state: a change and its event commit together or not at all.
 */
export async function transitionOrder(
  db: Executor,
  id: string,
  from: readonly OrderStatus[],
  to: OrderStatus,
  fields: Partial<
    Pick<
      OrderRow,
      'statusReason' | 'rejection' | 'exactOrderId' | 'exactOrderNumber' | 'exactAccountId' | 'exactVersion'
    >
  > = {},
): Promise<OrderRow | undefined> {
  const forbidden = from.filter((status) => !canTransition(status, to));
  if (forbidden.length > 0) throw new ForbiddenOrderTransitionError(forbidden, to);
  const now = sql`clock_timestamp()`;
  // The row is locked before it is read, so the previous status is the one the update replaces.
  const current = db.$with('current').as(
    db
      .select({ id: orders.id, previousStatus: sql<OrderStatus>`${orders.status}`.as('previous_status') })
      .from(orders)
      .where(and(eq(orders.id, id), inArray(orders.status, [...from])))
      .for('update'),
  );
  const updated = db.$with('updated').as(
    db
      .update(orders)
      .set({ ...fields, status: to, [stateTime[to]]: now, updatedAt: now })
      .from(current)
      .where(eq(orders.id, current.id))
      .returning({ ...getTableColumns(orders), previousStatus: current.previousStatus }),
  );
  const outbox = db.$with('outbox', { id: orderCallbacks.id }).as(
    insertEvents(
      db
        .select({
          orderId: updated.id,
          status: updated.status,
          payload: eventOf(updated, updated.previousStatus),
        })
        .from(updated)
        .innerJoin(connections, eq(connections.id, updated.connectionId))
        .where(channelHasCallbackUrl(updated.channel)),
    ),
  );
  const [row] = await db.with(current, updated, outbox).select().from(updated);
  if (!row) return undefined;
  const { previousStatus: _, ...order } = row;
  return order;
}

/** Counts a post before it is sent: a crash after the post then leaves a trace that makes the next try look first. */
export async function markPostAttempt(db: Executor, id: string): Promise<void> {
  await db
    .update(orders)
    .set({ postAttempts: sql`${orders.postAttempts} + 1` })
    .where(eq(orders.id, id));
}

/** Orders of a connection not yet in Exact (accepted, submitting or failed): deleting the connection drops them. */
export async function countOpenOrders(db: Executor, connectionId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(orders)
    .where(
      and(
        eq(orders.connectionId, connectionId),
        inArray(orders.status, ['accepted', 'submitting', 'failed']),
      ),
    );
  return row?.n ?? 0;
}

/**
 * Failed orders of these (active) connections that may be tried again: those that failed on their connection's
 * side (cleared now that it is active), and those that failed on Exact's side before `failedBefore`.
 */
export async function retriableFailedOrders(
  db: Executor,
  input: { connectionIds: readonly string[]; failedBefore: Date },
): Promise<string[]> {
  if (input.connectionIds.length === 0) return [];
  const rows = await db
    .select({ id: orders.id })
    .from(orders)
    .where(
      and(
        eq(orders.status, 'failed'),
        inArray(orders.connectionId, [...input.connectionIds]),
        or(sql`${orders.statusReason} like 'connection%'`, lt(orders.failedAt, input.failedBefore)),
      ),
    );
  return rows.map((row) => row.id);
}

/** Orders accepted or half-way submitted, of connections that still exist: the order lane's work in Postgres. */
export async function openOrderIds(db: Executor): Promise<string[]> {
  const rows = await db
    .select({ id: orders.id })
    .from(orders)
    .innerJoin(connections, eq(connections.id, orders.connectionId))
    .where(inArray(orders.status, ['accepted', 'submitting']));
  return rows.map((row) => row.id);
}
