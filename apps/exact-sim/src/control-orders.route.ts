import { z } from 'zod';
import { type ControlRoute, ok, parseBody } from './control-types.ts';
import type { ChangeEvent } from './dataset/changes.ts';
import { controlError, type Reply } from './http.ts';
import { cancel, deliver, invoice, ProgressError } from './order-progress.ts';
import type { StoredOrder } from './orders-store.ts';
import type { SimState } from './state.ts';

const lineSchema = z
  .strictObject({
    lineId: z.string().optional(),
    item: z.string().optional(),
    quantity: z.number().positive(),
  })
  .refine((l) => l.lineId !== undefined || l.item !== undefined, 'name a lineId or an item');
const progressSchema = z.strictObject({ lines: z.array(lineSchema).min(1).max(10_000).optional() });

/** What the control answer shows of the order after the step. */
function summary(order: StoredOrder) {
  const { OrderID, OrderNumber, Status, DeliveryStatus, InvoiceStatus, AmountDC } = order;
  const lines = order.lines.map((l) => ({
    ID: l.ID,
    LineNumber: l.LineNumber,
    Item: l.Item,
    UnitCode: l.UnitCode,
    Quantity: l.Quantity,
    QuantityDelivered: l.QuantityDelivered,
    QuantityInvoiced: l.QuantityInvoiced,
  }));
  return { OrderID, OrderNumber, Status, DeliveryStatus, InvoiceStatus, AmountDC, lines };
}

function step(state: SimState, params: string[], body: unknown): Reply {
  const [divisionParam, orderParam = '', action] = params;
  const store = state.divisions.get(Number(divisionParam));
  if (!store) return controlError(404, 'unknown_division', `No division '${divisionParam}'.`);
  const order = state.orders.get(store.division, orderParam.toLowerCase());
  if (!order)
    return controlError(404, 'unknown_order', `No order '${orderParam}' in division ${store.division}.`);
  const parsed = parseBody(progressSchema, body);
  if (!parsed.ok) return parsed.reply;
  const now = state.clock.now();
  const requests = parsed.value.lines;
  let events: ChangeEvent[];
  let extra: Record<string, unknown> = {};
  try {
    if (action === 'deliver') {
      const done = deliver(store, order, requests, now);
      events = done.events;
      extra = { delivery: { ...done.delivery, lines: done.lines } };
    } else if (action === 'invoice') {
      const done = invoice(store, order, requests, now);
      events = done.events;
      extra = { invoice: { InvoiceID: done.records[0]?.InvoiceID, records: done.records } };
    } else {
      if (requests)
        return controlError(400, 'invalid_body', 'cancel takes no lines: it cancels the whole order');
      events = cancel(store, order, now);
    }
  } catch (error) {
    if (error instanceof ProgressError) return controlError(error.status, error.code, error.message);
    throw error;
  }
  state.notifyChanges(store.division, { created: [], updated: [], deleted: [], events });
  return ok({ order: summary(order), ...extra });
}

/** Moves a POSTed order on: goods deliveries, invoices, cancellation. */
export const controlOrderRoutes: ControlRoute[] = [
  {
    method: 'POST',
    pattern: /^\/_sim\/divisions\/([^/]+)\/orders\/([^/]+)\/(deliver|invoice|cancel)$/,
    handler: (state, req) => step(state, req.params, req.body),
  },
];
