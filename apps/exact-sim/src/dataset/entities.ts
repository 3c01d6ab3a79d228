import { DELETED_ENTITY_TYPES, type SyncEndpointPath } from '@exact-sync/exact-schema';
import type { EntityName } from './types.ts';

/** What the API needs to know about each stored entity; its fields come from the schema of `schemaPath`. */
export interface EntityMeta {
  /** Path under `/api/v1/{division}/sync/`. */
  syncPath: string;
  schemaPath: SyncEndpointPath;
  /** `sync/Deleted` EntityType code (Exact's numbering). */
  deletedType: number;
  /** `__metadata.type`. */
  odataType: string;
  /** Webhook topic fired when a record changes. Prices fire `Items` (Key = the item's ID). */
  topic: string;
}

export const ENTITIES: Record<EntityName, EntityMeta> = {
  items: {
    syncPath: 'Logistics/Items',
    schemaPath: 'sync/Logistics/Items',
    deletedType: DELETED_ENTITY_TYPES.Items,
    odataType: 'Exact.Web.Api.Models.Logistics.Item',
    topic: 'Items',
  },
  stock: {
    syncPath: 'Inventory/StockPositions',
    schemaPath: 'sync/Inventory/StockPositions',
    deletedType: DELETED_ENTITY_TYPES.StockPositions,
    odataType: 'Exact.Web.Api.Models.Inventory.StockPosition',
    topic: 'StockPositions',
  },
  prices: {
    syncPath: 'Logistics/SalesItemPrices',
    schemaPath: 'sync/Logistics/SalesItemPrices',
    deletedType: DELETED_ENTITY_TYPES.SalesItemPrices,
    odataType: 'Exact.Web.Api.Models.Logistics.SalesItemPrice',
    topic: 'Items',
  },
  accounts: {
    syncPath: 'CRM/Accounts',
    schemaPath: 'sync/CRM/Accounts',
    deletedType: DELETED_ENTITY_TYPES.Accounts,
    odataType: 'Exact.Web.Api.Models.CRM.Account',
    topic: 'Accounts',
  },
};

export const ENTITY_NAMES: readonly EntityName[] = ['accounts', 'items', 'stock', 'prices'];

export function isEntityName(value: string): value is EntityName {
  return value === 'items' || value === 'stock' || value === 'prices' || value === 'accounts';
}
