import type { OrderStatus } from '@exact-sync/core';
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import { orders } from '../schema/orders.ts';
import {
  exactOrderHeaders,
  exactOrderLines,
  goodsDeliveries,
  goodsDeliveryLines,
  salesInvoiceLines,
} from '../schema/synced-sales.ts';

/** An order Exact has whose synced records changed, or whose header says it has moved on. */
export interface OrderWithExactNews {
  id: string;
  status: OrderStatus;
  header: { status: number | null; deliveryStatus: number | null; invoiceStatus: number | null };
  /**
   * The sum of the Exact Timestamps of the order's header, lines, delivery lines and invoice lines: it changes
   * whenever one of them changes or comes in, whatever order they are synced in (a maximum would miss a record with
   * a lower Timestamp synced after one with a higher).
   */
  version: bigint;
}

/**
 * Orders of a connection that Exact has (they carry its OrderID) that its synced sales order records may move on:
 * those whose records changed since the order last looked (the header by OrderID, its lines, the goods delivery
 * lines naming its OrderNumber, the invoice lines naming its OrderID), and those still in progress whose header is
 * delivered, invoiced or cancelled in some part.
 */
export async function ordersWithExactNews(db: Executor, connectionId: string): Promise<OrderWithExactNews[]> {
  const rows = await db.execute<{
    id: string;
    status: OrderStatus;
    header_status: number | null;
    delivery_status: number | null;
    invoice_status: number | null;
    version: string;
  }>(sql`
    select * from (
      select o.id, o.status, o.exact_version, h.status as header_status, h.delivery_status, h.invoice_status,
        h.timestamp
          + coalesce((select sum(l.timestamp) from ${exactOrderLines} l
            where l.connection_id = o.connection_id and l.order_id = o.exact_order_id), 0)
          + coalesce((select sum(d.timestamp) from ${goodsDeliveryLines} d
            where d.connection_id = o.connection_id and d.sales_order_number = o.exact_order_number), 0)
          + coalesce((select sum(i.timestamp) from ${salesInvoiceLines} i
            where i.connection_id = o.connection_id and i.sales_order_id = o.exact_order_id), 0)
          as version
      from ${orders} o
      join ${exactOrderHeaders} h
        on h.connection_id = o.connection_id and h.order_id = o.exact_order_id and h.deleted_at is null
      where o.connection_id = ${connectionId} and o.exact_order_id is not null
        and o.status in ('submitted', 'partly_delivered', 'delivered', 'invoiced', 'cancelled')
    ) candidates
    where version is distinct from exact_version
      or (status in ('submitted', 'partly_delivered', 'delivered')
        and (header_status = 45 or delivery_status in (20, 21) or invoice_status = 21))
    order by id`);
  return rows.map((r) => ({
    id: r.id,
    status: r.status,
    header: { status: r.header_status, deliveryStatus: r.delivery_status, invoiceStatus: r.invoice_status },
    version: BigInt(r.version),
  }));
}

/**
 * Records that an order was compared with Exact's records at `version` without a change of state: the order feed
 * shows it again (`updated_at` moves), with no callback. False when it had already been compared at that version.
 */
export async function markOrderExactVersion(db: Executor, id: string, version: bigint): Promise<boolean> {
  const rows = await db
    .update(orders)
    .set({ exactVersion: version, updatedAt: sql`clock_timestamp()` })
    .where(and(eq(orders.id, id), sql`${orders.exactVersion} is distinct from ${version}`))
    .returning({ id: orders.id });
  return rows.length > 0;
}

/** Amounts and quantities stay Postgres numeric text (Exact's decimals as stored). */
const num = (v: string | null) => v;
// Sums of Exact's decimals, without binary fractions creeping in (0.1 + 0.2).
const sum = (values: (string | null)[]) =>
  String(Math.round(values.reduce((n, v) => n + Number(v ?? 0), 0) * 1e6) / 1e6);

/** What Exact booked for an order and what became of it: its header, lines, deliveries and invoices as synced. */
export interface ExactOrderProgress {
  orderNumber: number | null;
  status: number | null;
  deliveryStatus: number | null;
  invoiceStatus: number | null;
  currency: string | null;
  amountInclVat: string | null;
  amountExclVat: string | null;
  lines: {
    lineNumber: number | null;
    itemCode: string | null;
    description: string | null;
    quantity: string | null;
    quantityDelivered: string | null;
    quantityInvoiced: string | null;
    unitCode: string | null;
    unitPrice: string | null;
    netPrice: string | null;
    amountExclVat: string | null;
    vatCode: string | null;
    vatPercentage: string | null;
    vatAmount: string | null;
  }[];
  deliveries: {
    id: string;
    deliveryNumber: number | null;
    deliveryDate: Date | null;
    trackingNumber: string | null;
    lines: { itemCode: string | null; quantityDelivered: string | null; unitCode: string | null }[];
  }[];
  invoices: {
    id: string;
    invoiceNumber: number | null;
    invoiceDate: Date | null;
    dueDate: Date | null;
    currency: string | null;
    amountExclVat: string;
    vatAmount: string;
    lines: { itemCode: string | null; quantity: string | null; amountExclVat: string | null }[];
  }[];
}

