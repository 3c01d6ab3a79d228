import { z } from 'zod';

/**
 * Small Exact lists without a sync endpoint, read whole through REST with `$select` on a daily plan: price lists and
 * their periods (validity dates), volume discounts (quantity breaks per list period), VAT codes and their dated
 * percentages, item groups, units and warehouses. None has a `sync/Deleted` type: a record missing from a complete
 * read is gone, and is tombstoned.
 */
export const LIST_NAMES = [
  'priceLists',
  'priceListPeriods',
  'volumeDiscounts',
  'vatCodes',
  'vatPercentages',
  'itemGroups',
  'units',
  'warehouses',
] as const;
export type ListName = (typeof LIST_NAMES)[number];
export const listNameSchema = z.enum(LIST_NAMES);

/** The REST endpoint of each list (below `/api/v1/{division}/`). */
export const EXACT_LISTS: Readonly<Record<ListName, { readonly path: string }>> = {
  priceLists: { path: 'sales/SalesPriceLists' },
  priceListPeriods: { path: 'sales/SalesPriceListPeriods' },
  volumeDiscounts: { path: 'sales/SalesPriceListVolumeDiscounts' },
  vatCodes: { path: 'vat/VATCodes' },
  vatPercentages: { path: 'vat/VatPercentages' },
  itemGroups: { path: 'logistics/ItemGroups' },
  units: { path: 'logistics/Units' },
  warehouses: { path: 'inventory/Warehouses' },
};

/** How often each list is read in full: once a day. */
export const LIST_INTERVAL_SECONDS = 86_400;
