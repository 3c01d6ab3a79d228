import { boolean, index, numeric, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { rowVersion, tstz } from './columns.ts';
import { connections } from './connections.ts';

// Every synced row is keyed by connection + Exact ID and keeps Exact's Timestamp (to ignore stale versions and to
// compare with deletions), a tombstone time, and the local change time that storefronts pull with `updated_since`.
const syncedColumns = () => ({
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
  },
  (t) => [
    primaryKey({ columns: [t.connectionId, t.exactId] }),
    index('accounts_code').on(t.connectionId, t.code),
    index('accounts_updated').on(t.connectionId, t.updatedAt, t.exactId),
  ],
);