/** The synced Exact side of an order, or null while its header is not synced (or the order is not in Exact). */
export async function exactOrderProgress(
  db: Executor,
  order: { connectionId: string; exactOrderId: string | null; exactOrderNumber: number | null },
): Promise<ExactOrderProgress | null> {
  const { connectionId, exactOrderId } = order;
  if (!exactOrderId) return null;
  const [header] = await db
    .select()
    .from(exactOrderHeaders)
    .where(
      and(
        eq(exactOrderHeaders.connectionId, connectionId),
        eq(exactOrderHeaders.orderId, exactOrderId),
        isNull(exactOrderHeaders.deletedAt),
      ),
    )
    .limit(1);
  if (!header) return null;
  const orderNumber = header.orderNumber ?? order.exactOrderNumber;
  const [lines, deliveryLines, invoiceLines] = await Promise.all([
    db
      .select()
      .from(exactOrderLines)
      .where(
        and(
          eq(exactOrderLines.connectionId, connectionId),
          eq(exactOrderLines.orderId, exactOrderId),
          isNull(exactOrderLines.deletedAt),
        ),
      )
      .orderBy(asc(exactOrderLines.lineNumber)),
    orderNumber === null
      ? []
      : db
          .select()
          .from(goodsDeliveryLines)
          .where(
            and(
              eq(goodsDeliveryLines.connectionId, connectionId),
              eq(goodsDeliveryLines.salesOrderNumber, orderNumber),
              isNull(goodsDeliveryLines.deletedAt),
            ),
          )
          .orderBy(asc(goodsDeliveryLines.timestamp)),
    db
      .select()
      .from(salesInvoiceLines)
      .where(
        and(
          eq(salesInvoiceLines.connectionId, connectionId),
          eq(salesInvoiceLines.salesOrderId, exactOrderId),
          isNull(salesInvoiceLines.deletedAt),
        ),
      )
      .orderBy(asc(salesInvoiceLines.invoiceNumber), asc(salesInvoiceLines.lineNumber)),
  ]);
  const entryIds = [...new Set(deliveryLines.map((d) => d.entryId).filter((e): e is string => e !== null))];
  const deliveries =
    entryIds.length === 0
      ? []
      : await db
          .select()
          .from(goodsDeliveries)
          .where(
            and(eq(goodsDeliveries.connectionId, connectionId), inArray(goodsDeliveries.exactId, entryIds)),
          );

  const invoiceIds = [...new Set(invoiceLines.map((i) => i.invoiceId ?? i.exactId))];
  return {
    orderNumber,
    status: header.status,
    deliveryStatus: header.deliveryStatus,
    invoiceStatus: header.invoiceStatus,
    currency: header.currency,
    amountInclVat: num(header.amountDc),
    amountExclVat: num(header.amountFcExclVat),
    lines: lines.map((l) => ({
      lineNumber: l.lineNumber,
      itemCode: l.itemCode,
      description: l.description,
      quantity: num(l.quantity),
      quantityDelivered: num(l.quantityDelivered),
      quantityInvoiced: num(l.quantityInvoiced),
      unitCode: l.unitCode,
      unitPrice: num(l.unitPrice),
      netPrice: num(l.netPrice),
      amountExclVat: num(l.amountDc),
      vatCode: l.vatCode,
      vatPercentage: num(l.vatPercentage),
      vatAmount: num(l.vatAmount),
    })),
    deliveries: entryIds.map((entryId) => {
      const delivery = deliveries.find((d) => d.exactId === entryId);
      const own = deliveryLines.filter((d) => d.entryId === entryId);
      return {
        id: entryId,
        deliveryNumber: delivery?.deliveryNumber ?? null,
        deliveryDate: delivery?.deliveryDate ?? own[0]?.deliveryDate ?? null,
        trackingNumber: delivery?.trackingNumber ?? own[0]?.trackingNumber ?? null,
        lines: own.map((d) => ({
          itemCode: d.itemCode,
          quantityDelivered: num(d.quantityDelivered),
          unitCode: d.unitCode,
        })),
      };
    }),
    invoices: invoiceIds.map((invoiceId) => {
      const own = invoiceLines.filter((i) => (i.invoiceId ?? i.exactId) === invoiceId);
      const first = own[0];
      return {
        id: invoiceId,
        invoiceNumber: first?.invoiceNumber ?? null,
        invoiceDate: first?.invoiceDate ?? null,
        dueDate: first?.dueDate ?? null,
        currency: first?.currency ?? null,
        amountExclVat: sum(own.map((i) => i.amountDc)),
        vatAmount: sum(own.map((i) => i.vatAmountDc)),
        lines: own.map((i) => ({
          itemCode: i.itemCode,
          quantity: num(i.quantity),
          amountExclVat: num(i.amountDc),
        })),
      };
    }),
  };
}
