import { z } from 'zod';
import { utcTime } from '../openapi/fields.ts';
import { isoDateTime } from '../validation/dates.ts';
import { queryInt } from '../validation/numbers.ts';
import { code, token } from '../validation/text.ts';

/** Query of every catalogue feed. Unknown parameters are refused, so a typo never silently widens a pull. */
export const catalogQuerySchema = z.strictObject(
  {
    code: code(60).optional(),
    updated_since: isoDateTime.optional(),
    cursor: token(200).optional(),
    limit: queryInt(1, 1_000).default(100),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown parameter ${issue.keys.map((k) => `"${k}"`).join(', ')} (known: code, updated_since, cursor, limit)`
        : undefined,
  },
);
export type CatalogQueryParams = z.infer<typeof catalogQuerySchema>;

const time = utcTime;
const quantity = z.number().nullable();

/** Every synced record carries Exact's ID, its change times and whether it was deleted in Exact. */
const synced = {
  id: z.uuid().describe("Exact's ID"),
  modified: time.nullable().describe('when Exact last changed the record'),
  updatedAt: time.describe('when this service last changed the record: the `updated_since` clock'),
  deleted: z.boolean().describe('a tombstone: listed only to `updated_since` pulls'),
  deletedAt: time.nullable(),
};

const itemViewSchema = z
  .object({
    ...synced,
    code: z.string(),
    description: z.string().nullable(),
    unit: z.string().nullable(),
    isSalesItem: z.boolean(),
    isWebshopItem: z.boolean().nullable(),
    barcode: z.string().nullable(),
    costPrice: z.number().nullable(),
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
    itemId: z.uuid(),
    itemCode: z.string().nullable(),
    warehouseId: z.uuid().nullable(),
    warehouseCode: z.string().nullable(),
    ...stockQuantities,
  })
  .meta({ id: 'StockPosition' });

const stockTotalViewSchema = z
  .object({
    itemId: z.uuid(),
    itemCode: z.string().nullable(),
    warehouses: z.number().int().describe('live stock rows (warehouses) summed'),
    currentStock: z.number(),
    freeStock: z.number(),
    planningIn: z.number(),
    planningOut: z.number(),
    projectedStock: z.number(),
    reservedStock: z.number(),
  })
  .meta({ id: 'StockTotal' });

const priceViewSchema = z
  .object({
    ...synced,
    itemId: z.uuid(),
    itemCode: z.string().nullable(),
    accountId: z.uuid().nullable().describe('set for a customer-specific price'),
    accountCode: z.string().nullable().describe("the account's trimmed code, when that account is synced"),
    currency: z.string().nullable(),
    price: z.number().nullable(),
    quantity: z.number().nullable().describe('the quantity from which the price applies'),
    unit: z.string().nullable(),
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
    status: z.string().nullable(),
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
