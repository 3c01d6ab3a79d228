import { boolean, index, numeric, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { rowVersion, tstz } from './columns.ts';
import { connections } from './connections.ts';

// Every synced row is keyed by connection + Exact ID and keeps Exact's Timestamp (to ignore stale versions and to
// compare with deletions), a tombstone time, and the local change time that storefronts pull with `updated_since`.
export const syncedColumns = () => ({
  connectionId: uuid('connection_id')
    .notNull()
    .references(() => connections.id, { onDelete: 'cascade' }),
  exactId: uuid('exact_id').notNull(),
  timestamp: rowVersion('timestamp').notNull(),
  modified: tstz('modified'),
  deletedAt: tstz('deleted_at'),
  /** Last time a sync run saw this row in Exact: a full resync tombstones rows it did not see. */
  seenAt: tstz('seen_at').notNull().defaultNow(),
  updatedAt: tstz('updated_at').notNull().defaultNow(),
});

export const items = pgTable(
  'items',
  {
    ...syncedColumns(),
    code: text('code').notNull(),
    description: text('description'),
    unit: text('unit'),
    isSalesItem: boolean('is_sales_item').notNull().default(true),
    isWebshopItem: boolean('is_webshop_item'),
    barcode: text('barcode'),
    costPrice: numeric('cost_price'),
    // Storefront fields (nullable: rows synced before they existed have none until their next change or resync).
    extraDescription: text('extra_description'),
    unitDescription: text('unit_description'),
    salesVatCode: text('sales_vat_code'),
    itemGroupId: uuid('item_group_id'),
    itemGroupCode: text('item_group_code'),
    itemGroupDescription: text('item_group_description'),
    pictureUrl: text('picture_url'),
    pictureThumbnailUrl: text('picture_thumbnail_url'),
    /** Exact's validity of the item: outside [startDate, endDate) the item is not (or no longer) sold. */
    startDate: tstz('start_date'),
    endDate: tstz('end_date'),
    isStockItem: boolean('is_stock_item'),
    isFractionAllowedItem: boolean('is_fraction_allowed_item'),
  },
  (t) => [
    primaryKey({ columns: [t.connectionId, t.exactId] }),
    index('items_code').on(t.connectionId, t.code),
    index('items_updated').on(t.connectionId, t.updatedAt, t.exactId),
  ],
);

export const stockPositions = pgTable(
  'stock_positions',
  {
    ...syncedColumns(),
    itemId: uuid('item_id').notNull(),
    itemCode: text('item_code'),
    warehouseId: uuid('warehouse_id'),
    warehouseCode: text('warehouse_code'),
    warehouseDescription: text('warehouse_description'),
    currentStock: numeric('current_stock'),
    freeStock: numeric('free_stock'),
    planningIn: numeric('planning_in'),
    planningOut: numeric('planning_out'),
    projectedStock: numeric('projected_stock'),
    reservedStock: numeric('reserved_stock'),
  },
  (t) => [
    primaryKey({ columns: [t.connectionId, t.exactId] }),
    index('stock_item').on(t.connectionId, t.itemCode),
    // Per-item totals add up every warehouse of the items on a page, found by item id (the code may be unknown).
    index('stock_item_id').on(t.connectionId, t.itemId),
    index('stock_updated').on(t.connectionId, t.updatedAt, t.exactId),
  ],
);

export const salesItemPrices = pgTable(
  'sales_item_prices',
  {
    ...syncedColumns(),
    itemId: uuid('item_id').notNull(),
    itemCode: text('item_code'),
    /** Set for customer-specific prices. */
    accountId: uuid('account_id'),
    currency: text('currency'),
    price: numeric('price'),
    quantity: numeric('quantity'),
    unit: text('unit'),
    /** How many of the item's default unit one `unit` holds (a box of 12: 12); 1 in the item's own unit. */
    numberOfItemsPerUnit: numeric('number_of_items_per_unit'),
    defaultItemUnit: text('default_item_unit'),
    startDate: tstz('start_date'),
    endDate: tstz('end_date'),
  },
  (t) => [
    primaryKey({ columns: [t.connectionId, t.exactId] }),
    index('prices_item').on(t.connectionId, t.itemCode),
    index('prices_updated').on(t.connectionId, t.updatedAt, t.exactId),
  ],
);

export const accounts = pgTable(
  'accounts',
  {
    ...syncedColumns(),
    /** Exact's code with its left padding trimmed. */
    code: text('code').notNull(),
    name: text('name'),
    email: text('email'),
    city: text('city'),
    country: text('country'),
    status: text('status'),
    blocked: boolean('blocked'),
    // Storefront fields: the visit address, pricing and VAT of the customer.
    addressLine1: text('address_line1'),
    addressLine2: text('address_line2'),
    addressLine3: text('address_line3'),
    postcode: text('postcode'),
    state: text('state'),
    /** The account's default sales price list (`sales/SalesPriceLists` ID). */
    priceListId: uuid('price_list_id'),
    /** Default sales discount as a fraction (5.5 % is 0.055). */
    discountSales: numeric('discount_sales'),
    salesVatCode: text('sales_vat_code'),
    vatNumber: text('vat_number'),
    vatLiability: text('vat_liability'),
    paymentConditionSales: text('payment_condition_sales'),
    salesCurrency: text('sales_currency'),
  },
  (t) => [
    primaryKey({ columns: [t.connectionId, t.exactId] }),
    index('accounts_code').on(t.connectionId, t.code),
    index('accounts_updated').on(t.connectionId, t.updatedAt, t.exactId),
  ],
);
