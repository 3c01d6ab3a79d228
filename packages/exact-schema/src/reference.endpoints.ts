import type { EndpointSchema } from './edm.ts';
import { SOURCES } from './sources.ts';

// Plain REST lists without a sync version, read whole daily by the worker (apps/worker/src/sync/list-mappers.ts).
const READ_ONLY = { kind: 'crud', postable: [], requiredOnPost: [], pageSize: 60 } as const;
const AUDIT = { Created: 'Edm.DateTime', Modified: 'Edm.DateTime', Division: 'Edm.Int32' } as const;

export const salesPriceListVolumeDiscounts = {
  ...READ_ONLY,
  path: 'sales/SalesPriceListVolumeDiscounts',
  key: 'ID',
  fields: {
    ...AUDIT,
    ID: 'Edm.Guid',
    PriceListCode: 'Edm.String',
    PriceListDescription: 'Edm.String',
    PriceListPeriod: 'Edm.Guid',
    Item: 'Edm.Guid',
    ItemCode: 'Edm.String',
    ItemDescription: 'Edm.String',
    ItemGroup: 'Edm.Guid',
    ItemGroupCode: 'Edm.String',
    ItemGroupDescription: 'Edm.String',
    EntryMethod: 'Edm.Int32',
    Discount: 'Edm.Double',
    NewPrice: 'Edm.Double',
    BasePrice: 'Edm.Guid',
    BasePriceAmount: 'Edm.Double',
    Quantity: 'Edm.Double',
    NumberOfItemsPerUnit: 'Edm.Double',
    SalesUnit: 'Edm.String',
    Unit: 'Edm.String',
    UnitDescription: 'Edm.String',
  },
  filterable: ['ID', 'PriceListPeriod', 'Item'],
  sources: SOURCES.volumeDiscounts,
  fieldsChecked: 'two-sources',
  notes: [
    'The path is sales/…, not salesorder/…. EntryMethod: 1 discount, 2 new price.',
    'Pi-Systems also lists sync/Sales/SalesPriceListVolumeDiscounts; no second source has it, and sync/Deleted has ' +
      'no EntityType for it.',
  ],
} as const satisfies EndpointSchema;

export const salesPriceLists = {
  ...READ_ONLY,
  path: 'sales/SalesPriceLists',
  key: 'ID',
  fields: {
    ...AUDIT,
    ID: 'Edm.Guid',
    Code: 'Edm.String',
    Description: 'Edm.String',
    Currency: 'Edm.String',
    Entity: 'Edm.Int16',
    Type: 'Edm.Int16',
    Notes: 'Edm.String',
  },
  filterable: ['ID', 'Code'],
  sources: SOURCES.priceLists,
  fieldsChecked: 'two-sources',
  notes: ['Entity: 1 item, 2 item group. Type: 1 customer, 2 standard.'],
} as const satisfies EndpointSchema;

export const salesPriceListPeriods = {
  ...READ_ONLY,
  path: 'sales/SalesPriceListPeriods',
  key: 'ID',
  fields: {
    ...AUDIT,
    ID: 'Edm.Guid',
    PriceList: 'Edm.Guid',
    StartDate: 'Edm.DateTime',
    EndDate: 'Edm.DateTime',
    Currency: 'Edm.String',
    Type: 'Edm.Int16',
  },
  filterable: ['ID', 'PriceList'],
  sources: SOURCES.priceListPeriods,
  fieldsChecked: 'two-sources',
  notes: ['Type: 1 basic, 2 special offer.'],
} as const satisfies EndpointSchema;

export const vatCodes = {
  ...READ_ONLY,
  path: 'vat/VATCodes',
  key: 'ID',
  fields: {
    ...AUDIT,
    ID: 'Edm.Guid',
    Code: 'Edm.String',
    Description: 'Edm.String',
    Percentage: 'Edm.Double',
    Type: 'Edm.String',
    Charged: 'Edm.Boolean',
    IsBlocked: 'Edm.Boolean',
    VATTransactionType: 'Edm.String',
  },
  filterable: ['ID', 'Code'],
  sources: SOURCES.vatCodes,
  fieldsChecked: 'two-sources',
  notes: [
    'Type says how VAT relates to the amount (whether prices include VAT): B 0% (base amount only), E excluding, ' +
      'I including, N no VAT.',
    'VATTransactionType: B both, P purchase, S sales. Dated percentages are in vat/VatPercentages.',
  ],
} as const satisfies EndpointSchema;

export const vatPercentages = {
  ...READ_ONLY,
  path: 'vat/VatPercentages',
  key: 'ID',
  fields: {
    ...AUDIT,
    ID: 'Edm.Guid',
    VATCodeID: 'Edm.Guid',
    LineNumber: 'Edm.Int32',
    Percentage: 'Edm.Double',
    StartDate: 'Edm.DateTime',
    EndDate: 'Edm.DateTime',
    Type: 'Edm.Int16',
  },
  filterable: ['ID', 'VATCodeID'],
  sources: SOURCES.vatPercentages,
  fieldsChecked: 'two-sources',
  notes: ['Type: 0 normal, 1 extra duty. StartDate/EndDate bound when the percentage is valid.'],
} as const satisfies EndpointSchema;

export const itemGroups = {
  ...READ_ONLY,
  path: 'logistics/ItemGroups',
  key: 'ID',
  fields: {
    ...AUDIT,
    ID: 'Edm.Guid',
    Code: 'Edm.String',
    Description: 'Edm.String',
    IsDefault: 'Edm.Byte',
    Notes: 'Edm.String',
  },
  filterable: ['ID', 'Code'],
  sources: SOURCES.itemGroups,
  fieldsChecked: 'two-sources',
  notes: ['IsDefault (Edm.Byte): the group a new item gets.'],
} as const satisfies EndpointSchema;

export const units = {
  ...READ_ONLY,
  path: 'logistics/Units',
  key: 'ID',
  fields: {
    ID: 'Edm.Guid',
    Code: 'Edm.String',
    Description: 'Edm.String',
    Active: 'Edm.Boolean',
    Main: 'Edm.Byte',
    Type: 'Edm.String',
    TimeUnit: 'Edm.String',
    Division: 'Edm.Int32',
  },
  filterable: ['ID', 'Code'],
  sources: SOURCES.units,
  fieldsChecked: 'two-sources',
} as const satisfies EndpointSchema;

export const warehouses = {
  ...READ_ONLY,
  path: 'inventory/Warehouses',
  key: 'ID',
  fields: {
    ...AUDIT,
    ID: 'Edm.Guid',
    Code: 'Edm.String',
    Description: 'Edm.String',
    Main: 'Edm.Byte',
    EMail: 'Edm.String',
    UseStorageLocations: 'Edm.Byte',
    DefaultStorageLocation: 'Edm.Guid',
  },
  filterable: ['ID', 'Code'],
  sources: SOURCES.warehouses,
  fieldsChecked: 'two-sources',
  notes: ['Main (Edm.Byte): exactly one main warehouse per division.'],
} as const satisfies EndpointSchema;
