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
  type CatalogQueryParams,
  catalogQuerySchema,
  itemFeedSchema,
  priceFeedSchema,
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
  '`?code=` filters by code; `?updated_since=` lists rows changed after that time, deleted ones as tombstones ' +
  '(`deleted: true`); without it only live rows are listed. Follow `nextCursor` (with the same parameters) ' +
  'until it is null.';

/** The storefront's connection and its query, in the repository's terms. */
function catalogQuery(request: FastifyRequest, q: CatalogQueryParams, settleMs: number): CatalogQuery {
  return {
    connectionId: storefrontOf(request).connectionId,
    code: q.code,
    updatedSince: q.updated_since ? new Date(q.updated_since) : undefined,
    cursor: q.cursor,
    limit: q.limit,
    settleMs,
  };
}

const schema = <R extends z.ZodType>(operationId: string, summary: string, page: R, what: string) => ({
  tags: ['catalogue'],
  operationId,
  summary,
  description: PULLS,
  querystring: catalogQuerySchema,
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
      schema: schema('listItems', 'Items (`code` = item code)', itemFeedSchema, 'items'),
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
        'Stock per item and warehouse (`code` = item code), with `totals`: one entry per item on the page, ' +
          'summed over all its live warehouse rows (zeros when none is left)',
        stockFeedSchema,
        'stock positions',
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
        'Sales prices (`code` = item code); customer-specific ones carry accountId and accountCode',
        priceFeedSchema,
        'prices',
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
      ),
    },
    async (request) => {
      const page = await listAccounts(db, catalogQuery(request, request.query, options.settleMs));
      return { data: page.data.map(toAccountView), nextCursor: page.nextCursor };
    },
  );
}
