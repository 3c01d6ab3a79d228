import { ORDER_LIMIT_WINDOW_MS } from '@exact-sync/core';
import { exactRejectionHold, findConnection, findOrderByReference } from '@exact-sync/db';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { HttpError, invalidField } from '../errors.ts';
import type { Storefront } from '../plugins/auth.plugin.ts';
import type { OrderBody } from './order.schemas.ts';

/** B2B customers are Exact accounts; a B2C consumer is booked on the channel's default account, which must exist. */
export async function checkCustomer(
  app: FastifyInstance,
  storefront: Storefront,
  body: OrderBody,
): Promise<void> {
  if (!('name' in body.customer)) return;
  if (storefront.channel === 'b2b') {
    throw invalidField('body.customer', 'b2b orders name an Exact customer by code or exactId');
  }
  const connection = await findConnection(app.database.db, storefront.connectionId);
  if (!connection?.channels.b2c?.defaultAccountCode) {
    throw new HttpError(
      422,
      'channel_not_configured',
      'the b2c channel has no defaultAccountCode to book consumer orders on; an operator sets it with PATCH /v1/connections/:id',
    );
  }
}

/**
 * Exact blocks order submission for the whole division after 10 errors in an hour, so a key whose orders Exact
 * itself rejected `limit` times in the last hour places no new order until the oldest of those leaves the hour
 * (429 with Retry-After). A replay of an order it placed before is still answered. Counted in Postgres: every api
 * process sees the same count, with or without Redis.
 */
export async function checkExactRejections(
  app: FastifyInstance,
  reply: FastifyReply,
  input: { storefront: Storefront; reference: string; limit: number },
): Promise<void> {
  const { db } = app.database;
  const { storefront, limit } = input;
  const hold = await exactRejectionHold(db, {
    apiKeyId: storefront.keyId,
    limit,
    windowMs: ORDER_LIMIT_WINDOW_MS,
  });
  if (!hold) return;
  const replay = await findOrderByReference(db, storefront.connectionId, storefront.channel, input.reference);
  if (replay) return;
  reply.header('retry-after', String(hold.retryAfterSeconds));
  throw new HttpError(
    429,
    'too_many_rejections',
    `Exact rejected ${hold.rejections} orders of this API key in the last hour (at most ${limit} may be, since ` +
      'Exact stops taking orders for the whole administration after 10 errors an hour); new orders are refused ' +
      `until ${hold.until.toISOString()}. The rejected orders say why: GET /v1/orders?status=rejected`,
  );
}
