import { edmDate } from '../odata.ts';
import type { Prng } from '../prng.ts';
import { ENTITIES } from './entities.ts';
import { EntityTable } from './entity-table.ts';
import type { AnyRecord, DeletedRecord, EntityName, EntityRecords, Warehouse } from './types.ts';

/** A record taken out by a delete (cascades included). */
export interface Removed {
  entity: EntityName;
  record: AnyRecord;
}

type Tables = { [E in EntityName]: EntityTable<EntityRecords[E]> };

/** The order records are re-stamped in when a division "moves": parents before children. */
const RESTAMP_ORDER: readonly EntityName[] = ['accounts', 'items', 'stock', 'prices'];

/**
 * One division's data: a table per entity, the deletions log and one Timestamp counter shared by all of them,
 * as Exact's rowversion is one sequence per database.
 */
export class DivisionStore {
  readonly tables: Tables = {
    items: new EntityTable(),
    stock: new EntityTable(),
    prices: new EntityTable(),
    accounts: new EntityTable(),
  };
  readonly deleted = new EntityTable<DeletedRecord>();
  /** Item Code → ID, Account Code (trimmed, lower case) → ID, for targeted lookups. */
  readonly itemCodes = new Map<string, string>();
  readonly accountCodes = new Map<string, string>();
  /** Item ID → IDs of its stock positions and prices, for cascading deletes. */
  readonly childrenOfItem = new Map<string, string[]>();
  moveDate: number | null = null;
  /** Last sequence number used for generated item and account codes. */
  itemSeq = 0;
  accountSeq = 0;
  private counter: number;
  private deletionSeq = 0;

  constructor(
    readonly division: number,
    readonly description: string,
    readonly warehouses: readonly Warehouse[],
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

  get<E extends EntityName>(entity: E, id: string): EntityRecords[E] | undefined {
    return this.tables[entity].get(id) as EntityRecords[E] | undefined;
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

  /** Deletes a record, logs the deletion and cascades from an item to its stock positions and prices. */
  remove(entity: EntityName, id: string, now: number): Removed[] {
    const removed = this.tables[entity].delete(id);
    if (!removed) return [];
    const out: Removed[] = [{ entity, record: removed }];
    this.unindex(entity, removed);
    this.logDeletion(entity, id, now);
    if (entity === 'items') {
      for (const childId of [...(this.childrenOfItem.get(id) ?? [])]) {
        const child: EntityName = this.tables.stock.get(childId) ? 'stock' : 'prices';
        out.push(...this.remove(child, childId, now));
      }
      this.childrenOfItem.delete(id);
    }
    return out;
  }

  /**
   * A move to another database: every record gets a new, lower Timestamp and the deletions log is gone. They start
   * at 2, since clients begin with `Timestamp gt 1` as Exact documents: no record ever has a Timestamp of 1 or less.
   */
  move(now: number): void {
    this.counter = 1;
    this.deleted.clear();
    for (const entity of RESTAMP_ORDER) {
      const table = this.tables[entity] as EntityTable<EntityRecords[EntityName]>;
      const live = [...table.values()].sort((a, b) => a.Timestamp - b.Timestamp);
      table.clear();
      for (const record of live) table.set({ ...record, Timestamp: ++this.counter });
    }
    this.moveDate = now;
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

  private index(entity: EntityName, record: EntityRecords[EntityName], previous: unknown): void {
    if (previous) this.unindex(entity, previous as EntityRecords[EntityName]);
    if (entity === 'items') {
      this.itemCodes.set((record as EntityRecords['items']).Code.toLowerCase(), record.ID);
    } else if (entity === 'accounts') {
      this.accountCodes.set((record as EntityRecords['accounts']).Code.trim().toLowerCase(), record.ID);
    } else {
      const itemId =
        entity === 'stock'
          ? (record as EntityRecords['stock']).ItemId
          : (record as EntityRecords['prices']).Item;
      const children = this.childrenOfItem.get(itemId);
      if (!children) this.childrenOfItem.set(itemId, [record.ID]);
      else if (!children.includes(record.ID)) children.push(record.ID);
    }
  }

  private unindex(entity: EntityName, record: EntityRecords[EntityName]): void {
    if (entity === 'items') {
      const code = (record as EntityRecords['items']).Code.toLowerCase();
      if (this.itemCodes.get(code) === record.ID) this.itemCodes.delete(code);
    } else if (entity === 'accounts') {
      const code = (record as EntityRecords['accounts']).Code.trim().toLowerCase();
      if (this.accountCodes.get(code) === record.ID) this.accountCodes.delete(code);
    } else {
      const itemId =
        entity === 'stock'
          ? (record as EntityRecords['stock']).ItemId
          : (record as EntityRecords['prices']).Item;
      const children = this.childrenOfItem.get(itemId);
      const at = children?.indexOf(record.ID) ?? -1;
      if (children && at >= 0) children.splice(at, 1);
    }
  }
}
