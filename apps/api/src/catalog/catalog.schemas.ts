import { z } from 'zod';
import { utcTime } from '../openapi/fields.ts';
import { isoDateTime } from '../validation/dates.ts';
import { decimalAnswer } from '../validation/decimals.ts';
import { queryInt } from '../validation/numbers.ts';
import { code, token } from '../validation/text.ts';

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

/** Query of the item datasets' feeds (stock, prices): `sku` is the item code. */
export const skuQuerySchema = strictQuery({ sku: code(60).optional(), ...feedParams });

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

const page = <T extends z.ZodType>(row: T) =>
  z.object({ data: z.array(row), nextCursor: z.string().nullable() });
const follow = 'follow `nextCursor` (with the same parameters) until it is null';

export const itemFeedSchema = page(itemViewSchema).meta({ id: 'ItemPage', description: `Items; ${follow}.` });
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
export type StockView = z.infer<typeof stockViewSchema>;
export type StockTotalView = z.infer<typeof stockTotalViewSchema>;
export type PriceView = z.infer<typeof priceViewSchema>;
export type AccountView = z.infer<typeof accountViewSchema>;
