import { edmDate } from '../odata.ts';
import type { Prng } from '../prng.ts';
import type { RefEntityName, RefRecords, WarehouseRecord } from './catalogue-types.ts';
import { ENTITIES, ENTITY_NAMES, isRefEntity, type StoreEntity } from './entities.ts';
import { EntityTable } from './entity-table.ts';
import { ChildIndex } from './links.ts';
import { RefTable } from './ref-table.ts';
import type { AnyRecord, DeletedRecord, EntityName, EntityRecords, Keyed } from './types.ts';

/** A record taken out by a delete (cascades included). */
export interface Removed {
  entity: StoreEntity;
  record: Keyed;
}

type Tables = { [E in EntityName]: EntityTable<EntityRecords[E]> };
type RefTables = { [R in RefEntityName]: RefTable<RefRecords[R]> };

function syncTables(): Tables {
  const entries = ENTITY_NAMES.map((entity) => [entity, new EntityTable()]);
  return Object.fromEntries(entries) as Tables;
}

function refTables(): RefTables {
  const names: RefEntityName[] = [
    'itemGroups',
    'units',
    'vatCodes',
    'vatPercentages',
    'warehouses',
    'priceLists',
    'priceListPeriods',
    'volumeDiscounts',
  ];
  return Object.fromEntries(names.map((name) => [name, new RefTable()])) as RefTables;
}

/**
 * One division's data: a table per sync entity, the deletions log and one Timestamp counter shared by all of them
 * (Exact's rowversion is one sequence per database), plus the plain REST entities (price lists, VAT codes, …).
 */
export class DivisionStore {
  readonly tables: Tables = syncTables();
  readonly refs: RefTables = refTables();
  readonly deleted = new EntityTable<DeletedRecord>();
  /** Item Code → ID, Account Code (padded as stored, lower case) → ID, for targeted lookups. */
  readonly itemCodes = new Map<string, string>();
  readonly accountCodes = new Map<string, string>();
  /** Child records by parent (stock and prices by item, addresses by account, …), for cascades and lookups. */
  readonly links = new ChildIndex();
  moveDate: number | null = null;
  /** When the division was last linked to or unlinked from Exact Online HR (DivisionHRLinkUnlinkDate). */
  hrLinkDate: number | null = null;
  /** Last sequence numbers used for generated item and account codes, deliveries and invoices. */
  itemSeq = 0;
  accountSeq = 0;
  deliverySeq = 0;
  invoiceSeq = 0;
  private counter: number;
  private deletionSeq = 0;

  constructor(
    readonly division: number,
    readonly description: string,
    readonly userId: string,
    /** The stream random mutations draw from, so a seed and a sequence of calls give the same changes. */
    readonly prng: Prng,
    firstTimestamp: number,
  ) {
    this.counter = firstTimestamp - 1;
  }

  get lastTimestamp(): number {
    return this.counter;
  }

  /** The warehouses, by Code. */
  get warehouses(): WarehouseRecord[] {
    return [...this.refs.warehouses.values()].sort((a, b) => (a.Code < b.Code ? -1 : 1));
  }

  get<E extends EntityName>(entity: E, id: string): EntityRecords[E] | undefined {
    return this.tables[entity].get(id) as EntityRecords[E] | undefined;
  }

  ref<R extends RefEntityName>(entity: R, id: string): RefRecords[R] | undefined {
    return this.refs[entity].get(id) as RefRecords[R] | undefined;
  }

  /** Any entity's record by ID. */
  find(entity: StoreEntity, id: string): Keyed | undefined {
    return isRefEntity(entity) ? this.refs[entity].get(id) : this.tables[entity].get(id);
  }

  /** Stores a record under a fresh Timestamp (its own Timestamp is ignored) and answers the stored copy. */
  put<E extends EntityName>(entity: E, record: EntityRecords[E]): EntityRecords[E] {
    return this.insert(entity, { ...record });
  }

