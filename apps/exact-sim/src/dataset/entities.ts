import type { EntityName } from './types.ts';

/** What the API needs to know about each stored entity. */
export interface EntityMeta {
  /** Path under `/api/v1/{division}/sync/`. */
  syncPath: string;
  /** `sync/Deleted` EntityType code (Exact's numbering). */
  deletedType: number;
  /** `__metadata.type`. */
  odataType: string;
  /** Webhook topic fired when a record changes. Prices fire `Items` (Key = the item's ID). */
  topic: string;
  fields: readonly string[];
}

export const ENTITIES: Record<EntityName, EntityMeta> = {
  items: {
    syncPath: 'Logistics/Items',
    deletedType: 9,
    odataType: 'Exact.Web.Api.Models.Logistics.Item',
    topic: 'Items',
    fields: [
      'ID',
      'Code',
      'Description',
      'IsSalesItem',
      'SalesVatCode',
      'Unit',
      'UnitDescription',
      'CostPriceStandard',
      'Barcode',
      'IsWebshopItem',
      'Modified',
      'Timestamp',
    ],
  },
  stock: {
    syncPath: 'Inventory/StockPositions',
    deletedType: 15,
    odataType: 'Exact.Web.Api.Models.Inventory.StockPosition',
    topic: 'StockPositions',
    // Exact's sync/Inventory/StockPositions has no Modified field.
    fields: [
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
      'Timestamp',
    ],
  },
  prices: {
    syncPath: 'Logistics/SalesItemPrices',
    deletedType: 8,
    odataType: 'Exact.Web.Api.Models.Logistics.SalesItemPrice',
    topic: 'Items',
    fields: [
      'ID',
      'Item',
      'ItemCode',
      'Account',
      'Currency',
      'Price',
      'Quantity',
      'Unit',
      'StartDate',
      'EndDate',
      'Modified',
      'Timestamp',
    ],
  },
  accounts: {
    syncPath: 'CRM/Accounts',
    deletedType: 2,
    odataType: 'Exact.Web.Api.Models.CRM.Account',
    topic: 'Accounts',
    fields: [
      'ID',
      'Code',
      'Name',
      'Email',
      'City',
      'Country',
      'Status',
      'IsSales',
      'Blocked',
      'Modified',
      'Timestamp',
    ],
  },
};

export const DELETED_FIELDS = [
  'ID',
  'EntityKey',
  'EntityType',
  'DeletedBy',
  'DeletedDate',
  'Division',
  'Timestamp',
];

export const ENTITY_NAMES: readonly EntityName[] = ['accounts', 'items', 'stock', 'prices'];

export function isEntityName(value: string): value is EntityName {
  return value === 'items' || value === 'stock' || value === 'prices' || value === 'accounts';
}
