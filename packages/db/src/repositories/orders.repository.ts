import { type Channel, canTransition, type OrderStatus } from '@exact-sync/core';
import { and, asc, eq, gt, inArray, or, type SQL, sql } from 'drizzle-orm';
import type { Database, Executor } from '../client.ts';
import { type OrderCustomer, orderLines, orders } from '../schema/orders.ts';
import { decodeCursor, encodeCursor, settled } from './keyset.ts';

export type OrderRow = typeof orders.$inferSelect;
type OrderLineRow = typeof orderLines.$inferSelect;
export interface OrderWithLines extends OrderRow {
  lines: OrderLineRow[];
}

interface NewOrder {
  connectionId: string;
  channel: Channel;
  reference: string;
  yourRef: string;
  payloadHash: string;
  customer: OrderCustomer;
  orderDate?: string | undefined;
  deliveryDate?: string | undefined;
  note?: string | undefined;
  lines: { sku: string; quantity: string; unitPrice?: string | undefined }[];
}

/**
 * Writes an order and its lines in one transaction, unless (connection, channel, reference) exists already: then
 * nothing is written and the existing order comes back with `created: false`, so replays never make a second one.
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

async function findOrderByReference(
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
    );
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
  updatedSince?: Date | undefined;
  cursor?: string | undefined;
  limit: number;
  /** Changes younger than this are left for the next pull (see `settled`). */
  settleMs: number;
}

export class InvalidCursorError extends Error {
  override readonly name = 'InvalidCursorError';
}

/** A page of orders by (updatedAt, id), so a storefront can follow every state change with `updated_since`. */
export async function listOrders(
  db: Executor,
  query: OrderFeedQuery,
): Promise<{ data: OrderWithLines[]; nextCursor: string | null }> {
  const filters: SQL[] = [settled(orders.updatedAt, query.settleMs)];
  if (query.connectionId) filters.push(eq(orders.connectionId, query.connectionId));
  if (query.channel) filters.push(eq(orders.channel, query.channel));
  if (query.status) filters.push(eq(orders.status, query.status));
  if (query.updatedSince) filters.push(gt(orders.updatedAt, query.updatedSince));
  if (query.cursor) {
    const position = decodeCursor(query.cursor);
    if (!position) throw new InvalidCursorError('cursor is not one this service handed out');
    const after = or(
      gt(orders.updatedAt, position.updatedAt),
      and(eq(orders.updatedAt, position.updatedAt), gt(orders.id, position.id)),
    );
    if (after) filters.push(after);
  }
  const rows = await db
    .select()
    .from(orders)
    .where(and(...filters))
    .orderBy(asc(orders.updatedAt), asc(orders.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  const nextCursor = rows.length > query.limit && last ? encodeCursor(last) : null;
  return { data: await withLines(db, page), nextCursor };
}

/** Column that records when an order entered each state. */
const stateTime = {
  accepted: 'acceptedAt',
  submitting: 'submittingAt',
  submitted: 'submittedAt',
  rejected: 'rejectedAt',
  failed: 'failedAt',
} as const satisfies Record<OrderStatus, keyof OrderRow>;

/**
 * Moves an order from one of `from` to `to`, stamping the state's time; answers the updated row, or undefined when
 * the order was not in one of `from` (another process moved it first), so transitions never race. A move the order
 * state machine (core's `canTransition`) does not allow throws before anything is written.
 */
export async function transitionOrder(
  db: Executor,
  id: string,
  from: readonly OrderStatus[],
  to: OrderStatus,
  fields: Partial<
    Pick<OrderRow, 'statusReason' | 'exactOrderId' | 'exactOrderNumber' | 'exactAccountId'>
  > = {},
): Promise<OrderRow | undefined> {
  const illegal = from.filter((status) => !canTransition(status, to));
  if (illegal.length > 0) throw new Error(`an order cannot move from ${illegal.join(', ')} to ${to}`);
  const now = sql`clock_timestamp()`;
  const [row] = await db
    .update(orders)
    .set({ ...fields, status: to, [stateTime[to]]: now, updatedAt: now })
    .where(and(eq(orders.id, id), inArray(orders.status, [...from])))
    .returning();
  return row;
}

/** Counts a post before it is sent: a crash after the post then leaves a trace that makes the next try look first. */
export async function markPostAttempt(db: Executor, id: string): Promise<void> {
  await db
    .update(orders)
    .set({ postAttempts: sql`${orders.postAttempts} + 1` })
    .where(eq(orders.id, id));
}
