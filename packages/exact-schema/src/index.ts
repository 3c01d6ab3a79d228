import { accounts, items, salesOrderLines, salesOrders, webhookSubscriptions } from './crud.endpoints.ts';
import type { EndpointSchema } from './edm.ts';
import {
  itemGroups,
  salesPriceListPeriods,
  salesPriceLists,
  salesPriceListVolumeDiscounts,
  units,
  vatCodes,
  vatPercentages,
  warehouses,
} from './reference.endpoints.ts';
import {
  syncAccounts,
  syncDeleted,
  syncItems,
  syncSalesItemPrices,
  syncStockPositions,
} from './sync-service.endpoints.ts';
import {
  syncAddresses,
  syncContacts,
  syncGoodsDeliveries,
  syncGoodsDeliveryLines,
  syncSalesInvoices,
  syncSalesOrderHeaders,
  syncSalesOrderLines,
} from './sync-storefront.endpoints.ts';
import { divisions, me } from './system.endpoints.ts';

export type {
  EdmType,
  /** @internal */
  EndpointSchema,
} from './edm.ts';
export { DELETED_ENTITY_TYPES } from './sync-service.endpoints.ts';

const ALL = [
  syncItems,
  syncStockPositions,
  syncSalesItemPrices,
  syncAccounts,
  syncDeleted,
  syncAddresses,
  syncContacts,
  syncSalesOrderHeaders,
  syncSalesOrderLines,
  syncGoodsDeliveries,
  syncGoodsDeliveryLines,
  syncSalesInvoices,
  items,
  accounts,
  salesOrders,
  salesOrderLines,
  webhookSubscriptions,
  divisions,
  me,
  salesPriceListVolumeDiscounts,
  salesPriceLists,
  salesPriceListPeriods,
  vatCodes,
  vatPercentages,
  itemGroups,
  units,
  warehouses,
] as const;

type Schema = { readonly [E in (typeof ALL)[number] as E['path']]: E };

/** Every Exact endpoint the service or its simulator touches, by path (below `/api/v1/{division}/`). */
export const EXACT_SCHEMA = Object.fromEntries(ALL.map((e) => [e.path, e])) as unknown as Schema;

/** A path of the schema, e.g. `sync/Inventory/StockPositions`. */
export type EndpointPath = keyof Schema;
/** The sync endpoints (their paths start with `sync/`). */
export type SyncEndpointPath = Extract<EndpointPath, `sync/${string}`>;
/** A field the endpoint has: what a `$select` may name. */
export type SelectableField<P extends EndpointPath> = keyof Schema[P]['fields'] & string;
/** A field a `$filter` on the endpoint may use. */
export type FilterableField<P extends EndpointPath> = Schema[P]['filterable'][number];
/** A field a POST body to the endpoint may carry. */
export type PostableField<P extends EndpointPath> = Schema[P]['postable'][number];

/**
 * A POST body type whose every key is postable on endpoint P: `Postable<'salesorder/SalesOrders', {...}>` fails to
 * compile when the object type names a field the endpoint lacks or does not accept.
 */
export type Postable<
  P extends EndpointPath,
  T extends { [K in keyof T]: K extends PostableField<P> ? unknown : never },
> = T;

/**
 * Every endpoint of the schema, for code that walks it (the simulator, conformance tests).
 * @internal (tests read it)
 */
export const EXACT_ENDPOINTS: readonly EndpointSchema[] = ALL;
