import { DELETED_ENTITY_TYPES, type EndpointPath, type SyncEndpointPath } from '@exact-sync/exact-schema';
import type { RefEntityName } from './catalogue-types.ts';
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
  /**
   * Webhook topic fired when a record changes. Prices fire `Items` (Key = the item's ID). Addresses fire none: no
   * list of Exact's topics has one (see `TOPICS` in ../webhooks.ts).
   */
  topic: string | null;
  /** The field whose value is the webhook's Key, and the endpoint its ExactOnlineEndpoint points at. */
  webhookKey: string;
  webhookPath: string;
}

/** `Logistics/Items` for `sync/Logistics/Items`: the paths below `sync/` the schema knows. */
type SyncSubPath = SyncEndpointPath extends `sync/${infer P}` ? P : never;

const meta = (
  syncPath: SyncSubPath,
  deletedType: number,
  odataType: string,
  topic: string | null,
  webhookPath: string,
  webhookKey = 'ID',
): EntityMeta => ({
  syncPath,
  schemaPath: `sync/${syncPath}`,
  deletedType,
  odataType: `Exact.Web.Api.Models.${odataType}`,
  topic,
  webhookKey,
  webhookPath,
});

const T = DELETED_ENTITY_TYPES;

export const ENTITIES: Record<EntityName, EntityMeta> = {
  items: meta('Logistics/Items', T.Items, 'Logistics.Item', 'Items', 'logistics/Items'),
  stock: meta(
    'Inventory/StockPositions',
    T.StockPositions,
    'Inventory.StockPosition',
    'StockPositions',
    'inventory/StockPositions',
  ),
  prices: meta(
    'Logistics/SalesItemPrices',
    T.SalesItemPrices,
    'Logistics.SalesItemPrice',
    'Items',
    'logistics/Items',
    'Item',
  ),
  accounts: meta('CRM/Accounts', T.Accounts, 'CRM.Account', 'Accounts', 'crm/Accounts'),
  addresses: meta('CRM/Addresses', T.Addresses, 'CRM.Address', null, 'crm/Addresses'),
  contacts: meta('CRM/Contacts', T.Contacts, 'CRM.Contact', 'Contacts', 'crm/Contacts'),
  orderHeaders: meta(
    'SalesOrder/SalesOrderHeaders',
    T.SalesOrderHeaders,
    'SalesOrder.SalesOrderHeader',
    'SalesOrders',
    'salesorder/SalesOrders',
    'OrderID',
  ),
  orderLines: meta(
    'SalesOrder/SalesOrderLines',
    T.SalesOrderLines,
    'SalesOrder.SalesOrderLine',
    'SalesOrders',
    'salesorder/SalesOrders',
    'OrderID',
  ),
  deliveries: meta(
    'SalesOrder/GoodsDeliveries',
    T.GoodsDeliveries,
    'SalesOrder.GoodsDelivery',
    'GoodsDeliveries',
    'salesorder/GoodsDeliveries',
    'EntryID',
  ),
  deliveryLines: meta(
    'SalesOrder/GoodsDeliveryLines',
    T.GoodsDeliveryLines,
    'SalesOrder.GoodsDeliveryLine',
    'GoodsDeliveries',
    'salesorder/GoodsDeliveries',
    'EntryID',
  ),
  invoices: meta(
    'SalesInvoice/SalesInvoices',
    T.SalesInvoices,
    'SalesInvoice.SalesInvoice',
    'SalesInvoices',
    'salesinvoice/SalesInvoices',
    'InvoiceID',
  ),
};

/** The sync entities, parents before children (the order a division move re-stamps them in). */
export const ENTITY_NAMES: readonly EntityName[] = [
  'accounts',
  'items',
  'stock',
  'prices',
  'addresses',
  'contacts',
  'orderHeaders',
  'orderLines',
  'deliveries',
  'deliveryLines',
  'invoices',
];

/** The plain REST entities: their list endpoint and `__metadata.type`. */
export const REF_ENTITIES: Record<RefEntityName, { path: EndpointPath; odataType: string }> = {
  itemGroups: { path: 'logistics/ItemGroups', odataType: 'Exact.Web.Api.Models.Logistics.ItemGroup' },
  units: { path: 'logistics/Units', odataType: 'Exact.Web.Api.Models.Logistics.Unit' },
  vatCodes: { path: 'vat/VATCodes', odataType: 'Exact.Web.Api.Models.VAT.VATCode' },
  vatPercentages: { path: 'vat/VatPercentages', odataType: 'Exact.Web.Api.Models.VAT.VatPercentage' },
  warehouses: { path: 'inventory/Warehouses', odataType: 'Exact.Web.Api.Models.Inventory.Warehouse' },
  priceLists: { path: 'sales/SalesPriceLists', odataType: 'Exact.Web.Api.Models.Sales.SalesPriceList' },
  priceListPeriods: {
    path: 'sales/SalesPriceListPeriods',
    odataType: 'Exact.Web.Api.Models.Sales.SalesPriceListPeriod',
  },
  volumeDiscounts: {
    path: 'sales/SalesPriceListVolumeDiscounts',
    odataType: 'Exact.Web.Api.Models.Sales.SalesPriceListVolumeDiscount',
  },
};

export const REF_ENTITY_NAMES = Object.keys(REF_ENTITIES) as RefEntityName[];

/** Every entity the control API can list and mutate. */
export type StoreEntity = EntityName | RefEntityName;
export const STORE_ENTITY_NAMES: readonly StoreEntity[] = [...ENTITY_NAMES, ...REF_ENTITY_NAMES];

export function isEntityName(value: string): value is EntityName {
  return (ENTITY_NAMES as readonly string[]).includes(value);
}

export function isRefEntity(value: string): value is RefEntityName {
  return value in REF_ENTITIES;
}

export function isStoreEntity(value: string): value is StoreEntity {
  return isEntityName(value) || isRefEntity(value);
}
