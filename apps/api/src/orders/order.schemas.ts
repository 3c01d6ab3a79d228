import { ORDER_REJECTION_CODES, ORDER_STATUSES, orderReferenceSchema } from '@exact-sync/core';
import { z } from 'zod';
import { DEMO } from '../openapi/demo-data.ts';
import { calendarDate, guid, utcTime } from '../openapi/fields.ts';
import { isoDate, isoDateTime } from '../validation/dates.ts';
import { currencyCode, DECIMAL_SCALE, decimal, decimalAnswer } from '../validation/decimals.ts';
import { queryInt } from '../validation/numbers.ts';
import { code, freeText, text, token } from '../validation/text.ts';

const addressSchema = z
  .object({
    line1: text(100),
    line2: text(100).optional(),
    postcode: text(20).optional(),
    city: text(60),
    country: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 country code'),
  })
  .strict()
  .meta({ id: 'Address' });

/** B2B orders name their Exact customer by code or ID; B2C orders name a consumer, booked on the default account. */
const customerSchema = z
  .union(
    [
      z.object({ code: code(18) }).strict(),
      z.object({ exactId: z.uuid('must be a GUID') }).strict(),
      z
        .object({
          name: text(100),
          email: z.email('must be an email address').max(254, 'must be at most 254 characters').optional(),
          address: addressSchema.optional(),
        })
        .strict(),
    ],
    { error: 'must be {code}, {exactId} or {name, email?, address?}' },
  )
  .meta({
    id: 'OrderCustomer',
    description:
      'b2b: the Exact customer, by account `code` or `exactId`; b2c: the consumer (`name`, `email`, `address`), ' +
      "booked on the channel's default account.",
  });

const orderRequestLineSchema = z
  .object({
    sku: code(30),
    quantity: decimal({ positive: true }).describe(
      `a decimal string greater than 0, at most ${DECIMAL_SCALE} decimals`,
    ),
    unitPrice: decimal()
      .optional()
      .describe(
        `a decimal string in the order's currency, at most ${DECIMAL_SCALE} decimals, per \`unitCode\`; sent to ` +
          'Exact unless the channel lets Exact price its orders',
      ),
    unitCode: code(30)
      .optional()
      .describe(
        "the Exact unit the quantity and price are in (Exact's `UnitCode`); without it, the item's unit",
      ),
  })
  .strict()
  .meta({ id: 'OrderRequestLine' });

export const orderBodySchema = z
  .object({
    reference: orderReferenceSchema,
    customer: customerSchema,
    currency: currencyCode
      .optional()
      .describe("the currency of the order's prices; without it, the customer's currency in Exact"),
    lines: z
      .array(orderRequestLineSchema)
      .min(1, 'must hold at least one line')
      .max(500, 'must hold at most 500 lines'),
    orderDate: isoDate.optional(),
    deliveryDate: isoDate.optional(),
    note: freeText(1_000).optional(),
    deliveryAddressExactId: z
      .uuid('must be a GUID')
      .optional()
      .describe("b2b: where to deliver, one of the customer's addresses in Exact (its `exactId`)"),
    contactExactId: z
      .uuid('must be a GUID')
      .optional()
      .describe("b2b: who ordered, one of the customer's contacts in Exact (its `exactId`)"),
    retryOf: z
      .uuid('must be a UUID')
      .optional()
      .describe(
        'to place a rejected order again under the same `reference`: the `id` of its latest attempt, which must be ' +
          '`rejected`. The new order is the next `attempt`, with `previousAttemptId` set.',
      ),
  })
  .strict()
  .meta({
    id: 'OrderRequest',
    description:
      'An order as a storefront places it; the same `reference` again is answered with that order.',
    examples: [
      {
        reference: '100232',
        customer: { code: DEMO.customerCode },
        lines: [{ sku: DEMO.sku, quantity: '2' }],
      },
    ],
  });
export type OrderBody = z.infer<typeof orderBodySchema>;

