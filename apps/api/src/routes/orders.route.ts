import { yourRefFor } from '@exact-sync/core';
import { exactOrderProgress, findOrder, listOrders, transitionOrder } from '@exact-sync/db';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { HttpError, notFound, unauthorized } from '../errors.ts';
import { failures, json } from '../openapi/answers.ts';
import {
  orderBodySchema,
  orderDetailSchema,
  orderFeedQuerySchema,
  orderPageSchema,
  orderViewSchema,
} from '../orders/order.schemas.ts';
import { attemptOf, checkCustomer, checkExactRejections, tooManyRejections } from '../orders/order-checks.ts';
import { createOrderIntake } from '../orders/order-intake.ts';
import { toOrderDetailView, toOrderView } from '../orders/order-view.ts';
import { payloadHash } from '../orders/payload-hash.ts';
import { type Storefront, storefrontOf } from '../plugins/auth.plugin.ts';

const ORDER_BODY_LIMIT = 256 * 1024;
const idParams = z.object({ id: z.uuid('must be a UUID') });

interface OrderRouteOptions {
  settleMs: number;
  /** Orders of one key that Exact may reject in an hour before the key gets 429 on new orders. */
  rejectionsPerKeyPerHour: number;
}

/** Storefront orders: accepted into Postgres at once, submitted to Exact by the worker's order lane. */
export async function orderRoutes(instance: FastifyInstance, options: OrderRouteOptions): Promise<void> {
  const app = instance.withTypeProvider<ZodTypeProvider>();
  const intake = createOrderIntake(instance, options);
  // Orders waiting for their batch are written before the pool closes.
  instance.addHook('onClose', () => intake.drain());

  /** The operator sees every order; a storefront key only its own connection and channel. */
  const scope = (request: FastifyRequest): Storefront | 'admin' => request.storefront ?? 'admin';

  app.post(
    '/v1/orders',
    {
      config: { access: 'storefront' },
      bodyLimit: ORDER_BODY_LIMIT,
      schema: {
        tags: ['orders'],
        operationId: 'createOrder',
        summary: 'Place an order (idempotent per reference)',
        description:
          'The order is stored at once and submitted to Exact by the order lane; follow it at `Location` ' +
          '(`getOrder`), by reference (`listOrders?reference=`) or through callbacks. Placing the same `reference` ' +
          'again answers 200 with the order already placed. A rejected order is placed again under its reference ' +
          'with `retryOf` (the rejected attempt’s `id`): a new order, the next `attempt`, linked by ' +
          '`previousAttemptId`.',
        body: orderBodySchema,
        response: {
          200: json(orderViewSchema, 'This reference was placed before, with the same payload: that order.'),
          202: json(orderViewSchema, 'Accepted: stored, and on its way to Exact.'),
          ...failures({
            409:
              '`order_conflict`: this reference was placed before with another payload (`details.id`: its latest ' +
              'attempt). `not_retriable`: `retryOf` does not name the latest attempt at this reference, or that ' +
              'attempt is not rejected.',
            422:
              '`channel_not_configured`: a b2c order while the channel has no default account. ' +
              "`customer_not_allowed`: a b2c order named a customer other than the channel's default account " +
              '(b2c orders name their consumer and always go on that account).',
            429:
              '`too_many_rejections`: Exact rejected too many orders of this key in the last hour ' +
              '(ORDER_REJECTIONS_PER_KEY_PER_HOUR); `Retry-After` says when it takes new ones. ' +
              '`rate_limited`: more requests than the key may make a minute.',
          }),
        },
      },
    },
    async (request, reply) => {
      const storefront = storefrontOf(request);
      const body = request.body;
      await checkCustomer(instance, storefront, body);
      const limit = options.rejectionsPerKeyPerHour;
      if (body.retryOf !== undefined) {
        await checkExactRejections(instance, reply, { storefront, reference: body.reference, limit });
      }
      const hash = payloadHash(body);
      const next = await attemptOf(instance, storefront, body, hash);
      const placed = await intake.submit({
        connectionId: storefront.connectionId,
        channel: storefront.channel,
        reference: body.reference,
        attempt: next.attempt,
        previousAttemptId: next.previousAttemptId,
        apiKeyId: storefront.keyId,
        yourRef: yourRefFor(storefront.channel, body.reference),
        payloadHash: hash,
        customer: body.customer,
        currency: body.currency,
        orderDate: body.orderDate,
        deliveryDate: body.deliveryDate,
        note: body.note,
        deliveryAddressId: body.deliveryAddressExactId,
        contactId: body.contactExactId,
        lines: body.lines.map((l) => ({
          sku: l.sku,
          quantity: l.quantity,
          unitPrice: l.unitPrice,
          unitCode: l.unitCode,
        })),
      });
      switch (placed.outcome) {
        case 'created':
          return reply
            .code(202)
            .header('location', `/v1/orders/${placed.order.id}`)
            .send(toOrderView(placed.order));
        case 'revoked':
          // Revoked since this process last looked the key up: forget what it knows.
          app.apiKeys.clear();
          reply.header('cache-control', 'no-store');
          throw unauthorized('unknown or revoked API key');
        case 'held':
          throw tooManyRejections(reply, placed.hold, limit);
      }
      const { order } = placed;
      if (order.payloadHash !== hash) {
        const retry = order.status === 'rejected' ? `; to place it again, send retryOf: "${order.id}"` : '';
        throw new HttpError(
          409,
          'order_conflict',
          `order ${body.reference} exists with a different payload${retry}`,
          { id: order.id },
        );
      }
      return reply.code(200).send(toOrderView(order));
    },
  );

  app.get(
    '/v1/orders/:id',
    {
      config: { access: ['storefront', 'operator'] },
      schema: {
        tags: ['orders'],
        operationId: 'getOrder',
        summary: 'An order, its state, and what Exact booked, delivered and invoiced',
        params: idParams,
        response: {
          200: json(orderDetailSchema, 'The order as it is now, with its Exact side.'),
          ...failures({ 404: 'No such order (a storefront key sees only the orders of its channel).' }),
        },
      },
    },
    async (request) => {
      const who = scope(request);
      const order = await findOrder(app.database.db, request.params.id);
      const visible =
        order &&
        (who === 'admin' || (order.connectionId === who.connectionId && order.channel === who.channel));
      if (!visible) throw notFound('order');
      return toOrderDetailView(order, await exactOrderProgress(app.database.db, order));
    },
  );

  app.get(
    '/v1/orders',
    {
      config: { access: ['storefront', 'operator'] },
      schema: {
        tags: ['orders'],
        operationId: 'listOrders',
        summary: 'Orders, oldest change first',
        description:
          'A storefront key sees the orders of its channel; the admin token, every order. `?updated_since=` lists ' +
          'the orders changed after that time; `?status=` only those in one state; `?reference=` every attempt at ' +
          'one reference. Follow `nextCursor` (with the ' +
          'same parameters) until it is null.',
        querystring: orderFeedQuerySchema,
        response: { 200: json(orderPageSchema, 'A page of orders.') },
      },
    },
    async (request) => {
      const who = scope(request);
      const q = request.query;
      const page = await listOrders(app.database.db, {
        connectionId: who === 'admin' ? undefined : who.connectionId,
        channel: who === 'admin' ? undefined : who.channel,
        status: q.status,
        reference: q.reference,
        updatedSince: q.updated_since ? new Date(q.updated_since) : undefined,
        // An empty cursor asks for the first page of this feed.
        cursor: q.cursor || undefined,
        limit: q.limit,
        settleMs: options.settleMs,
      });
      return { data: page.data.map(toOrderView), nextCursor: page.nextCursor };
    },
  );

  app.post(
    '/v1/orders/:id/retry',
    {
      config: { access: 'operator' },
      schema: {
        tags: ['orders'],
        operationId: 'retryOrder',
        summary: 'Send an open or failed order to Exact again',
        params: idParams,
        response: {
          202: json(orderViewSchema, 'Queued again: the order as it is now.'),
          ...failures({ 404: 'No such order.', 409: '`not_retriable`: the order is submitted or rejected.' }),
        },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const order = await findOrder(app.database.db, id);
      if (!order) throw notFound('order');
      if (order.status === 'submitted' || order.status === 'rejected') {
        throw new HttpError(
          409,
          'not_retriable',
          `order is ${order.status}; only open or failed orders are retried`,
        );
      }
      if (order.status === 'failed') await transitionOrder(app.database.db, id, ['failed'], 'accepted');
      // A failed BullMQ job of the same id would swallow the new one: clear it first.
      await app.queues.orders.remove(id).catch(() => 0);
      await app.tryEnqueue('order.submit', { orderId: id }, { jobId: id }, request.log);
      const updated = await findOrder(app.database.db, id);
      if (!updated) throw notFound('order');
      return reply.code(202).send(toOrderView(updated));
    },
  );
}
