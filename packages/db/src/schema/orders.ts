import { ORDER_STATUSES, type OrderRejectionDetail } from '@exact-sync/core';
import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigint,
  check,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { tstz } from './columns.ts';
import { apiKeys, connections } from './connections.ts';

/** What the storefront said about the customer, as it said it. */
export type OrderCustomer =
  | { code: string }
  | { exactId: string }
  | { name: string; email?: string; address?: Record<string, string> };

/**
 * A storefront order. Unique per (connection, channel, reference, attempt): a replay finds the latest attempt; a
 * rejected order's reference may be placed again as the next attempt, linked to the one before. Each state
 * change has its own timestamp; `status_reason` carries the rejection in words or the outside cause of `failed`,
 * `rejection` the same rejection as codes, with every problem found.
 */
export const orders = pgTable(
  'orders',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    connectionId: uuid('connection_id')
      .notNull()
      .references(() => connections.id, { onDelete: 'cascade' }),
    channel: text('channel', { enum: ['b2b', 'b2c'] }).notNull(),
    reference: text('reference').notNull(),
    /** 1 for the first order of a reference; each new attempt after a rejection adds one. */
    attempt: integer('attempt').notNull().default(1),
    /** The rejected attempt this one follows (null for the first). */
    previousAttemptId: uuid('previous_attempt_id').references((): AnyPgColumn => orders.id, {
      onDelete: 'set null',
    }),
    /** The storefront key that placed the order (null for orders from before keys were recorded). */
    apiKeyId: uuid('api_key_id').references(() => apiKeys.id, { onDelete: 'set null' }),
    yourRef: text('your_ref').notNull(),
    /** Hash of the normalized request body: the same reference with another body is a conflict. */
    payloadHash: text('payload_hash').notNull(),
    customer: jsonb('customer').$type<OrderCustomer>().notNull(),
    /** ISO 4217 code of the order's prices as placed; null: the customer's currency in Exact. */
    currency: text('currency'),
    orderDate: date('order_date'),
    deliveryDate: date('delivery_date'),
    note: text('note'),
    /** A b2b order's delivery address: one of its customer's addresses in Exact (`DeliveryAddress`). */
    deliveryAddressId: uuid('delivery_address_id'),
    /** A b2b order's contact: one of its customer's contacts in Exact (`OrderedByContactPerson`). */
    contactId: uuid('contact_id'),
    status: text('status', { enum: ORDER_STATUSES }).notNull().default('accepted'),
    statusReason: text('status_reason'),
    rejection: jsonb('rejection').$type<OrderRejectionDetail>(),
    exactAccountId: uuid('exact_account_id'),
    exactOrderId: uuid('exact_order_id'),
    exactOrderNumber: integer('exact_order_number'),
    /** How many times the order was posted to Exact; the exactly-once guarantee keeps this at one. */
    postAttempts: integer('post_attempts').notNull().default(0),
    acceptedAt: tstz('accepted_at').notNull().defaultNow(),
    submittingAt: tstz('submitting_at'),
    submittedAt: tstz('submitted_at'),
    rejectedAt: tstz('rejected_at'),
    failedAt: tstz('failed_at'),
    partlyDeliveredAt: tstz('partly_delivered_at'),
    deliveredAt: tstz('delivered_at'),
    invoicedAt: tstz('invoiced_at'),
    cancelledAt: tstz('cancelled_at'),
    /**
     * The highest Exact Timestamp among the order's synced header, lines, delivery lines and invoice lines that it
     * has been compared with: a higher one means Exact changed something of it (the feed shows the order again).
     */
    exactVersion: bigint('exact_version', { mode: 'bigint' }),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    unique('orders_connection_channel_reference_attempt').on(
      t.connectionId,
      t.channel,
      t.reference,
      t.attempt,
    ),
    index('orders_updated').on(t.connectionId, t.updatedAt, t.id),
    // Exact's rejections per key in the last hour: the count behind a key's 429 (`exactRejectionHold`).
    index('orders_exact_rejections')
      .on(t.apiKeyId, t.rejectedAt)
      .where(sql`${t.rejection}->>'code' = 'exact_rejected'`),
    index('orders_open').on(t.status).where(sql`${t.status} in ('accepted', 'submitting', 'failed')`),
    check('orders_status', sql.raw(`"status" in (${ORDER_STATUSES.map((s) => `'${s}'`).join(', ')})`)),
    check('orders_channel', sql`${t.channel} in ('b2b', 'b2c')`),
    check(
      'orders_submitted_has_exact_id',
      sql`${t.status} in ('accepted', 'submitting', 'rejected', 'failed') or ${t.exactOrderId} is not null`,
    ),
  ],
);

