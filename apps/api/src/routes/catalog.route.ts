import {
  type CatalogQuery,
  findAccountByCode,
  findConnection,
  type ItemRow,
  listAccounts,
  listItems,
  listPrices,
  listStock,
  pricesOfItems,
  stockOfItems,
  stockTotals,
} from '@exact-sync/db';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import {
  accountFeedSchema,
  accountQuerySchema,
  type ExpandedItemView,
  itemFeedSchema,
  itemParamsSchema,
  itemQuerySchema,
  type OneItemQueryParams,
  oneItemQuerySchema,
  oneItemSchema,
  priceFeedSchema,
  priceQuerySchema,
  skuQuerySchema,
  stockFeedSchema,
} from '../catalog/catalog.schemas.ts';
import {
  toAccountView,
  toItemStock,
  toItemView,
  toPriceView,
  toStockTotals,
  toStockView,
} from '../catalog/catalog-view.ts';
import { HttpError, invalidField, notFound } from '../errors.ts';
import { failures, json } from '../openapi/answers.ts';
import { storefrontOf } from '../plugins/auth.plugin.ts';

const PULLS =
  '`?sku=` (`?code=` on accounts) filters by code; `?updated_since=` lists rows changed after that time, deleted ones as tombstones ' +
  '(`deleted: true`); without it only live rows are listed. Follow `nextCursor` (with the same parameters) ' +
  'until it is null.';

/** The storefront's connection and its query, in the repository's terms. */
type FeedParams = { updated_since?: string | undefined; cursor?: string | undefined; limit: number };

