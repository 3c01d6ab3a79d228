import { type Database, findConnection, findPricingAccount, type PricingAccount } from '@exact-sync/db';
import { HttpError, invalidField } from '../errors.ts';
import type { Storefront } from '../plugins/auth.plugin.ts';
import type { QuoteBody } from './quote.schemas.ts';

type CustomerRef = { code: string } | { exactId: string };

const sameAccount = (account: PricingAccount, ref: CustomerRef) =>
  'code' in ref ? ref.code === account.code : ref.exactId.toLowerCase() === account.exactId.toLowerCase();

/**
 * Whom a quote prices, and in which connection. A b2b key names any customer of its connection; a b2c key quotes
 * for its channel's default account (naming another is the 422 `customer_not_allowed` orders give); the operator
 * names the connection and any customer in it.
 */
export async function quoteCustomer(
  db: Database,
  storefront: Storefront | undefined,
  body: QuoteBody,
): Promise<{ connectionId: string; account: PricingAccount }> {
  if (storefront && body.connectionId !== undefined) {
    throw invalidField('body.connectionId', 'a storefront key prices in its own connection: leave it out');
  }
  const connectionId = storefront?.connectionId ?? body.connectionId;
  if (connectionId === undefined) {
    throw invalidField('body.connectionId', 'the operator names the connection to price in');
  }
  if (storefront?.channel === 'b2c')
    return { connectionId, account: await b2cAccount(db, connectionId, body) };
  if (!body.customer) throw invalidField('body.customer', 'names the customer priced: {code} or {exactId}');
  if (!storefront && !(await findConnection(db, connectionId))) {
    throw invalidField('body.connectionId', 'no connection has this id');
  }
  const account = await findPricingAccount(db, connectionId, body.customer);
  if (!account) {
    const field = 'code' in body.customer ? 'body.customer.code' : 'body.customer.exactId';
    throw invalidField(field, 'no synced account of this connection has it');
  }
  return { connectionId, account };
}

async function b2cAccount(db: Database, connectionId: string, body: QuoteBody): Promise<PricingAccount> {
  const code = (await findConnection(db, connectionId))?.channels.b2c?.defaultAccountCode;
  const account = code === undefined ? undefined : await findPricingAccount(db, connectionId, { code });
  if (body.customer && !(account && sameAccount(account, body.customer))) {
    throw new HttpError(
      422,
      'customer_not_allowed',
      "a b2c key quotes for its channel's default account: leave body.customer out, or name that account",
    );
  }
  if (!account) {
    throw new HttpError(
      422,
      'channel_not_configured',
      code === undefined
        ? 'the b2c channel has no defaultAccountCode to price for; an operator sets it with PATCH /v1/connections/:id'
        : `the b2c channel's default account ${code} is not synced (yet)`,
    );
  }
  return account;
}
