import { createHash } from 'node:crypto';
import type { ListName } from '@exact-sync/core';
import type { ListRow } from '@exact-sync/db';
import type { EndpointPath, SelectableField } from '@exact-sync/exact-schema';
import { date, decimal, flag, guid, optionalGuid, text } from './exact-fields.ts';

type ExactRecord = Record<string, unknown>;

/**
 * The schema's REST endpoint of each list.
 * @internal (tests read it)
 */
export const LIST_ENDPOINTS = {
  priceLists: 'sales/SalesPriceLists',
  priceListPeriods: 'sales/SalesPriceListPeriods',
  volumeDiscounts: 'sales/SalesPriceListVolumeDiscounts',
  vatCodes: 'vat/VATCodes',
  vatPercentages: 'vat/VatPercentages',
  itemGroups: 'logistics/ItemGroups',
  units: 'logistics/Units',
  warehouses: 'inventory/Warehouses',
} as const satisfies { readonly [L in ListName]: EndpointPath };

interface ListMapping<L extends ListName> {
  /** `$select`: exactly the fields stored, each one the endpoint has (checked by tsc). */
  readonly select: readonly SelectableField<(typeof LIST_ENDPOINTS)[L]>[];
  fields(record: ExactRecord): Omit<ListRow<L>, 'connectionId' | 'exactId' | 'rowHash'>;
}

const int = (value: unknown): number | null => {
  const n =
    typeof value === 'number' ? value : typeof value === 'string' && value !== '' ? Number(value) : NaN;
  return Number.isInteger(n) ? n : null;
};
const code = (value: unknown) => text(value)?.trim() ?? null;

/** How each list is read from Exact and stored: data in, rows out. */
export const LIST_MAPPINGS: { readonly [L in ListName]: ListMapping<L> } = {
  priceLists: {
    select: ['ID', 'Code', 'Description', 'Currency', 'Entity', 'Type'],
    fields: (r) => ({
      code: code(r.Code),
      description: text(r.Description),
      currency: text(r.Currency),
      entity: int(r.Entity),
      type: int(r.Type),
    }),
  },
  priceListPeriods: {
    select: ['ID', 'PriceList', 'StartDate', 'EndDate', 'Currency', 'Type'],
    fields: (r) => ({
      priceListId: optionalGuid(r.PriceList, 'PriceList'),
      startDate: date(r.StartDate),
      endDate: date(r.EndDate),
      currency: text(r.Currency),
      type: int(r.Type),
    }),
  },
  volumeDiscounts: {
    select: [
      'ID',
      'PriceListCode',
      'PriceListPeriod',
      'Item',
      'ItemCode',
      'ItemGroup',
      'ItemGroupCode',
      'EntryMethod',
      'Discount',
      'NewPrice',
      'BasePriceAmount',
      'Quantity',
      'NumberOfItemsPerUnit',
      'Unit',
    ],
    fields: (r) => ({
      priceListCode: code(r.PriceListCode),
      priceListPeriodId: optionalGuid(r.PriceListPeriod, 'PriceListPeriod'),
      itemId: optionalGuid(r.Item, 'Item'),
      itemCode: code(r.ItemCode),
      itemGroupId: optionalGuid(r.ItemGroup, 'ItemGroup'),
      itemGroupCode: code(r.ItemGroupCode),
      entryMethod: int(r.EntryMethod),
      discount: decimal(r.Discount),
      newPrice: decimal(r.NewPrice),
      basePriceAmount: decimal(r.BasePriceAmount),
      quantity: decimal(r.Quantity),
      numberOfItemsPerUnit: decimal(r.NumberOfItemsPerUnit),
      unit: text(r.Unit),
    }),
  },
  vatCodes: {
    select: ['ID', 'Code', 'Description', 'Percentage', 'Type', 'Charged', 'IsBlocked', 'VATTransactionType'],
    fields: (r) => ({
      code: code(r.Code),
      description: text(r.Description),
      percentage: decimal(r.Percentage),
      type: text(r.Type),
      charged: flag(r.Charged),
      isBlocked: flag(r.IsBlocked),
      vatTransactionType: text(r.VATTransactionType),
    }),
  },
  vatPercentages: {
    select: ['ID', 'VATCodeID', 'LineNumber', 'Percentage', 'StartDate', 'EndDate', 'Type'],
    fields: (r) => ({
      vatCodeId: optionalGuid(r.VATCodeID, 'VATCodeID'),
      lineNumber: int(r.LineNumber),
      percentage: decimal(r.Percentage),
      startDate: date(r.StartDate),
      endDate: date(r.EndDate),
      type: int(r.Type),
    }),
  },
  itemGroups: {
    select: ['ID', 'Code', 'Description', 'IsDefault'],
    fields: (r) => ({ code: code(r.Code), description: text(r.Description), isDefault: flag(r.IsDefault) }),
  },
  units: {
    select: ['ID', 'Code', 'Description', 'Active', 'Main', 'Type'],
    fields: (r) => ({
      code: code(r.Code),
      description: text(r.Description),
      active: flag(r.Active),
      main: flag(r.Main),
      type: text(r.Type),
    }),
  },
  warehouses: {
    select: ['ID', 'Code', 'Description', 'Main'],
    fields: (r) => ({ code: code(r.Code), description: text(r.Description), main: flag(r.Main) }),
  },
};

/** One record of a list as its row: its fields, and a hash of them so an unchanged row keeps its `updated_at`. */
export function listRow<L extends ListName>(list: L, record: ExactRecord, connectionId: string): ListRow<L> {
  const fields = LIST_MAPPINGS[list].fields(record);
  const rowHash = createHash('sha256').update(JSON.stringify(fields)).digest('base64url');
  return { ...fields, connectionId, exactId: guid(record.ID, 'ID'), rowHash } as ListRow<L>;
}
