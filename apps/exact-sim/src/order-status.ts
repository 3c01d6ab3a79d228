import type { StoredLine, StoredOrder } from './orders-store.ts';

/** Exact's sales order statuses (Status, DeliveryStatus, InvoiceStatus share them). */
export const ORDER_STATUS = { open: 12, partial: 20, complete: 21, cancelled: 45 } as const;

const DESCRIPTIONS: Record<number, string> = { 12: 'Open', 20: 'Partial', 21: 'Complete', 45: 'Cancelled' };

export const statusDescription = (status: number): string => DESCRIPTIONS[status] ?? String(status);

const EPSILON = 1e-9;

/** 12 when nothing is done, 21 when all of it is, 20 in between. */
function progress(done: number, total: number): number {
  if (done <= EPSILON) return ORDER_STATUS.open;
  return done + EPSILON >= total ? ORDER_STATUS.complete : ORDER_STATUS.partial;
}

/** Status from delivery and invoice progress: complete when both are, partial when either has begun. */
function overall(delivery: number, invoice: number): number {
  if (delivery === ORDER_STATUS.complete && invoice === ORDER_STATUS.complete) return ORDER_STATUS.complete;
  if (delivery !== ORDER_STATUS.open || invoice !== ORDER_STATUS.open) return ORDER_STATUS.partial;
  return ORDER_STATUS.open;
}

export function lineStatuses(
  line: StoredLine,
  cancelled: boolean,
): { Status: number; DeliveryStatus: number; InvoiceStatus: number } {
  const DeliveryStatus = progress(line.QuantityDelivered, line.Quantity);
  const InvoiceStatus = progress(line.QuantityInvoiced, line.Quantity);
  const Status = cancelled ? ORDER_STATUS.cancelled : overall(DeliveryStatus, InvoiceStatus);
  return { Status, DeliveryStatus, InvoiceStatus };
}

/** Over all lines: complete when every line is, open when none has begun, else partial. */
function headerProgress(lines: readonly StoredLine[], done: (l: StoredLine) => number): number {
  if (lines.every((l) => done(l) + EPSILON >= l.Quantity)) return ORDER_STATUS.complete;
  return lines.some((l) => done(l) > EPSILON) ? ORDER_STATUS.partial : ORDER_STATUS.open;
}

/** Recomputes the header statuses from the lines; a cancelled order keeps Status 45. */
export function settleStatuses(order: StoredOrder): void {
  order.DeliveryStatus = headerProgress(order.lines, (l) => l.QuantityDelivered);
  order.InvoiceStatus = headerProgress(order.lines, (l) => l.QuantityInvoiced);
  if (order.Status !== ORDER_STATUS.cancelled)
    order.Status = overall(order.DeliveryStatus, order.InvoiceStatus);
}