  /** Like put, but stamps the given object itself: for records nobody else holds yet (generation). */
  insert<E extends EntityName>(entity: E, record: EntityRecords[E]): EntityRecords[E] {
    record.Timestamp = ++this.counter;
    const previous = (this.tables[entity] as EntityTable<EntityRecords[E]>).set(record);
    this.index(entity, record, previous);
    return record;
  }

  /** Stores a REST record (no Timestamp: those endpoints have none). */
  putRef<R extends RefEntityName>(entity: R, record: RefRecords[R]): RefRecords[R] {
    const previous = (this.refs[entity] as RefTable<RefRecords[R]>).set(record);
    this.links.update(entity, record, previous);
    return record;
  }

  /** Deletes a record, logs the deletion (sync entities) and cascades to the records that hang off it. */
  remove(entity: StoreEntity, id: string, now: number): Removed[] {
    const removed = isRefEntity(entity) ? this.refs[entity].delete(id) : this.tables[entity].delete(id);
    if (!removed) return [];
    const out: Removed[] = [{ entity, record: removed }];
    this.unindex(entity, removed);
    if (!isRefEntity(entity)) this.logDeletion(entity, id, now);
    for (const link of this.links.linksFrom(entity)) {
      for (const childId of [...this.links.children(link.child, link.field, id)]) {
        out.push(...this.remove(link.child, childId, now));
      }
    }
    return out;
  }

  /** A move to another database: Timestamps restart (see `restamp`) and DivisionMoveDate is set. */
  move(now: number): void {
    this.restamp();
    this.moveDate = now;
  }

  /** A link to or unlink from Exact Online HR: Exact regenerates the Timestamps, as after a move. */
  relinkHr(now: number): void {
    this.restamp();
    this.hrLinkDate = now;
  }

  /**
   * Every record gets a new, lower Timestamp and the deletions log is gone. They start at 2, since clients begin
   * with `Timestamp gt 1` as Exact documents: no record ever has a Timestamp of 1 or less.
   */
  private restamp(): void {
    this.counter = 1;
    this.deleted.clear();
    for (const entity of ENTITY_NAMES) {
      const table = this.tables[entity] as EntityTable<EntityRecords[EntityName]>;
      const live = [...table.values()].sort((a, b) => a.Timestamp - b.Timestamp);
      table.clear();
      for (const record of live) table.set({ ...record, Timestamp: ++this.counter });
    }
  }

  private logDeletion(entity: EntityName, id: string, now: number): void {
    this.logDeletionOfType(ENTITIES[entity].deletedType, id, now);
  }

  /** Logs a deletion in `sync/Deleted` under any Exact EntityType (also types the simulator does not store). */
  logDeletionOfType(entityType: number, id: string, now: number): void {
    this.deletionSeq++;
    const tail = (this.division * 1_000_000 + this.deletionSeq).toString(16).padStart(12, '0').slice(-12);
    this.deleted.set({
      ID: `de1e7ed0-0000-4000-8000-${tail}`,
      EntityKey: id,
      EntityType: entityType,
      DeletedBy: this.userId,
      DeletedDate: edmDate(now),
      Division: this.division,
      Timestamp: ++this.counter,
    });
  }

  private index(entity: EntityName, record: AnyRecord, previous: AnyRecord | undefined): void {
    if (previous) this.dropCode(entity, previous);
    const codes = this.codesOf(entity);
    codes?.set((record as { Code: string }).Code.toLowerCase(), record.ID);
    this.links.update(entity, record, previous);
  }

  private unindex(entity: StoreEntity, record: Keyed): void {
    this.dropCode(entity, record);
    this.links.remove(entity, record);
  }

  private codesOf(entity: StoreEntity): Map<string, string> | undefined {
    if (entity === 'items') return this.itemCodes;
    return entity === 'accounts' ? this.accountCodes : undefined;
  }

  private dropCode(entity: StoreEntity, record: Keyed): void {
    const codes = this.codesOf(entity);
    const code = codes ? (record as Keyed & { Code: string }).Code.toLowerCase() : '';
    if (codes?.get(code) === record.ID) codes.delete(code);
  }
}
