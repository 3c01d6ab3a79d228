import { z } from 'zod';
import { edmDate } from '../odata.ts';
import { type ChangeSet, emptyChangeSet, MutationError, recordPut } from './changes.ts';
import type { DivisionStore } from './division-store.ts';
import { catalogueIndex, enrichItem } from './make-catalogue.ts';
import { enrichAccount } from './make-crm.ts';
import { makeAccount, makeItem, makePrice, makeStock, padAccountCode } from './records.ts';
import type { AnyRecord, EntityRecords, StockRecord } from './types.ts';

/** The entities this file upserts; the storefront ones go through upsert-storefront.ts. */
export type CoreEntity = 'items' | 'stock' | 'prices' | 'accounts';
export const isCoreEntity = (entity: string): entity is CoreEntity =>
  entity === 'items' || entity === 'stock' || entity === 'prices' || entity === 'accounts';

const guid = z
  .string()
  .regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, 'must be a GUID')
  .transform((s) => s.toLowerCase());
const edm = z.string().regex(/^\/Date\(-?\d+\)\/$/, 'must be "/Date(ms)/"');
const text = z.string().max(1000);
const common = { ID: guid, Modified: edm, Timestamp: z.number() };

/** Fields a control upsert may set per entity (all optional: missing ones keep or get generated values). */
const SCHEMAS = {
  items: z
    .strictObject({
      ...common,
      Code: text.min(1),
      Description: text,
      IsSalesItem: z.boolean(),
      SalesVatCode: text.nullable(),
      Unit: text.min(1),
      UnitDescription: text.nullable(),
      CostPriceStandard: z.number(),
      Barcode: text.nullable(),
      IsWebshopItem: z.number().int().min(0).max(1),
      ExtraDescription: text.nullable(),
      IsStockItem: z.boolean(),
      IsFractionAllowedItem: z.boolean(),
      ItemGroup: guid.nullable(),
      PictureUrl: text.nullable(),
      PictureThumbnailUrl: text.nullable(),
      StartDate: edm.nullable(),
      EndDate: edm.nullable(),
    })
    .partial(),
  stock: z
    .strictObject({
      ...common,
      ItemId: guid,
      ItemCode: text,
      Warehouse: guid,
      WarehouseCode: text,
      WarehouseDescription: text,
      CurrentStock: z.number(),
      FreeStock: z.number(),
      PlanningIn: z.number(),
      PlanningOut: z.number(),
      ProjectedStock: z.number(),
      ReservedStock: z.number(),
    })
    .partial(),
  prices: z
    .strictObject({
      ...common,
      Item: guid,
      ItemCode: text,
      Account: guid.nullable(),
      Currency: z.string().length(3),
      Price: z.number(),
      Quantity: z.number().nonnegative(),
      Unit: text,
      UnitDescription: text.nullable(),
      NumberOfItemsPerUnit: z.number().positive(),
      DefaultItemUnit: text,
      StartDate: edm.nullable(),
      EndDate: edm.nullable(),
    })
    .partial(),
  accounts: z
    .strictObject({
      ...common,
      Code: text.min(1).max(18),
      Name: text,
      Email: text.nullable(),
      City: text.nullable(),
      Country: text,
      Status: text,
      IsSales: z.boolean(),
      Blocked: z.boolean(),
      Phone: text.nullable(),
      AddressLine1: text.nullable(),
      Postcode: text.nullable(),
      PriceList: guid.nullable(),
      DiscountSales: z.number().min(0).max(1).nullable(),
      SalesVATCode: text.nullable(),
      VATNumber: text.nullable(),
      PaymentConditionSales: text.nullable(),
      SalesCurrency: z.string().length(3),
      Language: text.nullable(),
    })
    .partial(),
};

type Input = Record<string, unknown>;

function template(store: DivisionStore, entity: CoreEntity, input: Input, modified: string): AnyRecord {
  const prng = store.prng;
  if (entity === 'items')
    return enrichItem(prng, makeItem(prng, ++store.itemSeq, modified), catalogueIndex(store));
  if (entity === 'accounts') {
    const lists = [...store.refs.priceLists.values()].map((l) => l.ID);
    return enrichAccount(prng, makeAccount(prng, ++store.accountSeq, modified), lists);
  }
  const itemId = entity === 'stock' ? input.ItemId : input.Item;
  const item = typeof itemId === 'string' ? store.get('items', itemId) : undefined;
  if (!item)
    throw new MutationError(`${entity === 'stock' ? 'ItemId' : 'Item'}: no such item in this division`);
  if (entity === 'prices')
    return makePrice(prng, item, { account: null, quantity: 0, factor: 1.8, modified });
  const warehouse =
    store.warehouses.find((w) => w.ID === input.Warehouse || w.Code === input.WarehouseCode) ??
    store.warehouses[0];
  if (!warehouse) throw new MutationError('Warehouse: the division has no warehouses');
  return makeStock(prng, item, warehouse, modified);
}

