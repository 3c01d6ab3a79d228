import { type AnyColumn, type SQL, type SQLWrapper, sql } from 'drizzle-orm';
import { connections } from '../schema/connections.ts';
import { type OrderCallbackEvent, orderCallbacks } from '../schema/orders.ts';

/** The columns of an order (of the table, or of a CTE over it) that an event is made of. */
interface EventColumns {
  id: AnyColumn;
  reference: AnyColumn;
  channel: AnyColumn;
  customer: AnyColumn;
  status: AnyColumn;
  statusReason: AnyColumn;
  exactOrderId: AnyColumn;
  exactOrderNumber: AnyColumn;
  rejection: AnyColumn;
  updatedAt: AnyColumn;
}

/**
 * The event of an order's state change, as jsonb, from the order as it is after the change: what the storefront's
 * callback carries (`OrderCallbackEvent`). `changedAt` is the change's own time, `updated_at`, in ISO 8601 UTC.
 */
export function eventOf(order: EventColumns, previousStatus: SQLWrapper): SQL<OrderCallbackEvent> {
  return sql<OrderCallbackEvent>`jsonb_build_object(
    'orderId', ${order.id},
    'reference', ${order.reference},
    'channel', ${order.channel},
    'customer', ${order.customer},
    'status', ${order.status},
    'previousStatus', ${previousStatus},
    'changedAt', to_char(${order.updatedAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    'statusReason', ${order.statusReason},
    'exactOrderId', ${order.exactOrderId},
    'exactOrderNumber', ${order.exactOrderNumber},
    'rejection', ${order.rejection}
  )`;
}

/**
 * True when the order's channel has a callback URL now. Only then is an event written: a channel without one gets
 * no rows, and setting a URL later does not replay the changes made before.
 */
export function channelHasCallbackUrl(channel: AnyColumn): SQL {
  return sql`(${connections.channels} -> ${channel} ->> 'callbackUrl') is not null`;
}

/**
 * Inserts the events a query selects as `(order_id, status, payload)` into the outbox. Plain SQL, because drizzle's
 * insert-select wants every column of the table, generated ones included.
 */
export function insertEvents(select: SQLWrapper): SQL {
  return sql`insert into ${orderCallbacks} (order_id, status, payload) ${select} returning id`;
}