const rejectionCodeSchema = z.enum(ORDER_REJECTION_CODES).meta({
  id: 'RejectionCode',
  description: [
    'Why the order was rejected:',
    '`unknown_sku`: a SKU that is neither in the synced catalogue nor found in Exact (also when the key has used',
    'up its hourly lookups in Exact, which the message then says);',
    '`unknown_customer`: a customer code or exactId that is not in Exact (likewise);',
    '`blocked_customer`: the customer is blocked in Exact;',
    '`not_a_sales_item`: the item exists but is not a sales item;',
    '`channel_not_configured`: a b2c order while the channel has no default account;',
    "`unknown_address`: `deliveryAddressExactId` is not one of the customer's synced addresses;",
    "`unknown_contact`: `contactExactId` is not one of the customer's synced contacts;",
    '`exact_rejected`: Exact itself refused the order (its message is in `message`).',
    'All but the last are found before anything is sent to Exact.',
  ].join(' '),
});

/** Every problem found (all lines, not just the first); `field` points into the order as placed. */
const rejectionSchema = z
  .object({
    code: rejectionCodeSchema,
    problems: z.array(
      z
        .object({
          code: rejectionCodeSchema,
          field: z
            .string()
            .nullable()
            .describe(
              'e.g. `customer.code`, `customer.exactId`, `lines.2.sku` (lines count from 0); null for Exact',
            ),
          message: z.string(),
        })
        .meta({ id: 'OrderProblem' }),
    ),
  })
  .meta({ id: 'OrderRejection' })
  .nullable()
  .describe('set when the order is `rejected`: the code of the first problem, and every problem');

const orderStatusSchema = z.enum(ORDER_STATUSES).meta({
  id: 'OrderStatus',
  description:
    '`accepted` (stored, not yet sent to Exact), `submitting`, `submitted` (in Exact), `rejected` (final: ' +
    'see `rejection`), `failed` (a cause outside the order; retried); then, as Exact delivers and invoices it: ' +
    '`partly_delivered`, `delivered`, `invoiced` (final), or `cancelled` (final)',
});

const orderLineSchema = z
  .object({
    sku: z.string(),
    quantity: decimalAnswer,
    unitPrice: decimalAnswer.nullable(),
    unitCode: z.string().nullable().describe("as placed; null: the item's unit"),
  })
  .meta({ id: 'OrderLine' });

const EXAMPLE_TIME = '2026-03-01T12:00:00.000Z';

export const orderViewSchema = z
  .object({
    id: z.uuid(),
    connectionId: z.uuid(),
    channel: z.enum(['b2b', 'b2c']),
    reference: z.string(),
    attempt: z.number().int().describe('1 for the first order of a reference; one more for each new attempt'),
    previousAttemptId: guid.nullable().describe('the rejected attempt this one follows'),
    status: orderStatusSchema,
    statusReason: z.string().nullable(),
    rejection: rejectionSchema,
    exactOrderId: guid.nullable().describe("the order's ID in Exact, once it is there"),
    exactOrderNumber: z.number().nullable().describe("Exact's OrderNumber, once the order is there"),
    customer: z.record(z.string(), z.unknown()).describe('the customer as placed'),
    currency: z
      .string()
      .nullable()
      .describe("the currency of the order's prices as placed; null: the customer's currency in Exact"),
    lines: z.array(orderLineSchema),
    orderDate: calendarDate.nullable(),
    deliveryDate: calendarDate.nullable(),
    note: z.string().nullable(),
    deliveryAddressExactId: guid.nullable(),
    contactExactId: guid.nullable(),
    acceptedAt: utcTime,
    submittedAt: utcTime.nullable(),
    rejectedAt: utcTime.nullable(),
    failedAt: utcTime.nullable(),
    updatedAt: utcTime,
  })
  .meta({
    id: 'Order',
    examples: [
      {
        id: '0b9f4b7e-1d1a-4c47-9a51-3d1e0f5b2a10',
        connectionId: '6f1c2d3e-4a5b-4c6d-8e7f-0a1b2c3d4e5f',
        channel: 'b2b',
        reference: '100232',
        attempt: 1,
        previousAttemptId: null,
        status: 'accepted',
        statusReason: null,
        rejection: null,
        exactOrderId: null,
        exactOrderNumber: null,
        customer: { code: DEMO.customerCode },
        currency: null,
        lines: [{ sku: DEMO.sku, quantity: '2', unitPrice: null, unitCode: null }],
        orderDate: null,
        deliveryDate: null,
        note: null,
        deliveryAddressExactId: null,
        contactExactId: null,
        acceptedAt: EXAMPLE_TIME,
        submittedAt: null,
        rejectedAt: null,
        failedAt: null,
        updatedAt: EXAMPLE_TIME,
      },
    ],
  });