/** Keeps stock figures consistent unless the caller set the derived ones explicitly. */
function settleStock(record: StockRecord, input: Input): StockRecord {
  return {
    ...record,
    FreeStock: 'FreeStock' in input ? record.FreeStock : record.CurrentStock - record.ReservedStock,
    ProjectedStock:
      'ProjectedStock' in input
        ? record.ProjectedStock
        : record.CurrentStock + record.PlanningIn - record.PlanningOut,
  };
}

/** Creates or updates exact records; an item's new Code also reaches its stock positions and prices. */
export function upsertRecords(
  store: DivisionStore,
  entity: CoreEntity,
  inputs: readonly unknown[],
  now: number,
): ChangeSet {
  const parsed = inputs.map((raw, i) => {
    const result = SCHEMAS[entity].safeParse(raw);
    if (!result.success)
      throw new MutationError(`records[${i}]: ${z.prettifyError(result.error).replaceAll('\n', ' ')}`);
    return result.data as Input;
  });
  // Check references before writing anything, so a bad batch leaves nothing half-applied.
  parsed.forEach((input, i) => {
    const isNew = typeof input.ID !== 'string' || !store.get(entity, input.ID);
    const itemId = entity === 'stock' ? input.ItemId : entity === 'prices' ? input.Item : undefined;
    if ((isNew && (entity === 'stock' || entity === 'prices')) || itemId !== undefined) {
      if (typeof itemId !== 'string' || !store.get('items', itemId)) {
        throw new MutationError(
          `records[${i}].${entity === 'stock' ? 'ItemId' : 'Item'}: no such item in this division`,
        );
      }
    }
    const missing = missingReference(store, input);
    if (missing) throw new MutationError(`records[${i}].${missing}`);
  });
  const changes = emptyChangeSet();
  const modified = edmDate(now);
  for (const input of parsed) {
    const existing = typeof input.ID === 'string' ? store.get(entity, input.ID) : undefined;
    const base = existing ?? template(store, entity, input, modified);
    const { Timestamp: _ignored, ...fields } = input;
    let record = { ...base, Modified: modified, ...fields } as AnyRecord;
    if (entity === 'accounts')
      record = { ...record, Code: padAccountCode((record as EntityRecords['accounts']).Code) };
    if (entity === 'stock') record = settleStock(record as StockRecord, input);
    if (entity === 'items') record = settleItem(store, record as EntityRecords['items']);
    const stored = store.put(entity, record as EntityRecords[typeof entity]);
    recordPut(changes, entity, stored, !existing);
    if (
      entity === 'items' &&
      existing &&
      (existing as EntityRecords['items']).Code !== (stored as EntityRecords['items']).Code
    ) {
      renameChildren(store, stored as EntityRecords['items'], changes);
    }
  }
  return changes;
}

/** A reference (item group, price list, VAT code) the input names but the division lacks, as `Field: reason`. */
function missingReference(store: DivisionStore, input: Input): string | null {
  if (typeof input.ItemGroup === 'string' && !store.ref('itemGroups', input.ItemGroup))
    return 'ItemGroup: no such item group in this division';
  if (typeof input.PriceList === 'string' && !store.ref('priceLists', input.PriceList))
    return 'PriceList: no such price list in this division';
  const vat = input.SalesVATCode;
  if (typeof vat === 'string' && ![...store.refs.vatCodes.values()].some((v) => v.Code === vat))
    return 'SalesVATCode: no such VAT code in this division';
  return null;
}

/** An item's group and VAT code descriptions follow its group and code. */
function settleItem(store: DivisionStore, item: EntityRecords['items']): EntityRecords['items'] {
  const group = item.ItemGroup === null ? undefined : store.ref('itemGroups', item.ItemGroup);
  const vat = [...store.refs.vatCodes.values()].find((v) => v.Code === item.SalesVatCode);
  return {
    ...item,
    ItemGroupCode: group?.Code ?? null,
    ItemGroupDescription: group?.Description ?? null,
    SalesVatCodeDescription: vat?.Description ?? null,
  };
}

function renameChildren(store: DivisionStore, item: EntityRecords['items'], changes: ChangeSet): void {
  for (const id of [...store.links.children('stock', 'ItemId', item.ID)]) {
    const stock = store.get('stock', id);
    if (stock)
      changes.events.push({
        entity: 'stock',
        action: 'Update',
        record: store.put('stock', { ...stock, ItemCode: item.Code }),
      });
  }
  for (const id of [...store.links.children('prices', 'Item', item.ID)]) {
    const price = store.get('prices', id);
    if (price)
      changes.events.push({
        entity: 'prices',
        action: 'Update',
        record: store.put('prices', { ...price, ItemCode: item.Code }),
      });
  }
}
