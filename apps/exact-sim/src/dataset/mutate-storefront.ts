import { z } from 'zod';
import { edmDate } from '../odata.ts';
import type { RefEntityName, RefRecords } from './catalogue-types.ts';
import {
  type ChangeSet,
  deleteIds,
  emptyChangeSet,
  MutationError,
  mergeChangeSets,
  recordPut,
} from './changes.ts';
import { addressSpec, contactSpec } from './crm-specs.ts';
import type { AddressRecord, ContactRecord } from './crm-types.ts';
import type { DivisionStore } from './division-store.ts';
import type { EditSpec, Row } from './edit-spec.ts';
import { type RandomCounts, sample } from './mutate-random.ts';
import { priceListPeriodSpec, priceListSpec, volumeDiscountSpec } from './price-list-specs.ts';
import { itemGroupSpec, unitSpec, vatCodeSpec, vatPercentageSpec, warehouseSpec } from './reference-specs.ts';
import { inputSchema } from './schema-input.ts';
import type { Keyed } from './types.ts';

/** The storefront entities the control API creates, changes and deletes record by record. */
export type EditableEntity = 'addresses' | 'contacts' | RefEntityName;

const SPECS: Record<EditableEntity, EditSpec> = {
  addresses: addressSpec,
  contacts: contactSpec,
  priceLists: priceListSpec,
  priceListPeriods: priceListPeriodSpec,
  volumeDiscounts: volumeDiscountSpec,
  vatCodes: vatCodeSpec,
  vatPercentages: vatPercentageSpec,
  itemGroups: itemGroupSpec,
  units: unitSpec,
  warehouses: warehouseSpec,
};

export const isEditable = (entity: string): entity is EditableEntity => entity in SPECS;

function save(store: DivisionStore, entity: EditableEntity, record: Row): Keyed {
  if (entity === 'addresses') return store.put('addresses', record as unknown as AddressRecord);
  if (entity === 'contacts') return store.put('contacts', record as unknown as ContactRecord);
  return store.putRef(entity, record as unknown as RefRecords[typeof entity]);
}

function live(store: DivisionStore, entity: EditableEntity): Row[] {
  const table = entity === 'addresses' || entity === 'contacts' ? store.tables[entity] : store.refs[entity];
  return [...table.values()] as unknown as Row[];
}

/** Runs `check` and names the record in its MutationError. */
function named<T>(where: string, check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof MutationError) throw new MutationError(`${where}.${error.message}`);
    throw error;
  }
}

/** Creates or updates records from the schema's fields; every record is checked before any is written. */
export function upsertEditable(
  store: DivisionStore,
  entity: EditableEntity,
  inputs: readonly unknown[],
  now: number,
): ChangeSet {
  const spec = SPECS[entity];
  const modified = edmDate(now);
  const ready = inputs.map((raw, i) => {
    const result = inputSchema(spec.schemaPath).safeParse(raw);
    if (!result.success)
      throw new MutationError(`records[${i}]: ${z.prettifyError(result.error).replaceAll('\n', ' ')}`);
    const { Timestamp: _ignored, ...fields } = result.data;
    const existing = typeof fields.ID === 'string' ? store.find(entity, fields.ID) : undefined;
    return named(`records[${i}]`, () => {
      const base = existing ? (existing as Row) : spec.make(store, fields, modified);
      const stamp = 'Modified' in base ? { Modified: modified } : {};
      return { record: spec.settle(store, { ...base, ...stamp, ...fields } as Row), created: !existing };
    });
  });
  const changes = emptyChangeSet();
  for (const { record, created } of ready) recordPut(changes, entity, save(store, entity, record), created);
  return changes;
}

/** Refuses to delete master data still in use (as Exact does), then deletes with cascades. */
export function deleteEditable(
  store: DivisionStore,
  entity: EditableEntity,
  ids: readonly string[],
  now: number,
): ChangeSet {
  const spec = SPECS[entity];
  ids.forEach((id, i) => {
    const record = store.find(entity, id.toLowerCase());
    const reason = record && spec.inUse ? spec.inUse(store, record as Row) : null;
    if (reason) throw new MutationError(`deleteIds[${i}]: ${entity} ${id} is ${reason}`);
  });
  return deleteIds(store, entity, ids, now);
}

/** Random changes, creations (under random parents) and deletions (of records not in use). */
export function mutateEditable(
  store: DivisionStore,
  entity: EditableEntity,
  counts: RandomCounts,
  now: number,
): ChangeSet {
  const spec = SPECS[entity];
  const prng = store.prng;
  const modified = edmDate(now);
  const records = live(store, entity);
  const changes = emptyChangeSet();
  for (const record of sample(prng, records, counts.update)) {
    const next = spec.settle(store, spec.change(prng, record, modified));
    recordPut(changes, entity, save(store, entity, next), false);
  }
  for (let i = 0; i < counts.create; i++) {
    const next = spec.settle(store, spec.make(store, {}, modified));
    recordPut(changes, entity, save(store, entity, next), true);
  }
  const updated = new Set(changes.updated);
  const free = records.filter((r) => !updated.has(r.ID) && !(spec.inUse?.(store, r) ?? null));
  const victims = sample(prng, free, counts.delete).map((r) => r.ID);
  return mergeChangeSets(changes, deleteIds(store, entity, victims, now));
}