function catalogQuery(
  request: FastifyRequest,
  q: FeedParams & { sku?: string | readonly string[] | undefined; code?: string | undefined },
  settleMs: number,
): CatalogQuery {
  return {
    connectionId: storefrontOf(request).connectionId,
    ...(Array.isArray(q.sku) ? { codes: q.sku } : { code: (q.sku as string | undefined) ?? q.code }),
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

const ITEMS =
  '`?sku=` takes one item code or several, separated by commas; `?webshop=true` keeps the webshop items; `?q=` ' +
  'finds a part of the code or name. Items that are not sales items, and items Exact ended (`endDate` passed), are ' +
  'left out of plain listings unless `?include=not_for_sale`, `?include=ended`; `updated_since` pulls list them ' +
  '(marked `isSalesItem: false`, `ended: true`), so a local copy learns that an item left the sale. `?expand=stock,price` adds each item’s stock (totals, zeros when it has none, and ' +
  'per warehouse) and its live prices (with `?customer=<account code>`, that customer’s own too).';

const B2C_PRICES =
  "A b2c key sees the general prices and its channel's default account's own, never another customer's.";
const B2C_CUSTOMER = '`forbidden`: a b2c key named a `customer` other than its channel’s default account.';

/** Catalogue reads for storefronts: the synced data of the key's connection, straight from Postgres. */
export async function catalogRoutes(instance: FastifyInstance, options: { settleMs: number }): Promise<void> {
  const app = instance.withTypeProvider<ZodTypeProvider>();
  const { db } = app.database;

  /**
   * A b2c key sees the customer-specific prices of its channel's default account only (the account its orders are
   * booked on), and none when that account is not set or not synced. Undefined for b2b keys: they see every one.
   */
  async function b2cAccount(
    request: FastifyRequest,
  ): Promise<{ code: string; exactId: string } | null | undefined> {
    const { connectionId, channel } = storefrontOf(request);
    if (channel !== 'b2c') return undefined;
    const code = (await findConnection(db, connectionId))?.channels.b2c?.defaultAccountCode;
    const account = code === undefined ? undefined : await findAccountByCode(db, connectionId, code);
    return account ? { code: account.code, exactId: account.exactId } : null;
  }

  /** The customer whose own prices `expand=price` adds: none without `customer` (b2c: its default account). */
  async function priceAccounts(request: FastifyRequest, q: OneItemQueryParams): Promise<string[]> {
    if (q.customer !== undefined && !q.expand?.has('price')) {
      throw invalidField('querystring.customer', 'is only used with expand=price');
    }
    const own = await b2cAccount(request);
    if (own !== undefined) {
      if (q.customer !== undefined && q.customer !== own?.code) {
        throw new HttpError(
          403,
          'forbidden',
          "a b2c key sees the prices of its channel's default account only; leave customer out",
        );
      }
      return own ? [own.exactId] : [];
    }
    if (q.customer === undefined) return [];
    const account = await findAccountByCode(db, storefrontOf(request).connectionId, q.customer);
    if (!account) throw invalidField('querystring.customer', 'no synced account has this code');
    return [account.exactId];
  }

  /** Items with what `expand` asks for: three queries for a whole page, whatever its size. */
  async function expandItems(
    request: FastifyRequest,
    rows: readonly ItemRow[],
    q: OneItemQueryParams,
  ): Promise<ExpandedItemView[]> {
    const now = new Date();
    const views: ExpandedItemView[] = rows.map((row) => toItemView(row, now));
    const accountIds = await priceAccounts(request, q);
    if (!q.expand || rows.length === 0) return views;
    const { connectionId } = storefrontOf(request);
    const ids = rows.map((row) => row.exactId);
    const [stockRows, sums, prices] = await Promise.all([
      q.expand.has('stock') ? stockOfItems(db, connectionId, ids) : undefined,
      q.expand.has('stock') ? stockTotals(db, connectionId, ids) : undefined,
      q.expand.has('price') ? pricesOfItems(db, connectionId, ids, { liveAt: now, accountIds }) : undefined,
    ]);
    return views.map((view) => ({
      ...view,
      ...(stockRows &&
        sums && {
          stock: toItemStock(
            stockRows.filter((row) => row.itemId === view.exactId),
            sums.find((sum) => sum.itemId === view.exactId),
          ),
        }),
      ...(prices && {
        prices: prices.filter((row) => row.itemId === view.exactId).map((row) => toPriceView(row, now)),
      }),
    }));
  }

  app.get(
    '/v1/items',
    {
      config: { access: 'storefront' },
      schema: {
        ...schema('listItems', 'Items (`sku` = item code)', itemFeedSchema, 'items', itemQuerySchema),
        description: `${ITEMS} ${PULLS} ${B2C_PRICES}`,
        response: {
          200: json(itemFeedSchema, 'A page of items.'),
          ...failures({ 403: B2C_CUSTOMER }),
        },
      },
    },
    async (request) => {
      const q = request.query;
      const page = await listItems(db, catalogQuery(request, q, options.settleMs), {
        webshop: q.webshop,
        search: q.q,
        salesOnly: !q.include?.has('not_for_sale') && q.updated_since === undefined,
        liveAt: q.include?.has('ended') || q.updated_since !== undefined ? undefined : new Date(),
      });
      return { data: await expandItems(request, page.data, q), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/v1/items/:sku',
    {
      config: { access: 'storefront' },
      schema: {
        tags: ['catalogue'],
        operationId: 'getItem',
        summary: 'One item by its code, sales item or not, ended or not',
        description:
          '`?expand=stock,price` adds its stock (totals, zeros when it has none, and per warehouse) and its live ' +
          `prices (with \`?customer=<account code>\`, that customer’s own too). ${B2C_PRICES}`,
        params: itemParamsSchema,
        querystring: oneItemQuerySchema,
        response: {
          200: json(oneItemSchema, 'The item.'),
          ...failures({ 403: B2C_CUSTOMER, 404: 'No live item with this code.' }),
        },
      },
    },
    async (request) => {
      const { data } = await listItems(db, {
        connectionId: storefrontOf(request).connectionId,
        code: request.params.sku,
        limit: 1,
        settleMs: options.settleMs,
      });
      if (data.length === 0) throw notFound('item');
      const [item] = await expandItems(request, data, request.query);
      return item;
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
        'Sales prices (`sku` = item code); customer-specific ones carry accountExactId and customerCode. Prices ' +
          'whose endDate has passed are left out of plain listings unless `?include=ended`; `updated_since` pulls ' +
          `list them, marked \`live: false\`. ${B2C_PRICES}`,
        priceFeedSchema,
        'prices',
        priceQuerySchema,
      ),
    },
    async (request) => {
      const q = request.query;
      const now = new Date();
      const allTimes = q.include?.has('ended') || q.updated_since !== undefined;
      const own = await b2cAccount(request);
      const page = await listPrices(db, catalogQuery(request, q, options.settleMs), {
        liveAt: allTimes ? undefined : now,
        accountIds: own === undefined ? undefined : own ? [own.exactId] : [],
      });
      return { data: page.data.map((row) => toPriceView(row, now)), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/v1/accounts',
    {
      config: { access: 'storefront' },
      schema: {
        ...schema(
          'listAccounts',
          'Customer accounts (`code` = trimmed account code); b2b keys only',
          accountFeedSchema,
          'accounts',
          accountQuerySchema,
        ),
        response: {
          200: json(accountFeedSchema, 'A page of accounts.'),
          ...failures({ 403: '`forbidden`: a b2c key reads no customer accounts.' }),
        },
      },
    },
    async (request) => {
      if (storefrontOf(request).channel === 'b2c') {
        throw new HttpError(403, 'forbidden', 'a b2c key reads no customer accounts; b2b keys do');
      }
      const page = await listAccounts(db, catalogQuery(request, request.query, options.settleMs));
      return { data: page.data.map(toAccountView), nextCursor: page.nextCursor };
    },
  );
}
