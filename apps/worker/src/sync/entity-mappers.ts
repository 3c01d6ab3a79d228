import { type EntityName, EXACT_ENTITIES } from '@exact-sync/core';
import type { SyncRow } from '@exact-sync/db';
import type { SelectableField, SyncEndpointPath } from '@exact-sync/exact-schema';
import { date, decimal, flag, guid, optionalGuid, rowVersion, text } from './exact-fields.ts';

type ExactRecord = Record<string, unknown>;

/**
 * The schema's sync endpoint of each stored entity.
 * @internal (tests read it)
 */
export const SYNC_ENDPOINTS = {
  items: 'sync/Logistics/Items',
  stock: 'sync/Inventory/StockPositions',
  prices: 'sync/Logistics/SalesItemPrices',
  accounts: 'sync/CRM/Accounts',
} as const satisfies { readonly [E in EntityName]: SyncEndpointPath };

interface EntityMapping<E extends EntityName> {
  /** Path of the sync endpoint below `sync/`. */
  readonly path: string;
  /** `$select` of the sync call: exactly the fields stored, each one the endpoint has (checked by tsc). */
  readonly select: readonly SelectableField<(typeof SYNC_ENDPOINTS)[E]>[];
  toRow(record: ExactRecord, connectionId: string): SyncRow<E>;
}

const common = (r: ExactRecord, connectionId: string) => ({
  connectionId,
  exactId: guid(r.ID, 'ID'),
  timestamp: rowVersion(r.Timestamp),
  modified: date(r.Modified),
});

