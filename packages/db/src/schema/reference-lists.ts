import { boolean, index, integer, numeric, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { tstz } from './columns.ts';
import { connections } from './connections.ts';

// Exact's small REST lists (no sync endpoint, no Timestamp, no sync/Deleted type), re-read in full daily: a row a
// complete read did not see is tombstoned. `rowHash` is the hash of the stored fields, so `updated_at` moves only
// when something changed.
const listColumns = () => ({
  connectionId: uuid('connection_id')
    .notNull()
    .references(() => connections.id, { onDelete: 'cascade' }),
  exactId: uuid('exact_id').notNull(),
  rowHash: text('row_hash').notNull(),
  deletedAt: tstz('deleted_at'),
  seenAt: tstz('seen_at').notNull().defaultNow(),
  updatedAt: tstz('updated_at').notNull().defaultNow(),
});

/** `sales/SalesPriceLists`. Entity: 1 item, 2 item group. Type: 1 customer, 2 standard. */
export const priceLists = pgTable(
  'price_lists',
  {
    ...listColumns(),
    code: text('code'),
    description: text('description'),
    currency: text('currency'),
    entity: integer('entity'),
    type: integer('type'),
  },
  (t) => [primaryKey({ columns: [t.connectionId, t.exactId] })],
);

/** `sales/SalesPriceListPeriods`: when a list's prices hold. Type: 1 basic, 2 special offer. */
export const priceListPeriods = pgTable(
  'price_list_periods',
  {
    ...listColumns(),
    priceListId: uuid('price_list_id'),
    startDate: tstz('start_date'),
    endDate: tstz('end_date'),
    currency: text('currency'),
    type: integer('type'),
  },
  (t) => [
    primaryKey({ columns: [t.connectionId, t.exactId] }),
    index('price_list_periods_list').on(t.connectionId, t.priceListId),
  ],
);

/**
 * `sales/SalesPriceListVolumeDiscounts`: per period, an item's (or item group's) price from a quantity on.
 * EntryMethod 1: `discount` (a fraction) off the base price; 2: `newPrice`.
 */
export const volumeDiscounts = pgTable(
  'volume_discounts',
  {
    ...listColumns(),
    priceListCode: text('price_list_code'),
    priceListPeriodId: uuid('price_list_period_id'),
    itemId: uuid('item_id'),
    itemCode: text('item_code'),
    itemGroupId: uuid('item_group_id'),
    itemGroupCode: text('item_group_code'),
    entryMethod: integer('entry_method'),
    discount: numeric('discount'),
    newPrice: numeric('new_price'),
    basePriceAmount: numeric('base_price_amount'),
    quantity: numeric('quantity'),
    numberOfItemsPerUnit: numeric('number_of_items_per_unit'),
    unit: text('unit'),
  },
  (t) => [
    primaryKey({ columns: [t.connectionId, t.exactId] }),
    index('volume_discounts_period').on(t.connectionId, t.priceListPeriodId),
    index('volume_discounts_item').on(t.connectionId, t.itemId),
  ],
);

/** `vat/VATCodes`. Type: B 0 %, E excluding, I including, N none. */
export const vatCodes = pgTable(
  'vat_codes',
  {
    ...listColumns(),
    code: text('code'),
    description: text('description'),
    percentage: numeric('percentage'),
    type: text('type'),
    charged: boolean('charged'),
    isBlocked: boolean('is_blocked'),
    vatTransactionType: text('vat_transaction_type'),
  },
  (t) => [
    primaryKey({ columns: [t.connectionId, t.exactId] }),
    index('vat_codes_code').on(t.connectionId, t.code),
  ],
);

/** `vat/VatPercentages`: a VAT code's percentage between StartDate and EndDate. */
export const vatPercentages = pgTable(
  'vat_percentages',
  {
    ...listColumns(),
    vatCodeId: uuid('vat_code_id'),
    lineNumber: integer('line_number'),
    percentage: numeric('percentage'),
    startDate: tstz('start_date'),
    endDate: tstz('end_date'),
    type: integer('type'),
  },
  (t) => [
    primaryKey({ columns: [t.connectionId, t.exactId] }),
    index('vat_percentages_code').on(t.connectionId, t.vatCodeId),
  ],
);

/** `logistics/ItemGroups`. */
export const itemGroups = pgTable(
  'item_groups',
  {
    ...listColumns(),
    code: text('code'),
    description: text('description'),
    isDefault: boolean('is_default'),
  },
  (t) => [primaryKey({ columns: [t.connectionId, t.exactId] })],
);

/** `logistics/Units`. */
export const units = pgTable(
  'units',
  {
    ...listColumns(),
    code: text('code'),
    description: text('description'),
    active: boolean('active'),
    main: boolean('main'),
    type: text('type'),
  },
  (t) => [primaryKey({ columns: [t.connectionId, t.exactId] })],
);

/** `inventory/Warehouses`. */
export const warehouses = pgTable(
  'warehouses',
  {
    ...listColumns(),
    code: text('code'),
    description: text('description'),
    main: boolean('main'),
  },
  (t) => [primaryKey({ columns: [t.connectionId, t.exactId] })],
);
