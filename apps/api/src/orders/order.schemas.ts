import { ORDER_REJECTION_CODES, ORDER_STATUSES, orderReferenceSchema } from '@exact-sync/core';
import { z } from 'zod';
import { isoDate, isoDateTime } from '../validation/dates.ts';
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
  .strict();

/** B2B orders name their Exact customer by code or ID; B2C orders name a consumer, booked on the default account. */
const customerSchema = z.union(
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
);

const amount = z.number().finite().max(1e9, 'is too large');

const orderLineSchema = z
  .object({
    sku: code(30),
    quantity: amount.positive('must be greater than 0'),
    unitPrice: amount.nonnegative('must not be negative').optional(),
  })
  .strict();

export const orderBodySchema = z
  .object({
    reference: orderReferenceSchema,
    customer: customerSchema,
    lines: z
      .array(orderLineSchema)
      .min(1, 'must hold at least one line')
      .max(500, 'must hold at most 500 lines'),
    orderDate: isoDate.optional(),
    deliveryDate: isoDate.optional(),
    note: freeText(1_000).optional(),
  })
  .strict();
export type OrderBody = z.infer<typeof orderBodySchema>;

const rejectionCodeSchema = z
  .enum(ORDER_REJECTION_CODES)
  .describe(
    [
      'Why the order was rejected:',
      '`unknown_sku`: a SKU that is neither in the synced catalogue nor found in Exact (also when the key has used',
      'up its hourly lookups in Exact, which the message then says);',
      '`unknown_customer`: a customer code or exactId that is not in Exact (likewise);',
      '`blocked_customer`: the customer is blocked in Exact;',
      '`not_a_sales_item`: the item exists but is not a sales item;',
      '`channel_not_configured`: a b2c order while the channel has no default account;',
      '`exact_rejected`: Exact itself refused the order (its message is in `message`).',
      'All but the last are found before anything is sent to Exact.',
    ].join(' '),
  );

/** Every problem found (all lines, not just the first); `field` points into the order as placed. */
const rejectionSchema = z
  .object({
    code: rejectionCodeSchema,
    problems: z.array(
      z.object({
        code: rejectionCodeSchema,
        field: z
          .string()
          .nullable()
          .describe(
            'e.g. `customer.code`, `customer.exactId`, `lines.2.sku` (lines count from 0); null for Exact',
          ),
        message: z.string(),
      }),
    ),
  })
  .nullable()
  .describe('set when the order is `rejected`: the code of the first problem, and every problem');

export const orderViewSchema = z.object({
  id: z.uuid(),
  connectionId: z.uuid(),
  channel: z.enum(['b2b', 'b2c']),
  reference: z.string(),
  status: z.enum(ORDER_STATUSES),
  statusReason: z.string().nullable(),
  rejection: rejectionSchema,
  exactOrderId: z.string().nullable(),
  exactOrderNumber: z.number().nullable(),
  customer: z.record(z.string(), z.unknown()),
  lines: z.array(z.object({ sku: z.string(), quantity: z.number(), unitPrice: z.number().nullable() })),
  orderDate: z.string().nullable(),
  deliveryDate: z.string().nullable(),
  note: z.string().nullable(),
  acceptedAt: z.string(),
  submittedAt: z.string().nullable(),
  rejectedAt: z.string().nullable(),
  failedAt: z.string().nullable(),
  updatedAt: z.string(),
});
export type OrderView = z.infer<typeof orderViewSchema>;

export const orderFeedQuerySchema = z
  .object({
    status: z.enum(ORDER_STATUSES).optional(),
    updated_since: isoDateTime.optional(),
    cursor: token(200).optional(),
    limit: queryInt(1, 1_000).default(100),
  })
  .strict();

export const errorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});
