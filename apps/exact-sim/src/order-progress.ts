import type { ChangeEvent } from './dataset/changes.ts';
import type { DivisionStore } from './dataset/division-store.ts';
import type { DeliveryLineRecord, DeliveryRecord, InvoiceLineRecord } from './dataset/sales-types.ts';
import { edmDate } from './odata.ts';
import { publishOrder } from './order-records.ts';
import { ORDER_STATUS, settleStatuses } from './order-status.ts';
import type { StoredLine, StoredOrder } from './orders-store.ts';
import { splitVat, vatCodeByCode } from './vat.ts';

/** A progress step the order's state does not allow, or bad line references; `status` is the control answer's. */
export class ProgressError extends Error {
  override readonly name = 'ProgressError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Which line (by ID, or the first open line of an item) and how much of it, in the line's unit. */
export interface LineRequest {
  lineId?: string | undefined;
  item?: string | undefined;
  quantity: number;
}

const EPSILON = 1e-9;

function picks(
  order: StoredOrder,
  requests: readonly LineRequest[] | undefined,
  left: (line: StoredLine) => number,
  verb: string,
): Map<StoredLine, number> {
  const chosen = new Map<StoredLine, number>();
  if (!requests) {
    for (const line of order.lines) if (left(line) > EPSILON) chosen.set(line, left(line));
  }
  requests?.forEach((request, i) => {
    const id = request.lineId?.toLowerCase();
    const item = request.item?.toLowerCase();
    const line =
      order.lines.find((l) => l.ID === id) ??
      order.lines.find((l) => l.Item === item && left(l) - (chosen.get(l) ?? 0) > EPSILON) ??
      order.lines.find((l) => l.Item === item);
    if (!line)
      throw new ProgressError(400, 'unknown_line', `lines[${i}]: the order has no such line or item`);
    const total = (chosen.get(line) ?? 0) + request.quantity;
    if (total > left(line) + EPSILON) {
      throw new ProgressError(
        400,
        'too_much',
        `lines[${i}].quantity: line ${line.LineNumber} has ${left(line)} ${line.UnitCode} left to ${verb}`,
      );
    }
    chosen.set(line, total);
  });
  if (chosen.size === 0)
    throw new ProgressError(409, `nothing_to_${verb}`, `Nothing left to ${verb} on this order.`);
  return chosen;
}

function open(order: StoredOrder): void {
  if (order.Status === ORDER_STATUS.cancelled)
    throw new ProgressError(409, 'order_cancelled', `Order ${order.OrderNumber} is cancelled.`);
}

const audit = (store: DivisionStore, now: number) => ({
  Created: edmDate(now),
  Modified: edmDate(now),
  Division: store.division,
});

/** A goods delivery of the given lines (default: everything still open), linked to them by its lines. */
export function deliver(
  store: DivisionStore,
  order: StoredOrder,
  requests: readonly LineRequest[] | undefined,
  now: number,
): { events: ChangeEvent[]; delivery: DeliveryRecord; lines: DeliveryLineRecord[] } {
  open(order);
  const chosen = picks(order, requests, (l) => l.Quantity - l.QuantityDelivered, 'deliver');
  const account = store.get('accounts', order.DeliverTo);
  const warehouses = store.warehouses;
  const warehouse =
    (order.WarehouseID ? store.ref('warehouses', order.WarehouseID) : undefined) ??
    warehouses.find((w) => w.Main === 1) ??
    warehouses[0];
  const number = ++store.deliverySeq;
  const EntryID = store.prng.guid();
  const delivery = store.put('deliveries', {
    ID: EntryID,
    EntryID,
    EntryNumber: number,
    DeliveryNumber: number,
    DeliveryDate: edmDate(now),
    DeliveryAccount: order.DeliverTo,
    DeliveryAccountCode: account?.Code ?? '',
    DeliveryAccountName: order.DeliverToName,
    DeliveryAddress: order.DeliveryAddress,
    Description: order.Description,
    Warehouse: warehouse?.ID ?? '',
    WarehouseCode: warehouse?.Code ?? '',
    ...audit(store, now),
    Timestamp: 0,
  });
  const lines = [...chosen].map(([line, quantity], i) => {
    line.QuantityDelivered += quantity;
    return store.put('deliveryLines', {
      ID: store.prng.guid(),
      EntryID,
      LineNumber: i + 1,
      Item: line.Item,
      ItemCode: line.ItemCode,
      ItemDescription: line.ItemDescription,
      Description: line.Description,
      QuantityOrdered: line.Quantity,
      QuantityDelivered: quantity,
      SalesOrderLineID: line.ID,
      SalesOrderLineNumber: line.LineNumber,
      SalesOrderNumber: order.OrderNumber,
      Unitcode: line.UnitCode,
      DeliveryDate: edmDate(now),
      ...audit(store, now),
      Timestamp: 0,
    });
  });
  order.modifiedAt = now;
  settleStatuses(order);
  const events: ChangeEvent[] = [
    { entity: 'deliveries', action: 'Update', record: delivery },
    ...lines.map((record): ChangeEvent => ({ entity: 'deliveryLines', action: 'Update', record })),
    ...publishOrder(store, order, [...chosen.keys()]),
  ];
  return { events, delivery, lines };
}

/**
 * A sales invoice for the given lines (default: what is delivered and not yet invoiced), one sync record per
 * invoice line, amounts excluding VAT with the VAT beside them.
 */
export function invoice(
  store: DivisionStore,
  order: StoredOrder,
  requests: readonly LineRequest[] | undefined,
  now: number,
): { events: ChangeEvent[]; records: InvoiceLineRecord[] } {
  open(order);
  const left = requests
    ? (l: StoredLine) => l.Quantity - l.QuantityInvoiced
    : (l: StoredLine) => l.QuantityDelivered - l.QuantityInvoiced;
  const chosen = picks(order, requests, left, 'invoice');
  const InvoiceID = store.prng.guid();
  const InvoiceNumber = ++store.invoiceSeq;
  // Exact's payment conditions are codes; the generated ones ('00', '14', '30', '60') are days to pay.
  const dueDays = Number(order.PaymentCondition ?? '30') || 0;
  const records = [...chosen].map(([line, quantity], i) => {
    line.QuantityInvoiced += quantity;
    const { excl, vat } = splitVat(
      quantity * line.NetPrice,
      line.VATPercentage,
      line.VATCode === null ? null : (vatCodeByCode(store, line.VATCode)?.Type ?? null),
    );
    return store.put('invoices', {
      ID: store.prng.guid(),
      InvoiceID,
      InvoiceNumber,
      InvoiceDate: edmDate(now),
      DueDate: edmDate(now + dueDays * 86_400_000),
      InvoiceTo: order.InvoiceTo,
      InvoiceToName: order.InvoiceToName,
      OrderedBy: order.OrderedBy,
      OrderNumber: order.OrderNumber,
      YourRef: order.YourRef,
      LineNumber: i + 1,
      Item: line.Item,
      ItemCode: line.ItemCode,
      Description: line.Description,
      Quantity: quantity,
      UnitPrice: line.UnitPrice,
      NetPrice: line.NetPrice,
      AmountDC: excl,
      AmountFC: excl,
      VATAmountDC: vat,
      VATCode: line.VATCode,
      VATPercentage: line.VATPercentage,
      Currency: order.Currency,
      SalesOrder: order.OrderID,
      SalesOrderLine: line.ID,
      SalesOrderNumber: order.OrderNumber,
      Status: 50,
      Type: 8020,
      ...audit(store, now),
      Timestamp: 0,
    });
  });
  order.modifiedAt = now;
  settleStatuses(order);
  const events: ChangeEvent[] = [
    ...records.map((record): ChangeEvent => ({ entity: 'invoices', action: 'Update', record })),
    ...publishOrder(store, order, [...chosen.keys()]),
  ];
  return { events, records };
}

/** Cancels an open or partly processed order: Status 45 on the header and every line. */
export function cancel(store: DivisionStore, order: StoredOrder, now: number): ChangeEvent[] {
  open(order);
  if (order.Status === ORDER_STATUS.complete)
    throw new ProgressError(409, 'order_complete', `Order ${order.OrderNumber} is complete.`);
  order.Status = ORDER_STATUS.cancelled;
  order.modifiedAt = now;
  return publishOrder(store, order);
}
