import type { ExactOrderProgress, OrderWithLines } from '@exact-sync/db';
import type { OrderDetailView, OrderView } from './order.schemas.ts';

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

/** The JSON face of an order: camelCase, ISO times, numbers as numbers. */
export function toOrderView(order: OrderWithLines): OrderView {
  return {
    id: order.id,
    connectionId: order.connectionId,
    channel: order.channel,
    reference: order.reference,
    status: order.status,
    statusReason: order.statusReason,
    rejection: order.rejection,
    exactOrderId: order.exactOrderId,
    exactOrderNumber: order.exactOrderNumber,
    customer: order.customer,
    lines: order.lines.map((l) => ({
      sku: l.sku,
      quantity: Number(l.quantity),
      unitPrice: l.unitPrice === null ? null : Number(l.unitPrice),
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

/** An order with its states after `submitted` and what Exact booked, delivered and invoiced. */
export function toOrderDetailView(order: OrderWithLines, exact: ExactOrderProgress | null): OrderDetailView {
  return {
    ...toOrderView(order),
    partlyDeliveredAt: iso(order.partlyDeliveredAt),
    deliveredAt: iso(order.deliveredAt),
    invoicedAt: iso(order.invoicedAt),
    cancelledAt: iso(order.cancelledAt),
    exact: exact && {
      ...exact,
      deliveries: exact.deliveries.map((d) => ({ ...d, deliveryDate: iso(d.deliveryDate) })),
      invoices: exact.invoices.map((i) => ({
        ...i,
        invoiceDate: iso(i.invoiceDate),
        dueDate: iso(i.dueDate),
      })),
    },
  };
}
