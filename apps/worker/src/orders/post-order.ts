import type { OrderRejectionDetail } from '@exact-sync/core';
import type { ChannelSettings, Database, OrderRow, OrderWithLines } from '@exact-sync/db';
import { markPostAttempt, transitionOrder } from '@exact-sync/db';
import { type ExactClient, isPermanent, type SalesOrderInput } from '@exact-sync/exact';
import type { Logger } from 'pino';
import type { ResolvedOrder } from './resolve-order.ts';

export type PostOutcome =
  | {
      outcome: 'submitted';
      orderNumber: number;
      posted: boolean;
      /** From acceptance to submission, by the database's clock. */
      acceptedToSubmittedSeconds: number | null;
    }
  | { outcome: 'rejected'; reason: string; rejection: OrderRejectionDetail };

const acceptedToSubmitted = (row: OrderRow | undefined): number | null =>
  row?.submittedAt ? (row.submittedAt.getTime() - row.acceptedAt.getTime()) / 1000 : null;

/** Exact's `Description` of a sales order holds at most 255 characters (the simulator refuses more). */
const DESCRIPTION_MAX = 255;

/** The consumer of a b2c order as lines of text: name, e-mail, then the address as written on an envelope. */
function consumerLines(consumer: ConsumerCustomer): string[] {
  const address = consumer.address;
  return [
    consumer.name,
    consumer.email,
    address?.line1,
    address?.line2,
    address && [address.postcode, address.city].filter(Boolean).join(' '),
    address?.country,
  ].filter((line): line is string => Boolean(line));
}

type ConsumerCustomer = Extract<OrderWithLines['customer'], { name: string }>;

/**
 * The sales order Exact gets. Where the consumer of a b2c order goes (Exact has no consumer on an order booked on
 * the channel's account): `Description`, the one line Exact shows in its order lists, holds the consumer's name and
 * e-mail; `Remarks` holds the whole consumer (name, e-mail, address) and then the storefront's `note`. Our order
 * record and its callbacks keep the consumer whole. A b2b order's delivery address and contact (checked to be the
 * customer's) go as `DeliveryAddress` and `OrderedByContactPerson`. Each line carries its unit (`UnitCode`) when known, and its
 * price only when the channel's storefront prices the orders (`priceSource`); `WarehouseID` only when the channel
 * configures one.
 */
function salesOrderBody(
  order: OrderWithLines,
  resolved: ResolvedOrder,
  channel: ChannelSettings,
): SalesOrderInput {
  const consumer = 'name' in order.customer ? order.customer : undefined;
  const description = consumer && `${consumer.name}${consumer.email ? ` <${consumer.email}>` : ''}`;
  const remarks = [consumer && consumerLines(consumer).join('\n'), order.note].filter(Boolean).join('\n\n');
  const sendPrices = channel.priceSource !== 'exact';
  return {
    OrderedBy: resolved.accountId,
    YourRef: order.yourRef,
    ...(order.currency && { Currency: order.currency }),
    ...(order.orderDate && { OrderDate: order.orderDate }),
    ...(order.deliveryDate && { DeliveryDate: order.deliveryDate }),
    ...(description && { Description: description.slice(0, DESCRIPTION_MAX) }),
    ...(remarks && { Remarks: remarks }),
    ...(channel.warehouseId && { WarehouseID: channel.warehouseId }),
    ...(order.deliveryAddressId && { DeliveryAddress: order.deliveryAddressId }),
    ...(order.contactId && { OrderedByContactPerson: order.contactId }),
    SalesOrderLines: order.lines.map((line, i) => {
      const unit = resolved.unitCodes[i];
      return {
        Item: resolved.itemIds[i] ?? '',
        Quantity: Number(line.quantity),
        ...(unit && { UnitCode: unit }),
        ...(sendPrices && line.unitPrice !== null && { NetPrice: Number(line.unitPrice) }),
      };
    }),
  };
}

/** Records a rejection: the reason in words (`status_reason`) and as codes with every problem (`rejection`). */
export async function rejectOrder(
  deps: { db: Database; log: Logger },
  orderId: string,
  rejection: OrderRejectionDetail,
): Promise<PostOutcome> {
  const reason = rejection.problems.map((p) => p.message).join('; ');
  // Codes and fields only: the messages name SKUs and customer codes, and Exact's can echo the order itself.
  const problems = rejection.problems.map((p) => ({ code: p.code, field: p.field }));
  deps.log.warn({ orderId, code: rejection.code, problems }, 'order rejected');
  await transitionOrder(deps.db, orderId, ['accepted', 'submitting'], 'rejected', {
    statusReason: reason.slice(0, 1_000),
    rejection,
  });
  return { outcome: 'rejected', reason, rejection };
}

/**
 * Posts a resolved order to Exact exactly once. The post is counted in Postgres before it is sent, so when an
 * earlier try may have reached Exact (a timeout, a reset, a 5xx, a crash) the order is first looked up by its YourRef
 * and posted only if Exact does not have it. Exact's 4xx rejects the order for good (`exact_rejected`, with Exact's
 * message); ambiguous failures throw, to be retried.
 */
export async function postOrder(
  deps: { db: Database; exact: ExactClient; log: Logger },
  order: OrderWithLines,
  resolved: ResolvedOrder,
  channel: ChannelSettings = {},
): Promise<PostOutcome> {
  const { db } = deps;
  if (order.status === 'accepted') {
    await transitionOrder(db, order.id, ['accepted'], 'submitting', { exactAccountId: resolved.accountId });
  }
  if (order.postAttempts > 0) {
    // An earlier post may have reached Exact: it has the order if its YourRef is there.
    const [existing] = await deps.exact.findSalesOrdersByYourRef(order.yourRef, resolved.accountId);
    if (existing) {
      deps.log.info(
        { orderId: order.id, orderNumber: existing.orderNumber },
        'order found in Exact; not posted again',
      );
      const row = await transitionOrder(db, order.id, ['submitting'], 'submitted', {
        exactOrderId: existing.orderId,
        exactOrderNumber: existing.orderNumber,
      });
      return {
        outcome: 'submitted',
        orderNumber: existing.orderNumber,
        posted: false,
        acceptedToSubmittedSeconds: acceptedToSubmitted(row),
      };
    }
  }

  await markPostAttempt(db, order.id);
  try {
    const created = await deps.exact.createSalesOrder(salesOrderBody(order, resolved, channel));
    const row = await transitionOrder(db, order.id, ['submitting'], 'submitted', {
      exactOrderId: created.orderId,
      exactOrderNumber: created.orderNumber,
    });
    return {
      outcome: 'submitted',
      orderNumber: created.orderNumber,
      posted: true,
      acceptedToSubmittedSeconds: acceptedToSubmitted(row),
    };
  } catch (error) {
    if (!isPermanent(error)) throw error;
    const message = (error as Error).message;
    return rejectOrder(deps, order.id, {
      code: 'exact_rejected',
      problems: [{ code: 'exact_rejected', field: null, message }],
    });
  }
}
