import { z } from 'zod';

/** A storefront channel: each has its own API keys, YourRef prefix and settings. */
export const CHANNELS = ['b2b', 'b2c'] as const;
export type Channel = (typeof CHANNELS)[number];

export const ORDER_STATUSES = [
  'accepted',
  'submitting',
  'submitted',
  'rejected',
  'failed',
  'partly_delivered',
  'delivered',
  'invoiced',
  'cancelled',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/**
 * Allowed transitions of the order state machine. `failed` is for causes outside the order (connection needs
 * re-authorization, Exact down for hours) and goes back to `accepted` when an operator or the reconciler retries.
 * After `submitted` the order follows Exact's own progress, read from the synced sales order header: forward only
 * (partly delivered, delivered, invoiced), or cancelled while not invoiced.
 */
const ORDER_TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  accepted: ['submitting', 'rejected', 'failed'],
  submitting: ['submitted', 'rejected', 'failed', 'accepted'],
  submitted: ['partly_delivered', 'delivered', 'invoiced', 'cancelled'],
  rejected: [],
  failed: ['accepted'],
  partly_delivered: ['delivered', 'invoiced', 'cancelled'],
  delivered: ['invoiced', 'cancelled'],
  invoiced: [],
  cancelled: [],
};

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return ORDER_TRANSITIONS[from].includes(to);
}

/** Exact's statuses of a sales order (Status, DeliveryStatus, InvoiceStatus): 12 open, 20 partial, 21 complete, 45 cancelled. */
const EXACT_ORDER_STATUS = { open: 12, partial: 20, complete: 21, cancelled: 45 } as const;

/**
 * The states an order passes on its way to what Exact's header says now, from `current`, in order: each one a
 * separate change (and callback). A header fully delivered and invoiced since the last look gives `delivered`, then
 * `invoiced`; a partial delivery is `partly_delivered` only while the delivery is partial. Cancelled (Status 45)
 * ends it unless it is invoiced. Nothing moves back: an older header read again changes nothing.
 */
export function progressPath(
  current: OrderStatus,
  header: { status: number | null; deliveryStatus: number | null; invoiceStatus: number | null },
): OrderStatus[] {
  const S = EXACT_ORDER_STATUS;
  if (header.status === S.cancelled) return canTransition(current, 'cancelled') ? ['cancelled'] : [];
  const wanted: OrderStatus[] = [];
  if (header.deliveryStatus === S.partial) wanted.push('partly_delivered');
  if (header.deliveryStatus === S.complete) wanted.push('delivered');
  if (header.invoiceStatus === S.complete) wanted.push('invoiced');
  const path: OrderStatus[] = [];
  let at = current;
  for (const next of wanted) {
    if (canTransition(at, next)) {
      path.push(next);
      at = next;
    }
  }
  return path;
}

/** Exact's YourRef holds 30 characters; the channel prefix and a dash come first. */
const YOUR_REF_MAX = 30;
const prefixes: Readonly<Record<Channel, string>> = { b2b: 'B2B', b2c: 'B2C' };

/** Order references are short and plain so that `{prefix}-{reference}` fits Exact's YourRef. */
export const orderReferenceSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(YOUR_REF_MAX - 4, `must be at most ${YOUR_REF_MAX - 4} characters`)
  .regex(/^[A-Za-z0-9._/-]+$/, 'may only contain letters, digits, "-", "_", "." and "/"');

/** The YourRef this service posts and looks orders up by: unique within a division per channel and reference. */
export function yourRefFor(channel: Channel, reference: string): string {
  return `${prefixes[channel]}-${reference}`;
}

/**
 * Why an order was rejected, machine-readable. The first five are found before any Exact call (from the synced data
 * and at most one lookup per code an hour); `exact_rejected` is Exact's own 4xx on the post, for what only Exact can
 * judge.
 */
export const ORDER_REJECTION_CODES = [
  'unknown_sku',
  'unknown_customer',
  'blocked_customer',
  'not_a_sales_item',
  'channel_not_configured',
  'unknown_address',
  'unknown_contact',
  'exact_rejected',
] as const;
type OrderRejectionCode = (typeof ORDER_REJECTION_CODES)[number];

/** One thing wrong with an order; `field` points into the order as placed (`customer.code`, `lines.2.sku`). */
export interface OrderProblem {
  code: OrderRejectionCode;
  field: string | null;
  message: string;
}

/** What a rejected order carries: the first problem's code, and every problem found. */
export interface OrderRejectionDetail {
  code: OrderRejectionCode;
  problems: OrderProblem[];
}

/** The window in which lookups and Exact's rejections are counted per storefront key. */
export const ORDER_LIMIT_WINDOW_MS = 3_600_000;
