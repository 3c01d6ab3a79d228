import { z } from 'zod';
import { DEMO } from '../openapi/demo-data.ts';
import { calendarDate, guid } from '../openapi/fields.ts';
import { isoDate } from '../validation/dates.ts';
import { DECIMAL_SCALE, decimal, decimalAnswer } from '../validation/decimals.ts';
import { code } from '../validation/text.ts';

/** At most this many lines in one quote. */
const MAX_QUOTE_LINES = 500;

const quoteCustomerSchema = z
  .union([z.object({ code: code(18) }).strict(), z.object({ exactId: z.uuid('must be a GUID') }).strict()], {
    error: 'must be {code} or {exactId}',
  })
  .meta({
    id: 'QuoteCustomer',
    description:
      'The Exact customer priced, by account `code` or `exactId`. A b2c key quotes for its channel’s default ' +
      'account: it may leave this out or name that account, no other.',
  });

const quoteRequestLineSchema = z
  .object({
    sku: code(30),
    quantity: decimal({ positive: true }).describe(
      `in the line's unit: a decimal string greater than 0, at most ${DECIMAL_SCALE} decimals`,
    ),
    unitCode: code(10)
      .optional()
      .describe("Exact's unit code (`pc`, `box`); without it, the item's own unit"),
  })
  .strict()
  .meta({ id: 'QuoteRequestLine' });

export const quoteBodySchema = z
  .object({
    customer: quoteCustomerSchema.optional(),
    connectionId: z
      .uuid('must be a UUID')
      .optional()
      .describe('operators only (a storefront key fixes its connection): the connection to price in'),
    date: isoDate
      .optional()
      .describe('the day priced (validity of prices, periods and VAT); without it, today (UTC)'),
    lines: z
      .array(quoteRequestLineSchema)
      .min(1, 'must hold at least one line')
      .max(MAX_QUOTE_LINES, `must hold at most ${MAX_QUOTE_LINES} lines`),
  })
  .strict()
  .meta({
    id: 'QuoteRequest',
    description: 'What a customer would pay for these lines on a day, from the synced Exact data.',
    examples: [{ customer: { code: DEMO.customerCode }, lines: [{ sku: DEMO.sku, quantity: '12' }] }],
  });
export type QuoteBody = z.infer<typeof quoteBodySchema>;

const ruleSchema = z.enum(['customer_price', 'price_list', 'account_discount', 'general_price']).meta({
  id: 'PriceRule',
  description:
    'Where a price came from, in order of precedence: `customer_price` (the customer’s own SalesItemPrice), ' +
    '`price_list` (a volume discount of the customer’s price list), `account_discount` (the general price less ' +
    'the account’s DiscountSales), `general_price` (the general SalesItemPrice).',
});

const ruleMatchSchema = z
  .object({
    rule: ruleSchema,
    unitPrice: decimalAnswer.describe('the unit price this rule gives'),
    source: z.enum(['sales_item_price', 'volume_discount']).describe('the Exact entity the row is from'),
    sourceExactId: guid.describe("the row's Exact ID"),
    quantityBreak: decimalAnswer.describe("the row's Quantity: the break reached"),
    priceListPeriodExactId: guid.nullable().describe('for `price_list`: the period'),
    entryMethod: z
      .number()
      .int()
      .nullable()
      .describe('for `price_list`: 1 a discount off the general price, 2 a new price'),
    unitFactor: decimalAnswer
      .nullable()
      .describe("set when converted from the item's unit: how many of it one line unit holds"),
  })
  .meta({ id: 'PriceRuleMatch' });

const quoteLineSchema = z
  .object({
    sku: z.string(),
    quantity: decimalAnswer,
    unitCode: z.string().nullable().describe('the unit of quantity and prices'),
    itemUnitCode: z.string().nullable().describe("the item's own unit (Exact's DefaultItemUnit)"),
    itemsPerUnit: decimalAnswer.describe(
      "how many of the item's unit one `unitCode` holds (NumberOfItemsPerUnit)",
    ),
    rule: z.union([ruleSchema, z.literal('none')]).describe('the rule the price came from; `none`: no price'),
    unitPrice: decimalAnswer.nullable().describe('the price of one `unitCode`, as Exact would book it'),
    basePrice: decimalAnswer
      .nullable()
      .describe("the general price at break 1 (Exact's UnitPrice on the line)"),
    currency: z.string().nullable(),
    vatCode: z.string().nullable().describe("the customer's SalesVATCode, else the item's SalesVatCode"),
    vatPercentage: decimalAnswer.nullable().describe('the percentage on the date (`"21"`)'),
    pricesIncludeVat: z
      .boolean()
      .nullable()
      .describe('whether `unitPrice` includes VAT (a VAT code of type I)'),
    unitPriceExclVat: decimalAnswer.nullable(),
    unitPriceInclVat: decimalAnswer.nullable(),
    amountExclVat: decimalAnswer.nullable().describe('quantity × unitPrice without VAT, in cents'),
    vatAmount: decimalAnswer.nullable(),
    amountInclVat: decimalAnswer.nullable(),
    matched: z
      .array(ruleMatchSchema)
      .describe('every rule that matched, the one that won first, so a shop can check'),
  })
  .meta({ id: 'QuoteLine' });

export const quoteSchema = z
  .object({
    customer: z.object({ code: z.string(), exactId: guid }).meta({ id: 'QuotedCustomer' }),
    date: calendarDate,
    lines: z.array(quoteLineSchema),
  })
  .meta({
    id: 'Quote',
    description: 'The price of each line, with its VAT, its rule and the other rules that matched.',
  });
export type QuoteView = z.infer<typeof quoteSchema>;
export type QuoteLineView = QuoteView['lines'][number];