export type OrderView = z.infer<typeof orderViewSchema>;

const exactAmount = decimalAnswer.nullable();
const exactLineSchema = z
  .object({
    lineNumber: z.number().nullable(),
    itemCode: z.string().nullable(),
    description: z.string().nullable(),
    quantity: exactAmount,
    quantityDelivered: exactAmount,
    quantityInvoiced: exactAmount,
    unitCode: z.string().nullable(),
    unitPrice: exactAmount.describe("the item's price in the line's unit before discount"),
    netPrice: exactAmount.describe('the price Exact booked per unit, excluding VAT'),
    amountExclVat: exactAmount,
    vatCode: z.string().nullable(),
    vatPercentage: exactAmount.describe('as Exact sends it'),
    vatAmount: exactAmount,
  })
  .meta({ id: 'ExactOrderLine', description: 'A line of the order as Exact booked it.' });
const exactDeliveryLineSchema = z
  .object({
    itemCode: z.string().nullable(),
    quantityDelivered: exactAmount,
    unitCode: z.string().nullable(),
  })
  .meta({ id: 'ExactDeliveryLine' });
const exactDeliverySchema = z
  .object({
    id: guid.describe("the goods delivery's EntryID"),
    deliveryNumber: z.number().nullable(),
    deliveryDate: utcTime.nullable(),
    trackingNumber: z.string().nullable(),
    lines: z.array(exactDeliveryLineSchema),
  })
  .meta({ id: 'ExactDelivery', description: "A goods delivery of the order's lines." });
const exactInvoiceLineSchema = z
  .object({ itemCode: z.string().nullable(), quantity: exactAmount, amountExclVat: exactAmount })
  .meta({ id: 'ExactInvoiceLine' });
const exactInvoiceSchema = z
  .object({
    id: guid.describe("the invoice's InvoiceID"),
    invoiceNumber: z.number().nullable(),
    invoiceDate: utcTime.nullable(),
    dueDate: utcTime.nullable(),
    currency: z.string().nullable(),
    amountExclVat: decimalAnswer,
    vatAmount: decimalAnswer,
    lines: z.array(exactInvoiceLineSchema),
  })
  .meta({
    id: 'ExactInvoice',
    description: 'A sales invoice of the order (its lines that name this order).',
  });
const exactProgressSchema = z
  .object({
    orderNumber: z.number().nullable().describe("Exact's OrderNumber"),
    status: z.number().nullable().describe("Exact's Status: 12 open, 20 partial, 21 complete, 45 cancelled"),
    deliveryStatus: z.number().nullable().describe('12 open, 20 partly delivered, 21 delivered'),
    invoiceStatus: z.number().nullable().describe('12 open, 20 partly invoiced, 21 invoiced'),
    currency: z.string().nullable(),
    amountInclVat: exactAmount.describe('what Exact booked for the order, VAT included'),
    amountExclVat: exactAmount.describe('the same without VAT'),
    lines: z.array(exactLineSchema),
    deliveries: z.array(exactDeliverySchema),
    invoices: z.array(exactInvoiceSchema),
  })
  .meta({
    id: 'ExactOrderProgress',
    description: "Exact's side of the order as last synced: what it booked, delivered and invoiced.",
  });

/** One order with Exact's side of it: what `GET /v1/orders/{id}` answers. */
export const orderDetailSchema = orderViewSchema
  .extend({
    partlyDeliveredAt: utcTime.nullable(),
    deliveredAt: utcTime.nullable(),
    invoicedAt: utcTime.nullable(),
    cancelledAt: utcTime.nullable(),
    exact: exactProgressSchema
      .nullable()
      .describe('null until the order is in Exact and its header is synced'),
  })
  .meta({ id: 'OrderDetail' });
export type OrderDetailView = z.infer<typeof orderDetailSchema>;

export const orderPageSchema = z
  .object({ data: z.array(orderViewSchema), nextCursor: z.string().nullable() })
  .meta({ id: 'OrderPage', description: 'A page of orders; follow `nextCursor` until it is null.' });

export const orderFeedQuerySchema = z
  .object({
    reference: orderReferenceSchema.optional().describe('every attempt at this reference'),
    status: orderStatusSchema.optional(),
    updated_since: isoDateTime.optional(),
    cursor: token(200).optional(),
    limit: queryInt(1, 1_000).default(100),
  })
  .strict();
