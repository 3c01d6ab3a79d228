import { yourRefFor } from '@exact-sync/core';
import { findOrder, insertOrder, listOrders, transitionOrder } from '@exact-sync/db';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { HttpError, notFound } from '../errors.ts';
import {
  errorSchema,
  orderBodySchema,
  orderFeedQuerySchema,
  orderViewSchema,
} from '../orders/order.schemas.ts';
import { checkCustomer, checkExactRejections } from '../orders/order-checks.ts';
import { toOrderView } from '../orders/order-view.ts';
import { payloadHash } from '../orders/payload-hash.ts';
import { type Storefront, storefrontOf } from '../plugins/auth.plugin.ts';

const ORDER_BODY_LIMIT = 256 * 1024;
const idParams = z.object({ id: z.uuid('must be a UUID') });
const listSchema = z.object({ data: z.array(orderViewSchema), nextCursor: z.string().nullable() });

interface OrderRouteOptions {
  settleMs: number;
  /** Orders of one key that Exact may reject in an hour before the key gets 429 on new orders. */
  rejectionsPerKeyPerHour: number;
}

/** Storefront orders: accepted into Postgres at once, submitted to Exact by the worker's order lane. */
export async function orderRoutes(instance: FastifyInstance, options: OrderRouteOptions): Promise<void> {
  const app = instance.withTypeProvider<ZodTypeProvider>();

  /** The operator sees every order; a storefront key only its own connection and channel. */
  const scope = (request: FastifyRequest): Storefront | 'admin' => request.storefront ?? 'admin';

  app.post(
    '/v1/orders',
    {
      config: { access: 'storefront' },
      bodyLimit: ORDER_BODY_LIMIT,
      schema: {
        tags: ['orders'],
        summary: 'Place an order (idempotent per reference)',
        body: orderBodySchema,
        response: {
          200: orderViewSchema,
          202: orderViewSchema,
          409: errorSchema,
          422: errorSchema,
          429: errorSchema.describe(
            '`too_many_rejections`: Exact rejected too many orders of this key in the last hour ' +
              '(ORDER_REJECTIONS_PER_KEY_PER_HOUR); Retry-After says when it takes new ones. ' +
              '`rate_limited`: too many requests a minute.',
          ),
        },
      },
    },
    async (request, reply) => {
      const storefront = storefrontOf(request);
      const body = request.body;
      await checkCustomer(instance, storefront, body);
      await checkExactRejections(instance, reply, {
        storefront,
        reference: body.reference,
        limit: options.rejectionsPerKeyPerHour,
      });
      const hash = payloadHash(body);
      const { created, order } = await insertOrder(app.database.db, {
        connectionId: storefront.connectionId,
        channel: storefront.channel,
        reference: body.reference,
        apiKeyId: storefront.keyId,
        yourRef: yourRefFor(storefront.channel, body.reference),
        payloadHash: hash,
        customer: body.customer,
        orderDate: body.orderDate,
        deliveryDate: body.deliveryDate,
        note: body.note,
        lines: body.lines.map((l) => ({
          sku: l.sku,
          quantity: String(l.quantity),
          unitPrice: l.unitPrice === undefined ? undefined : String(l.unitPrice),
        })),
      });
      if (!created) {
        if (order.payloadHash !== hash) {
          throw new HttpError(
            409,
            'order_conflict',
            `order ${body.reference} exists with a different payload`,
            {
              id: order.id,
            },
          );
        }
        return reply.code(200).send(toOrderView(order));
      }
      await app.tryEnqueue('order.submit', { orderId: order.id }, { jobId: order.id });
      return reply.code(202).send(toOrderView(order));
    },
  );

  app.get(
    '/v1/orders/:id',
    {
      config: { access: ['storefront', 'operator'] },
      schema: { tags: ['orders'], params: idParams, response: { 200: orderViewSchema } },
    },
    async (request) => {
      const who = scope(request);
      const order = await findOrder(app.database.db, request.params.id);
      const visible =
        order &&
        (who === 'admin' || (order.connectionId === who.connectionId && order.channel === who.channel));
      if (!visible) throw notFound('order');
      return toOrderView(order);
    },
  );

  app.get(
    '/v1/orders',
    {
      config: { access: ['storefront', 'operator'] },
      schema: { tags: ['orders'], querystring: orderFeedQuerySchema, response: { 200: listSchema } },
    },
    async (request) => {
      const who = scope(request);
      const q = request.query;
      const page = await listOrders(app.database.db, {
        connectionId: who === 'admin' ? undefined : who.connectionId,
        channel: who === 'admin' ? undefined : who.channel,
        status: q.status,
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
      schema: { tags: ['orders'], params: idParams, response: { 202: orderViewSchema, 409: errorSchema } },
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
      await app.tryEnqueue('order.submit', { orderId: id }, { jobId: id });
      const updated = await findOrder(app.database.db, id);
      if (!updated) throw notFound('order');
      return reply.code(202).send(toOrderView(updated));
    },
  );
}
