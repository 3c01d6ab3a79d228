import { z } from 'zod';
import { utcTime } from '../openapi/fields.ts';
import { isoDateTime } from '../validation/dates.ts';
import { decimalAnswer } from '../validation/decimals.ts';
import { queryInt } from '../validation/numbers.ts';
import { code, text, token } from '../validation/text.ts';

const feedParams = {
  updated_since: isoDateTime.optional(),
  cursor: token(200).optional(),
  limit: queryInt(1, 1_000).default(100),
};

/** Unknown parameters are refused, so a typo never silently widens a pull. */
const strictQuery = <S extends z.ZodRawShape>(shape: S) =>
  z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown parameter ${issue.keys.map((k) => `"${k}"`).join(', ')} (known: ${Object.keys(shape).join(', ')})`
        : undefined,
  });

/** Query of the stock feed: `sku` is the item code. */
export const skuQuerySchema = strictQuery({ sku: code(60).optional(), ...feedParams });

/** `a,b,c`: each of a fixed set of words, given once or more. */
const wordList = <const W extends readonly [string, ...string[]]>(words: W) =>
  z
    .string()
    .refine((value) => value.split(',').every((w) => (words as readonly string[]).includes(w.trim())), {
      error: `must be a comma-separated list of ${words.join(', ')}`,
    })
    .transform((value) => new Set(value.split(',').map((w) => w.trim()) as W[number][]))
    .meta({ description: `comma-separated: ${words.join(', ')}` });

const MAX_SKUS = 100;
const skuList = z
  .string()
  .transform((value) => [...new Set(value.split(','))])
  .pipe(z.array(code(60)).max(MAX_SKUS, `must list at most ${MAX_SKUS} SKUs`))
  .meta({
    description: `one item code, or up to ${MAX_SKUS} separated by commas (\`CAN-000003,CAN-000004\`)`,
  });

/** `true` or `false` in a query string. */
const queryBool = z
  .enum(['true', 'false'], { error: 'must be true or false' })
  .transform((value) => value === 'true');

const itemViewParams = {
  expand: wordList(['stock', 'price'] as const)
    .optional()
    .describe(
      '`stock`: each item with its stock totals and warehouses (zeros when it has none); `price`: each item with ' +
        "its live prices: the general ones and, with `customer`, that customer's",
    ),
  customer: code(18)
    .optional()
    .describe("an account code: with `expand=price`, that customer's own prices are added"),
};

/** Query of the items list: filters, and what to add to each item. */
export const itemQuerySchema = strictQuery({
  sku: skuList.optional(),
  webshop: queryBool.optional().describe("only items whose webshop flag (Exact's `IsWebshopItem`) is this"),
  q: text(100).optional().describe('a case-insensitive part of the item code or name'),
  include: wordList(['not_for_sale', 'ended'] as const)
    .optional()
    .describe(
      '`not_for_sale`: also list items that are not sales items (marked `isSalesItem: false`); `ended`: also ' +
        'items whose `endDate` has passed (marked `ended: true`)',
    ),
  ...itemViewParams,
  ...feedParams,
});

/** Query of one item: what to add to it. */
export const oneItemQuerySchema = strictQuery(itemViewParams);
export type OneItemQueryParams = z.infer<typeof oneItemQuerySchema>;

export const itemParamsSchema = z.object({ sku: code(60) });

/** Query of the prices feed. */
export const priceQuerySchema = strictQuery({
  sku: code(60).optional(),
  include: wordList(['ended'] as const)
    .optional()
    .describe('`ended`: also list prices whose `endDate` has passed (marked `live: false`)'),
  ...feedParams,
});

/** Query of the accounts feed: `code` is the account's trimmed code. */
export const accountQuerySchema = strictQuery({ code: code(60).optional(), ...feedParams });

const time = utcTime;
const quantity = decimalAnswer.nullable();

/** Every synced record carries Exact's ID, its change times and whether it was deleted in Exact. */
const synced = {
  exactId: z.uuid().describe("Exact's ID"),
  exactModifiedAt: time.nullable().describe("when Exact last changed the record (Exact's `Modified`)"),
  updatedAt: time.describe('when this service last changed the record: the `updated_since` clock'),
  deleted: z.boolean().describe('a tombstone: listed only to `updated_since` pulls'),
  deletedAt: time.nullable(),
};

const itemViewSchema = z
  .object({
    ...synced,
    sku: z.string().describe("the item's code"),
    name: z.string().nullable().describe("Exact's `Description`"),
    unitCode: z.string().nullable().describe("the item's default sales unit (Exact's `Unit`)"),
    isSalesItem: z.boolean(),
    isWebshopItem: z.boolean().nullable(),
    barcode: z.string().nullable(),
    endDate: time.nullable().describe("Exact's `EndDate`: from then on the item is no longer sold"),
    ended: z.boolean().describe('true once `endDate` has passed: Exact ended the item'),
  })
  .meta({ id: 'Item' });

