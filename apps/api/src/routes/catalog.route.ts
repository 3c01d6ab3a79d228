import {
  type CatalogQuery,
  listAccounts,
  listItems,
  listPrices,
  listStock,
  stockTotals,
} from '@exact-sync/db';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import {
  accountFeedSchema,
  accountQuerySchema,
  itemFeedSchema,
  priceFeedSchema,
  skuQuerySchema,
  stockFeedSchema,
} from '../catalog/catalog.schemas.ts';
import {
  toAccountView,
  toItemView,
  toPriceView,
  toStockTotals,
  toStockView,
} from '../catalog/catalog-view.ts';
import { json } from '../openapi/answers.ts';
import { storefrontOf } from '../plugins/auth.plugin.ts';

const PULLS =
  '`?sku=` (`?code=` on accounts) filters by code; `?updated_since=` lists rows changed after that time, deleted ones as tombstones ' +
  '(`deleted: true`); without it only live rows are listed. Follow `nextCursor` (with the same parameters) ' +
  'until it is null.';

/** The storefront's connection and its query, in the repository's terms. */
type FeedParams = { updated_since?: string | undefined; cursor?: string | undefined; limit: number };

function catalogQuery(
  request: FastifyRequest,
  q: FeedParams & { sku?: string | undefined; code?: string | undefined },
  settleMs: number,
): CatalogQuery {
  return {
    connectionId: storefrontOf(request).connectionId,
    code: q.sku ?? q.code,
    updatedSince: q.updated_since ? new Date(q.updated_since) : undefined,
    cursor: q.cursor,
    limit: q.limit,
    settleMs,
  };
}

const schema = <R extends z.ZodType, Q extends z.ZodType>(
  operationId: string,
  summary: string,
  page: R,
  what: string,
  querystring: Q,
) => ({
  tags: ['catalogue'],
  operationId,
  summary,
  description: PULLS,
  querystring,
  response: { 200: json(page, `A page of ${what}.`) },
});

/** Catalogue reads for storefronts: the synced data of the key's connection, straight from Postgres. */
export async function catalogRoutes(instance: FastifyInstance, options: { settleMs: number }): Promise<void> {
  const app = instance.withTypeProvider<ZodTypeProvider>();
  const { db } = app.database;

  app.get(
    '/v1/items',
    {
      config: { access: 'storefront' },
      schema: schema('listItems', 'Items (`sku` = item code)', itemFeedSchema, 'items', skuQuerySchema),
    },
    async (request) => {
      const page = await listItems(db, catalogQuery(request, request.query, options.settleMs));
      return { data: page.data.map(toItemView), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/v1/stock',
    {
      config: { access: 'storefront' },
      schema: schema(
        'listStock',
        'Stock per item and warehouse (`sku` = item code), with `totals`: one entry per item on the page, ' +
          'summed over all its live warehouse rows (zeros when none is left)',
        stockFeedSchema,
        'stock positions',
        skuQuerySchema,
      ),
    },
    async (request) => {
      const query = catalogQuery(request, request.query, options.settleMs);
      const page = await listStock(db, query);
      const itemIds = [...new Set(page.data.map((row) => row.itemId))];
      const sums = await stockTotals(db, query.connectionId, itemIds);
      return {
        data: page.data.map(toStockView),
        nextCursor: page.nextCursor,
        totals: toStockTotals(page.data, sums),
      };
    },
  );

  app.get(
    '/v1/prices',
    {
      config: { access: 'storefront' },
      schema: schema(
        'listPrices',
        'Sales prices (`sku` = item code); customer-specific ones carry accountExactId and customerCode',
        priceFeedSchema,
        'prices',
        skuQuerySchema,
      ),
    },
    async (request) => {
      const page = await listPrices(db, catalogQuery(request, request.query, options.settleMs));
      return { data: page.data.map(toPriceView), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/v1/accounts',
    {
      config: { access: 'storefront' },
      schema: schema(
        'listAccounts',
        'Customer accounts (`code` = trimmed account code)',
        accountFeedSchema,
        'accounts',
        accountQuerySchema,
      ),
    },
    async (request) => {
      const page = await listAccounts(db, catalogQuery(request, request.query, options.settleMs));
      return { data: page.data.map(toAccountView), nextCursor: page.nextCursor };
    },
  );
}
