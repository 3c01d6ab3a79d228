import type { ChangeEvent } from './dataset/changes.ts';
import type { DivisionStore } from './dataset/division-store.ts';
import type { OrderHeaderRecord, OrderLineRecord } from './dataset/sales-types.ts';
import { edmDate } from './odata.ts';
import { lineStatuses, ORDER_STATUS, statusDescription } from './order-status.ts';
import type { StoredLine, StoredOrder } from './orders-store.ts';

const dateOrNull = (ms: number | null): string | null => (ms === null ? null : edmDate(ms));

function audit(order: StoredOrder) {
  return {
    Created: edmDate(order.receivedAt),
    Modified: edmDate(order.modifiedAt),
    Division: order.Division,
  };
}

/** The order as `sync/SalesOrder/SalesOrderHeaders` serves it (ID = OrderID). */
function headerRecord(order: StoredOrder): OrderHeaderRecord {
  return {
    ID: order.OrderID,
    OrderID: order.OrderID,
    OrderNumber: order.OrderNumber,
    OrderDate: edmDate(order.OrderDate),
    OrderedBy: order.OrderedBy,
    OrderedByName: order.OrderedByName,
    DeliverTo: order.DeliverTo,
    DeliveryAddress: order.DeliveryAddress,
    DeliveryDate: dateOrNull(order.DeliveryDate),
    YourRef: order.YourRef,
    Description: order.Description,
    Remarks: order.Remarks,
    Currency: order.Currency,
    AmountDC: order.AmountDC,
    AmountFC: order.AmountDC,
    AmountFCExclVat: order.AmountFCExclVat,
    PaymentCondition: order.PaymentCondition,
    WarehouseID: order.WarehouseID,
    Status: order.Status,
    StatusDescription: statusDescription(order.Status),
    DeliveryStatus: order.DeliveryStatus,
    InvoiceStatus: order.InvoiceStatus,
    ...audit(order),
    Timestamp: 0,
  };
}

function lineRecord(order: StoredOrder, line: StoredLine): OrderLineRecord {
  const { priceSource: _internal, UnitDescription: _notOnSync, ...fields } = line;
  return {
    ...fields,
    OrderID: order.OrderID,
    OrderNumber: order.OrderNumber,
    AmountFC: line.AmountDC,
    DeliveryDate: dateOrNull(order.DeliveryDate),
    ...lineStatuses(line, order.Status === ORDER_STATUS.cancelled),
    ...audit(order),
    Timestamp: 0,
  };
}

/**
 * Writes the order's header and the given lines (all of them by default) to the sync tables under new Timestamps,
 * answering the changes for webhooks.
 */
export function publishOrder(
  store: DivisionStore,
  order: StoredOrder,
  lines: readonly StoredLine[] = order.lines,
): ChangeEvent[] {
  const events: ChangeEvent[] = [
    { entity: 'orderHeaders', action: 'Update', record: store.put('orderHeaders', headerRecord(order)) },
  ];
  for (const line of lines) {
    events.push({
      entity: 'orderLines',
      action: 'Update',
      record: store.put('orderLines', lineRecord(order, line)),
    });
  }
  return events;
}
