import type { OrderRejectionDetail } from '@exact-sync/core';
import type { Database, OrderRow, OrderWithLines } from '@exact-sync/db';
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

function salesOrderBody(order: OrderWithLines, resolved: ResolvedOrder): SalesOrderInput {
  const consumer = 'name' in order.customer ? order.customer : undefined;
  const description = [
    consumer && `${consumer.name}${consumer.email ? ` <${consumer.email}>` : ''}`,
    order.note,
  ]
    .filter(Boolean)
    .join(' | ');
  return {
    OrderedBy: resolved.accountId,
    YourRef: order.yourRef,
    ...(order.currency && { Currency: order.currency }),
    ...(order.orderDate && { OrderDate: order.orderDate }),
    ...(order.deliveryDate && { DeliveryDate: order.deliveryDate }),
    ...(description && { Description: description.slice(0, 255) }),
    SalesOrderLines: order.lines.map((line, i) => ({
      Item: resolved.itemIds[i] ?? '',
      Quantity: Number(line.quantity),
      ...(line.unitPrice !== null && { NetPrice: Number(line.unitPrice) }),
    })),
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
    const created = await deps.exact.createSalesOrder(salesOrderBody(order, resolved));
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
