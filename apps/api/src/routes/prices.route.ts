import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { failures, json } from '../openapi/answers.ts';
import { quoteBodySchema, quoteSchema } from '../pricing/quote.schemas.ts';
import { quote } from '../pricing/quote.ts';
import { quoteCustomer } from '../pricing/quote-customer.ts';

/** Quotes: what a customer pays, computed from the synced data in Postgres (never a call to Exact). */
export async function priceRoutes(instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<ZodTypeProvider>();
  const { db } = app.database;

  app.post(
    '/v1/prices/quote',
    {
      config: { access: ['storefront', 'operator'] },
      schema: {
        tags: ['catalogue'],
        operationId: 'createPriceQuote',
        summary: 'The price a customer pays, line by line',
        description:
          'Prices each line for the customer on the day (today without `date`), from the synced Exact data ' +
          'alone, by the precedence in the service’s README ("Quote pricing"): the customer’s own price, their ' +
          'price list’s volume discount (by period and quantity break), the general price less their ' +
          '`DiscountSales`, the general price. Each line tells its unit, VAT, amounts, the rule that won and ' +
          'every other rule that matched. A b2c key quotes for its channel’s default account.',
        body: quoteBodySchema,
        response: {
          200: json(quoteSchema, 'The price of every line.'),
          ...failures({
            400:
              '`validation_failed`: a bad field, an unknown customer or SKU, an item not for sale on the day, or ' +
              'a unit the item is not sold in (each line named in `details`).',
            401: true,
            422:
              "`customer_not_allowed`: a b2c key named a customer other than its channel's default account. " +
              '`channel_not_configured`: a b2c key while the channel has no (synced) default account.',
            429: true,
          }),
        },
      },
    },
    async (request) => {
      const { connectionId, account } = await quoteCustomer(db, request.storefront, request.body);
      return quote(db, { connectionId, account, body: request.body, today: new Date() });
    },
  );
}
