import { edmDate } from './odata.ts';
import type { StoredOrder } from './orders-store.ts';

export const ORDER_TYPE = 'Exact.Web.Api.Models.SalesOrder.SalesOrder';
const LINE_TYPE = 'Exact.Web.Api.Models.SalesOrder.SalesOrderLine';

export const ORDER_FIELDS = [
  'OrderID',
  'OrderNumber',
  'Status',
  'StatusDescription',
  'YourRef',
  'OrderedBy',
  'OrderedByName',
  'OrderDate',
  'DeliveryDate',
  'Description',
  'AmountDC',
  'Currency',
  'Division',
  'Created',
  'SalesOrderLines',
] as const;

/** An order in Exact's JSON shape (without `__metadata`); `base` is `…/api/v1/{division}/`. */
export function orderToApi(order: StoredOrder, base: string): Record<string, unknown> {
  return {
    OrderID: order.OrderID,
    OrderNumber: order.OrderNumber,
    Status: order.Status,
    StatusDescription: 'Open',
    YourRef: order.YourRef,
    OrderedBy: order.OrderedBy,
    OrderedByName: order.OrderedByName,
    OrderDate: edmDate(order.OrderDate),
    DeliveryDate: order.DeliveryDate === null ? null : edmDate(order.DeliveryDate),
    Description: order.Description,
    AmountDC: order.AmountDC,
    Currency: 'EUR',
    Division: order.Division,
    Created: edmDate(order.receivedAt),
    SalesOrderLines: {
      results: order.lines.map((line) => ({
        __metadata: { uri: `${base}salesorder/SalesOrderLines(guid'${line.ID}')`, type: LINE_TYPE },
        OrderID: order.OrderID,
        ...line,
      })),
    },
  };
}
