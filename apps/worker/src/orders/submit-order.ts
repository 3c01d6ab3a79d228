import type { Database, DatabaseHandle, OrderRow, OrderWithLines } from '@exact-sync/db';
import { findOrder, markPostAttempt, transitionOrder, withSessionLock } from '@exact-sync/db';
import { type ExactClient, isPermanent, type SalesOrderInput } from '@exact-sync/exact';
import type { Logger } from 'pino';
import { OrderRejection, type ResolvedOrder, resolveOrder } from './resolve-order.ts';

export type SubmitOutcome =
  | {
      outcome: 'submitted';
      orderNumber: number;
      posted: boolean;
      /** From acceptance to submission, by the database's clock. */
      acceptedToSubmittedSeconds: number | null;
    }
  | { outcome: 'rejected'; reason: string }
  | { outcome: 'nothing-to-do'; status: string }
  | { outcome: 'busy' };

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

/**
 * Submits one order to Exact exactly once. The post is counted in Postgres before it is sent, so when an earlier
 * try may have reached Exact (a timeout, a reset, a 5xx, a crash) the order is first looked up by its YourRef and
 * posted only if Exact does not have it. A session lock per order keeps two processes from submitting it at once.
 * Exact's 4xx and unknown SKUs or customers reject the order for good; ambiguous failures throw, to be retried.
 */
export async function submitOrder(
  deps: { database: DatabaseHandle; exact: ExactClient; log: Logger },
  input: { orderId: string; b2cAccountCode: string | undefined },
): Promise<SubmitOutcome> {
  const outcome = await withSessionLock(deps.database, `order:${input.orderId}`, (db) =>
    submitLocked({ db, exact: deps.exact, log: deps.log }, input),
  );
  return outcome ?? { outcome: 'busy' };
}

async function submitLocked(
  deps: { db: Database; exact: ExactClient; log: Logger },
  input: { orderId: string; b2cAccountCode: string | undefined },
): Promise<SubmitOutcome> {
  const { db } = deps;
  const order = await findOrder(db, input.orderId);
  if (!order) return { outcome: 'nothing-to-do', status: 'missing' };
  if (order.status !== 'accepted' && order.status !== 'submitting') {
    return { outcome: 'nothing-to-do', status: order.status };
  }

  let resolved: ResolvedOrder;
  try {
    resolved = await resolveOrder({ db, exact: deps.exact }, order, input.b2cAccountCode);
  } catch (error) {
    if (error instanceof OrderRejection) return reject(deps, order.id, error.message);
    throw error;
  }

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
    if (isPermanent(error)) return reject(deps, order.id, (error as Error).message);
    throw error;
  }
}

async function reject(
  deps: { db: Database; log: Logger },
  orderId: string,
  reason: string,
): Promise<SubmitOutcome> {
  deps.log.warn({ orderId, reason }, 'order rejected');
  await transitionOrder(deps.db, orderId, ['accepted', 'submitting'], 'rejected', {
    statusReason: reason.slice(0, 1_000),
  });
  return { outcome: 'rejected', reason };
}
