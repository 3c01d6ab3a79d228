import type { ExactOrderProgress, OrderWithLines } from '@exact-sync/db';
import { decimalText } from '../validation/decimals.ts';
import type { OrderDetailView, OrderView } from './order.schemas.ts';

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
      unitCode: l.unitCode,
    })),
    orderDate: order.orderDate,
    deliveryDate: order.deliveryDate,
    note: order.note,
    deliveryAddressExactId: order.deliveryAddressId,
    contactExactId: order.contactId,
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
      amountInclVat: decimalText(exact.amountInclVat),
      amountExclVat: decimalText(exact.amountExclVat),
      lines: exact.lines.map((l) => ({
        ...l,
        quantity: decimalText(l.quantity),
        quantityDelivered: decimalText(l.quantityDelivered),
        quantityInvoiced: decimalText(l.quantityInvoiced),
        unitPrice: decimalText(l.unitPrice),
        netPrice: decimalText(l.netPrice),
        amountExclVat: decimalText(l.amountExclVat),
        vatPercentage: decimalText(l.vatPercentage),
        vatAmount: decimalText(l.vatAmount),
      })),
      deliveries: exact.deliveries.map((d) => ({
        ...d,
        deliveryDate: iso(d.deliveryDate),
        lines: d.lines.map((l) => ({ ...l, quantityDelivered: decimalText(l.quantityDelivered) })),
      })),
      invoices: exact.invoices.map((i) => ({
        ...i,
        invoiceDate: iso(i.invoiceDate),
        dueDate: iso(i.dueDate),
        amountExclVat: decimalText(i.amountExclVat),
        vatAmount: decimalText(i.vatAmount),
        lines: i.lines.map((l) => ({
          ...l,
          quantity: decimalText(l.quantity),
          amountExclVat: decimalText(l.amountExclVat),
        })),
      })),
    },
  };
}