const stockQuantities = {
  currentStock: quantity,
  freeStock: quantity,
  planningIn: quantity,
  planningOut: quantity,
  projectedStock: quantity,
  reservedStock: quantity,
};

const stockViewSchema = z
  .object({
    ...synced,
    itemExactId: z.uuid(),
    sku: z.string().nullable(),
    warehouseExactId: z.uuid().nullable(),
    warehouseCode: z.string().nullable(),
    ...stockQuantities,
  })
  .meta({ id: 'StockPosition' });

const stockTotalViewSchema = z
  .object({
    itemExactId: z.uuid(),
    sku: z.string().nullable(),
    warehouses: z.number().int().describe('live stock rows (warehouses) summed'),
    currentStock: decimalAnswer,
    freeStock: decimalAnswer,
    planningIn: decimalAnswer,
    planningOut: decimalAnswer,
    projectedStock: decimalAnswer,
    reservedStock: decimalAnswer,
  })
  .meta({ id: 'StockTotal' });

const priceViewSchema = z
  .object({
    ...synced,
    itemExactId: z.uuid(),
    sku: z.string().nullable(),
    accountExactId: z.uuid().nullable().describe('set for a customer-specific price'),
    customerCode: z.string().nullable().describe("the account's trimmed code, when that account is synced"),
    currency: z.string().nullable(),
    price: decimalAnswer.nullable(),
    quantity: decimalAnswer.nullable().describe('the quantity from which the price applies'),
    unitCode: z.string().nullable(),
    startDate: time.nullable(),
    endDate: time.nullable(),
    live: z.boolean().describe('false once `endDate` has passed: the price no longer applies'),
  })
  .meta({ id: 'Price' });

const accountViewSchema = z
  .object({
    ...synced,
    code: z.string().describe("trimmed of Exact's padding"),
    name: z.string().nullable(),
    email: z.string().nullable(),
    city: z.string().nullable(),
    country: z.string().nullable(),
    status: z
      .enum(['none', 'suspect', 'prospect', 'customer'])
      .nullable()
      .describe("Exact's `Status` in words (A none, S suspect, P prospect, C customer)"),
    statusCode: z.string().nullable().describe("Exact's `Status` code (`C`, `P`, `S`, `A`)"),
    blocked: z.boolean().nullable(),
  })
  .meta({ id: 'Account' });

const warehouseStockSchema = z
  .object({
    exactId: z.uuid().describe("the stock position's Exact ID"),
    warehouseExactId: z.uuid().nullable(),
    warehouseCode: z.string().nullable(),
    ...stockQuantities,
  })
  .meta({ id: 'WarehouseStock' });

const itemStockSchema = stockTotalViewSchema
  .omit({ itemExactId: true, sku: true })
  .extend({ byWarehouse: z.array(warehouseStockSchema).describe('each live warehouse row of the item') })
  .meta({
    id: 'ItemStock',
    description: 'The item’s stock over all its live warehouses (zeros when none), and per warehouse.',
  });

/** An item, with its stock and prices when `expand` asks for them. */
const expandedItemSchema = itemViewSchema
  .extend({
    stock: itemStockSchema.optional().describe('with `expand=stock`'),
    prices: z
      .array(priceViewSchema)
      .optional()
      .describe('with `expand=price`: live prices by quantity break'),
  })
  .meta({ id: 'ExpandedItem' });

export const oneItemSchema = expandedItemSchema;

const page = <T extends z.ZodType>(row: T) =>
  z.object({ data: z.array(row), nextCursor: z.string().nullable() });
const follow = 'follow `nextCursor` (with the same parameters) until it is null';

export const itemFeedSchema = page(expandedItemSchema).meta({
  id: 'ItemPage',
  description: `Items; ${follow}.`,
});
export const priceFeedSchema = page(priceViewSchema).meta({
  id: 'PricePage',
  description: `Prices; ${follow}.`,
});
export const accountFeedSchema = page(accountViewSchema).meta({
  id: 'AccountPage',
  description: `Accounts; ${follow}.`,
});
export const stockFeedSchema = page(stockViewSchema)
  .extend({
    totals: z.array(stockTotalViewSchema).describe('one per item on the page, over all its live warehouses'),
  })
  .meta({ id: 'StockPage', description: `Stock positions, with totals per item; ${follow}.` });

export type ItemView = z.infer<typeof itemViewSchema>;
export type ExpandedItemView = z.infer<typeof expandedItemSchema>;
export type ItemStockView = z.infer<typeof itemStockSchema>;
export type StockView = z.infer<typeof stockViewSchema>;
export type StockTotalView = z.infer<typeof stockTotalViewSchema>;
export type PriceView = z.infer<typeof priceViewSchema>;
export type AccountView = z.infer<typeof accountViewSchema>;