/** How each entity is fetched from Exact and stored. */
export const ENTITY_MAPPINGS: { readonly [E in EntityName]: EntityMapping<E> } = {
  items: {
    path: EXACT_ENTITIES.items.syncPath,
    select: [
      'ID',
      'Code',
      'Description',
      'Unit',
      'IsSalesItem',
      'IsWebshopItem',
      'Barcode',
      'CostPriceStandard',
      'ExtraDescription',
      'UnitDescription',
      'SalesVatCode',
      'ItemGroup',
      'ItemGroupCode',
      'ItemGroupDescription',
      'PictureUrl',
      'PictureThumbnailUrl',
      'StartDate',
      'EndDate',
      'IsStockItem',
      'IsFractionAllowedItem',
      'Modified',
      'Timestamp',
    ],
    toRow: (r, connectionId) => ({
      ...common(r, connectionId),
      code: text(r.Code)?.trim() ?? '',
      description: text(r.Description),
      unit: text(r.Unit),
      isSalesItem: flag(r.IsSalesItem) ?? true,
      isWebshopItem: flag(r.IsWebshopItem),
      barcode: text(r.Barcode),
      costPrice: decimal(r.CostPriceStandard),
      extraDescription: text(r.ExtraDescription),
      unitDescription: text(r.UnitDescription),
      salesVatCode: text(r.SalesVatCode)?.trim() ?? null,
      itemGroupId: optionalGuid(r.ItemGroup, 'ItemGroup'),
      itemGroupCode: text(r.ItemGroupCode)?.trim() ?? null,
      itemGroupDescription: text(r.ItemGroupDescription),
      pictureUrl: text(r.PictureUrl),
      pictureThumbnailUrl: text(r.PictureThumbnailUrl),
      startDate: date(r.StartDate),
      endDate: date(r.EndDate),
      isStockItem: flag(r.IsStockItem),
      isFractionAllowedItem: flag(r.IsFractionAllowedItem),
    }),
  },
  stock: {
    path: EXACT_ENTITIES.stock.syncPath,
    select: [
      'ID',
      'ItemId',
      'ItemCode',
      'Warehouse',
      'WarehouseCode',
      'WarehouseDescription',
      'CurrentStock',
      'FreeStock',
      'PlanningIn',
      'PlanningOut',
      'ProjectedStock',
      'ReservedStock',
      // No Modified: Exact's sync/Inventory/StockPositions does not have it (the column stays null).
      'Timestamp',
    ],
    toRow: (r, connectionId) => ({
      ...common(r, connectionId),
      itemId: guid(r.ItemId, 'ItemId'),
      itemCode: text(r.ItemCode)?.trim() ?? null,
      warehouseId: optionalGuid(r.Warehouse, 'Warehouse'),
      warehouseCode: text(r.WarehouseCode)?.trim() ?? null,
      warehouseDescription: text(r.WarehouseDescription),
      currentStock: decimal(r.CurrentStock),
      freeStock: decimal(r.FreeStock),
      planningIn: decimal(r.PlanningIn),
      planningOut: decimal(r.PlanningOut),
      projectedStock: decimal(r.ProjectedStock),
      reservedStock: decimal(r.ReservedStock),
    }),
  },
  prices: {
    path: EXACT_ENTITIES.prices.syncPath,
    select: [
      'ID',
      'Item',
      'ItemCode',
      'Account',
      'Currency',
      'Price',
      'Quantity',
      'Unit',
      'NumberOfItemsPerUnit',
      'DefaultItemUnit',
      'StartDate',
      'EndDate',
      'Modified',
      'Timestamp',
    ],
    toRow: (r, connectionId) => ({
      ...common(r, connectionId),
      itemId: guid(r.Item, 'Item'),
      itemCode: text(r.ItemCode)?.trim() ?? null,
      accountId: optionalGuid(r.Account, 'Account'),
      currency: text(r.Currency),
      price: decimal(r.Price),
      quantity: decimal(r.Quantity),
      unit: text(r.Unit),
      numberOfItemsPerUnit: decimal(r.NumberOfItemsPerUnit),
      defaultItemUnit: text(r.DefaultItemUnit),
      startDate: date(r.StartDate),
      endDate: date(r.EndDate),
    }),
  },
  accounts: {
    path: EXACT_ENTITIES.accounts.syncPath,
    select: [
      'ID',
      'Code',
      'Name',
      'Email',
      'City',
      'Country',
      'Status',
      'Blocked',
      'AddressLine1',
      'AddressLine2',
      'AddressLine3',
      'Postcode',
      'State',
      'PriceList',
      'DiscountSales',
      'SalesVATCode',
      'VATNumber',
      'VATLiability',
      'PaymentConditionSales',
      'SalesCurrency',
      'Modified',
      'Timestamp',
    ],
    toRow: (r, connectionId) => ({
      ...common(r, connectionId),
      // Exact pads account codes with spaces to 18 characters; storefronts know them without.
      code: text(r.Code)?.trim() ?? '',
      name: text(r.Name),
      email: text(r.Email),
      city: text(r.City),
      country: text(r.Country),
      status: text(r.Status),
      blocked: flag(r.Blocked),
      addressLine1: text(r.AddressLine1),
      addressLine2: text(r.AddressLine2),
      addressLine3: text(r.AddressLine3),
      postcode: text(r.Postcode),
      state: text(r.State),
      priceListId: optionalGuid(r.PriceList, 'PriceList'),
      discountSales: decimal(r.DiscountSales),
      salesVatCode: text(r.SalesVATCode)?.trim() ?? null,
      vatNumber: text(r.VATNumber),
      vatLiability: text(r.VATLiability),
      paymentConditionSales: text(r.PaymentConditionSales)?.trim() ?? null,
      salesCurrency: text(r.SalesCurrency),
    }),
  },
};

/**
 * Keeps one version of each ID: the one with the highest Timestamp. A page can hold a record twice when it changed
 * while Exact was paging, and Postgres refuses to upsert one key twice in one statement.
 */
export function dedupeById<R extends { exactId: string; timestamp: bigint }>(rows: R[]): R[] {
  const byId = new Map<string, R>();
  for (const row of rows) {
    const seen = byId.get(row.exactId);
    if (!seen || row.timestamp > seen.timestamp) byId.set(row.exactId, row);
  }
  return [...byId.values()];
}

/**
 * Fields a sync cannot do without: the key, the Timestamp cursor, and what keys and joins need (codes that
 * storefronts look up by, the item of a stock position or price). Exact dropping one of these puts the entity in
 * `error`; any other selected field may be dropped (schema drift) and is then stored as null. The one list of it,
 * so it can later come from the Exact schema package's essential/optional marks.
 */
export const ESSENTIAL_FIELDS: { readonly [E in EntityName]: readonly string[] } = {
  items: ['ID', 'Code', 'Timestamp'],
  stock: ['ID', 'ItemId', 'Timestamp'],
  prices: ['ID', 'Item', 'Timestamp'],
  accounts: ['ID', 'Code', 'Timestamp'],
};

/** The `$select` of an entity's sync call without the fields Exact no longer has. */
export function selectOf(entity: EntityName, dropped: readonly string[]): string[] {
  return ENTITY_MAPPINGS[entity].select.filter((field) => !dropped.includes(field));
}