export const orderLines = pgTable(
  'order_lines',
  {
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    lineNo: integer('line_no').notNull(),
    sku: text('sku').notNull(),
    quantity: numeric('quantity').notNull(),
    unitPrice: numeric('unit_price'),
    /** The unit the line is in, as the storefront named it (null: the item's own unit). */
    unitCode: text('unit_code'),
    exactItemId: uuid('exact_item_id'),
  },
  (t) => [
    primaryKey({ columns: [t.orderId, t.lineNo] }),
    check('order_lines_quantity_positive', sql`${t.quantity} > 0`),
  ],
);

/**
 * What a storefront is told about one state change of an order, as it was at the change: the api's `accepted`, every
 * `transitionOrder` after. Kept in the row so that a later change never alters an earlier event.
 */
export interface OrderCallbackEvent {
  orderId: string;
  reference: string;
  channel: 'b2b' | 'b2c';
  /** The customer as placed: a b2c order's consumer whole (name, e-mail, address), whatever Exact had room for. */
  customer: OrderCustomer;
  status: string;
  /** Null for `accepted` at the order's creation. */
  previousStatus: string | null;
  /** When the order entered `status`: ISO 8601 UTC. */
  changedAt: string;
  statusReason: string | null;
  exactOrderId: string | null;
  exactOrderNumber: number | null;
  rejection: OrderRejectionDetail | null;
}

/**
 * Outbox of signed callbacks to a channel's URL: one row per state change of an order whose channel had a
 * `callbackUrl` at the time, written in the transaction of the change. The worker delivers the rows of one order
 * one at a time in `seq` order; a row is pending until `delivered_at` (a 2xx) or `failed_at` (given up).
 */
export const orderCallbacks = pgTable(
  'order_callbacks',
  {
    /** The event's id, sent to the storefront: the same on every attempt, so a receiver can drop duplicates. */
    id: uuid('id').primaryKey().defaultRandom(),
    /** Order of the events of one order (an order's state changes are serialized by its row lock). */
    seq: bigint('seq', { mode: 'number' }).notNull().generatedAlwaysAsIdentity(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    /** The order's new status (also in `payload`): for reading the table. */
    status: text('status').notNull(),
    payload: jsonb('payload').$type<OrderCallbackEvent>().notNull(),
    /** Deliveries tried (a claim counts one: a worker that died mid-post may have reached the receiver). */
    attempts: integer('attempts').notNull().default(0),
    /** When the row may be claimed next: due, after a backoff, or after a claim's lease runs out. */
    nextAttemptAt: tstz('next_attempt_at').notNull().defaultNow(),
    lastAttemptAt: tstz('last_attempt_at'),
    deliveredAt: tstz('delivered_at'),
    /** Given up: every retry failed (the order's later events go on without it). */
    failedAt: tstz('failed_at'),
    /**
     * Set while the channel's URL is refused (not https, a non-public address) or it has no signing secret: nothing
     * is posted and no attempt is counted until an operator changes the URL or the secret.
     */
    heldAt: tstz('held_at'),
    /** Why the last attempt failed or the row is held: a status, a network error, a refusal; never the URL's query. */
    lastError: text('last_error'),
    createdAt: tstz('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('order_callbacks_due')
      .on(t.nextAttemptAt)
      .where(sql`${t.deliveredAt} is null and ${t.failedAt} is null`),
    index('order_callbacks_order').on(t.orderId, t.seq),
    index('order_callbacks_given_up').on(t.failedAt).where(sql`${t.failedAt} is not null`),
  ],
);
