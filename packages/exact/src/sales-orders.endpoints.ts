import type { Postable } from '@exact-sync/exact-schema';
import { ORDER_REF_FIELDS } from './client-fields.ts';
import type { EndpointContext } from './endpoint-context.ts';
import { UnexpectedBodyError } from './errors.ts';
import type { CallOptions } from './exact-call.ts';
import { guidLiteral, queryString, stringLiteral, unwrapRecord, unwrapResults } from './odata.ts';
import type { Lane } from './rate-governor.ts';

/** One line of a new sales order. `Item` is the item's GUID (Exact does not accept codes). */
type SalesOrderLineInput = Postable<
  'salesorder/SalesOrderLines',
  {
    Item: string;
    Quantity: number;
    /** The unit the quantity and price are in; without it, the item's default unit. */
    UnitCode?: string;
    NetPrice?: number;
    UnitPrice?: number;
    Description?: string;
  }
>;

/** The body of `POST salesorder/SalesOrders`, in Exact's field names; a field Exact does not accept fails to compile. */
export type SalesOrderInput = Postable<
  'salesorder/SalesOrders',
  {
    /** The customer's Account GUID. */
    OrderedBy: string;
    SalesOrderLines: readonly SalesOrderLineInput[];
    /** `YYYY-MM-DD`. */
    OrderDate?: string;
    DeliveryDate?: string;
    Description?: string;
    Remarks?: string;
    /** One of the customer's addresses (CRM/Addresses ID). */
    DeliveryAddress?: string;
    /** One of the customer's contacts (CRM/Contacts ID). */
    OrderedByContactPerson?: string;
    /** This project's deduplication key (unique within the division by convention). */
    YourRef?: string;
    WarehouseID?: string;
    /** ISO 4217; without it Exact takes the customer's currency. */
    Currency?: string;
  }
>;

export interface CreatedSalesOrder {
  orderId: string;
  orderNumber: number;
  /** 12 open, 20 partial, 21 complete, 45 cancelled. */
  status: number;
}

export interface SalesOrderRef {
  orderId: string;
  orderNumber: number;
}

function orderRef(record: Record<string, unknown>): SalesOrderRef {
  const { OrderID, OrderNumber } = record;
  if (typeof OrderID !== 'string' || typeof OrderNumber !== 'number') {
    throw new UnexpectedBodyError('sales order without OrderID or OrderNumber');
  }
  return { orderId: OrderID, orderNumber: OrderNumber };
}

/** Posting sales orders and finding them again by YourRef. */
export function salesOrderEndpoints(ctx: EndpointContext) {
  return {
    /**
     * Posts a sales order. Not idempotent: after an ambiguous failure (a 5xx, a timeout or reset, an unreadable
     * answer) look it up with `findSalesOrdersByYourRef` before posting again.
     */
    async createSalesOrder(
      body: SalesOrderInput,
      lane: Lane = 'order',
      options?: CallOptions,
    ): Promise<CreatedSalesOrder> {
      if (body.SalesOrderLines.length === 0) throw new TypeError('a sales order needs at least one line');
      const url = ctx.divisionUrl('salesorder/SalesOrders');
      const answer = await ctx.call({
        method: 'POST',
        url,
        endpoint: 'salesorder/SalesOrders',
        body,
        governed: true,
        lane,
        options,
      });
      const record = unwrapRecord(answer);
      const status = typeof record.Status === 'number' ? record.Status : 12;
      return { ...orderRef(record), status };
    },

    /** The orders with this YourRef (and customer, when given): empty when the order never reached Exact. */
    async findSalesOrdersByYourRef(
      yourRef: string,
      orderedBy?: string,
      lane: Lane = 'order',
      options?: CallOptions,
    ): Promise<SalesOrderRef[]> {
      const customer = orderedBy === undefined ? '' : ` and OrderedBy eq ${guidLiteral(orderedBy)}`;
      const query = queryString({
        $filter: `YourRef eq ${stringLiteral(yourRef)}${customer}`,
        $select: ORDER_REF_FIELDS.join(','),
      });
      const url = ctx.divisionUrl('salesorder/SalesOrders', query);
      const answer = await ctx.call({
        method: 'GET',
        url,
        endpoint: 'salesorder/SalesOrders',
        governed: true,
        lane,
        options,
      });
      return unwrapResults(answer).records.map(orderRef);
    },
  };
}
