import type { OrderWithLines } from '@exact-sync/db';
import { decimalText } from '../validation/decimals.ts';
import type { OrderView } from './order.schemas.ts';

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

/** The JSON face of an order: camelCase, ISO times, amounts as decimal strings. */
export function toOrderView(order: OrderWithLines): OrderView {
  return {
    id: order.id,
    connectionId: order.connectionId,
    channel: order.channel,
    reference: order.reference,
    attempt: order.attempt,
    previousAttemptId: order.previousAttemptId,
    status: order.status,
    statusReason: order.statusReason,
    rejection: order.rejection,
    exactOrderId: order.exactOrderId,
    exactOrderNumber: order.exactOrderNumber,
    customer: order.customer,
    currency: order.currency,
    lines: order.lines.map((l) => ({
      sku: l.sku,
      quantity: decimalText(l.quantity),
      unitPrice: decimalText(l.unitPrice),
    })),
    orderDate: order.orderDate,
    deliveryDate: order.deliveryDate,
    note: order.note,
    acceptedAt: order.acceptedAt.toISOString(),
    submittedAt: iso(order.submittedAt),
    rejectedAt: iso(order.rejectedAt),
    failedAt: iso(order.failedAt),
    updatedAt: order.updatedAt.toISOString(),
  };
}
