import { z } from 'zod';
import { edmDate } from '../odata.ts';
import { type ChangeSet, emptyChangeSet, MutationError, recordPut } from './changes.ts';
import type { DivisionStore } from './division-store.ts';
import { makeAccount, makeItem, makePrice, makeStock, padAccountCode } from './records.ts';
import type { AnyRecord, EntityName, EntityRecords, StockRecord } from './types.ts';

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
    })
    .partial(),
};

type Input = Record<string, unknown>;

function template(store: DivisionStore, entity: EntityName, input: Input, modified: string): AnyRecord {
  const prng = store.prng;
  if (entity === 'items') return makeItem(prng, ++store.itemSeq, modified);
  if (entity === 'accounts') return makeAccount(prng, ++store.accountSeq, modified);
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
  entity: EntityName,
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

function renameChildren(store: DivisionStore, item: EntityRecords['items'], changes: ChangeSet): void {
  for (const id of [...(store.childrenOfItem.get(item.ID) ?? [])]) {
    const stock = store.get('stock', id);
    const price = store.get('prices', id);
    if (stock)
      changes.events.push({
        entity: 'stock',
        action: 'Update',
        record: store.put('stock', { ...stock, ItemCode: item.Code }),
      });
    if (price)
      changes.events.push({
        entity: 'prices',
        action: 'Update',
        record: store.put('prices', { ...price, ItemCode: item.Code }),
      });
  }
}
