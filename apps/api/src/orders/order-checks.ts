import { ORDER_LIMIT_WINDOW_MS } from '@exact-sync/core';
import {
  exactRejectionHold,
  findAccountByCode,
  findConnection,
  findOrderByReference,
  type RejectionHold,
} from '@exact-sync/db';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { HttpError, invalidField } from '../errors.ts';
import type { Storefront } from '../plugins/auth.plugin.ts';
import type { OrderBody } from './order.schemas.ts';

/**
 * B2B customers are Exact accounts; a B2C order always goes on the channel's default account, which must be set: it
 * names its consumer, or that account itself, never another customer (422 `customer_not_allowed`).
 */
export async function checkCustomer(
  app: FastifyInstance,
  storefront: Storefront,
  body: OrderBody,
): Promise<void> {
  const { customer } = body;
  if (storefront.channel === 'b2c') {
    for (const field of ['deliveryAddressExactId', 'contactExactId'] as const) {
      if (body[field] !== undefined) {
        throw invalidField(
          `body.${field}`,
          "is for b2b orders; a b2c order's consumer address goes in body.customer.address",
        );
      }
    }
  }
  if (storefront.channel === 'b2b') {
    if ('name' in customer) {
      throw invalidField('body.customer', 'b2b orders name an Exact customer by code or exactId');
    }
    return;
  }
  const { db } = app.database;
  const connection = await findConnection(db, storefront.connectionId);
  const defaultCode = connection?.channels.b2c?.defaultAccountCode;
  if (!('name' in customer) && !(await isAccount(app, storefront, customer, defaultCode))) {
    throw new HttpError(
      422,
      'customer_not_allowed',
      "a b2c order always goes on the channel's default account: name the consumer in body.customer " +
        '({name, email?, address?}), not another customer',
    );
  }
  if (!defaultCode) {
    throw new HttpError(
      422,
      'channel_not_configured',
      'the b2c channel has no defaultAccountCode to book consumer orders on; an operator sets it with PATCH /v1/connections/:id',
    );
  }
}

/**
 * Which attempt at its reference an order is. Without `retryOf`, the first: a reference placed before is then a
 * replay (200) or a conflict (409), as the insert finds. With it, the next after the latest attempt, which must be
 * the one it names and rejected; the replay of that new attempt (the same payload) is the latest and is answered as
 * a replay.
 */
export async function attemptOf(
  app: FastifyInstance,
  storefront: Storefront,
  body: OrderBody,
  hash: string,
): Promise<{ attempt: number; previousAttemptId?: string }> {
  if (body.retryOf === undefined) return { attempt: 1 };
  const { db } = app.database;
  const latest = await findOrderByReference(db, storefront.connectionId, storefront.channel, body.reference);
  if (latest?.payloadHash === hash) return { attempt: latest.attempt };
  if (latest?.id !== body.retryOf.toLowerCase() || latest.status !== 'rejected') {
    throw new HttpError(
      409,
      'not_retriable',
      `body.retryOf must be the id of the latest attempt at order ${body.reference}, and that attempt must be rejected`,
      latest ? { id: latest.id, status: latest.status } : undefined,
    );
  }
  return { attempt: latest.attempt + 1, previousAttemptId: latest.id };
}

/** Whether `customer` names the account with this code (by code, or by the exactId of the synced account). */
async function isAccount(
  app: FastifyInstance,
  storefront: Storefront,
  customer: { code: string } | { exactId: string },
  code: string | undefined,
): Promise<boolean> {
  if (code === undefined) return false;
  if ('code' in customer) return customer.code === code;
  const account = await findAccountByCode(app.database.db, storefront.connectionId, code);
  return account !== undefined && account.exactId.toLowerCase() === customer.exactId.toLowerCase();
}

/**
 * Exact blocks order submission for the whole division after 10 errors in an hour, so a key whose orders Exact
 * itself rejected `limit` times in the last hour places no new order until the oldest of those leaves the hour
 * (429 with Retry-After). A replay of an order it placed before is still answered. Counted in Postgres: every api
 * process sees the same count, with or without Redis. New orders are checked in the statement that writes them
 * (`placeOrders`); this is the check for a retry (`retryOf`), made before its attempt is worked out.
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
  throw tooManyRejections(reply, hold, limit);
}

/** The 429 of a key held by Exact's rejections (see `checkExactRejections`), with its Retry-After. */
export function tooManyRejections(reply: FastifyReply, hold: RejectionHold, limit: number): HttpError {
  reply.header('retry-after', String(hold.retryAfterSeconds));
  return new HttpError(
    429,
    'too_many_rejections',
    `Exact rejected ${hold.rejections} orders of this API key in the last hour (at most ${limit} may be, since ` +
      'Exact stops taking orders for the whole administration after 10 errors an hour); new orders are refused ' +
      `until ${hold.until.toISOString()}. The rejected orders say why: GET /v1/orders?status=rejected`,
  );
}
