import { edmDate } from './odata.ts';
import { statusDescription } from './order-status.ts';
import type { StoredOrder } from './orders-store.ts';

export const ORDER_TYPE = 'Exact.Web.Api.Models.SalesOrder.SalesOrder';
const LINE_TYPE = 'Exact.Web.Api.Models.SalesOrder.SalesOrderLine';

/**
 * An order in Exact's JSON shape (without `__metadata`); `base` is `…/api/v1/{division}/`. A GET answers the lines
 * as a `__deferred` link, as Exact does for navigation properties; the POST answer (`Prefer: return=representation`)
 * carries them in full, since no source settles what Exact sends there.
 */
export function orderToApi(
  order: StoredOrder,
  base: string,
  lines: 'deferred' | 'inline',
): Record<string, unknown> {
  const uri = `${base}salesorder/SalesOrders(guid'${order.OrderID}')`;
  return {
    OrderID: order.OrderID,
    OrderNumber: order.OrderNumber,
    Status: order.Status,
    StatusDescription: statusDescription(order.Status),
    DeliveryStatus: order.DeliveryStatus,
    DeliveryStatusDescription: statusDescription(order.DeliveryStatus),
    InvoiceStatus: order.InvoiceStatus,
    InvoiceStatusDescription: statusDescription(order.InvoiceStatus),
    YourRef: order.YourRef,
    OrderedBy: order.OrderedBy,
    OrderedByName: order.OrderedByName,
    OrderedByContactPerson: order.OrderedByContactPerson,
    DeliverTo: order.DeliverTo,
    DeliveryAddress: order.DeliveryAddress,
    InvoiceTo: order.InvoiceTo,
    OrderDate: edmDate(order.OrderDate),
    DeliveryDate: order.DeliveryDate === null ? null : edmDate(order.DeliveryDate),
    Description: order.Description,
    Remarks: order.Remarks,
    WarehouseID: order.WarehouseID,
    PaymentCondition: order.PaymentCondition,
    AmountDC: order.AmountDC,
    AmountFC: order.AmountDC,
    AmountDiscount: order.AmountDiscount,
    Currency: order.Currency,
    Division: order.Division,
    Created: edmDate(order.receivedAt),
    Modified: edmDate(order.modifiedAt),
    SalesOrderLines:
      lines === 'deferred'
        ? { __deferred: { uri: `${uri}/SalesOrderLines` } }
        : {
            results: order.lines.map(({ priceSource: _internal, ...line }) => ({
              __metadata: { uri: `${base}salesorder/SalesOrderLines(guid'${line.ID}')`, type: LINE_TYPE },
              OrderID: order.OrderID,
              OrderNumber: order.OrderNumber,
              ...line,
              AmountFC: line.AmountDC,
            })),
          },
  };
}
