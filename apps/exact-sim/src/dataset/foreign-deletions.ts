import { randomUUID } from 'node:crypto';
import type { SimConfig } from '../config.ts';
import type { DivisionStore } from './division-store.ts';

/**
 * Exact's EntityTypes (as Pi-Systems' generated `Sync/Deleted` lists them) of records the simulator does not store
 * but a real division deletes in volume: transaction lines 1, attachments 4, documents 6, time and cost
 * transactions 14, purchase orders 22.
 */
const FOREIGN_ENTITY_TYPES = [1, 4, 6, 14, 22] as const;

/**
 * Deletions of entity types nobody syncs here, so `sync/Deleted` without an EntityType filter carries what it
 * carries in a real division. They accrue at `foreignDeletionsPerDay` over the sim clock and are logged lazily, at
 * the next API call to the division, with their DeletedDate spread over the time they stand for.
 */
export class ForeignDeletions {
  private readonly since = new Map<number, { at: number; carry: number }>();
  private turn = 0;

  /** Logs the deletions the configured rate says happened in the division since the last call. */
  catchUp(
    store: DivisionStore,
    now: number,
    config: Pick<SimConfig, 'foreignDeletionsPerDay' | 'dayMs'>,
  ): void {
    const last = this.since.get(store.division) ?? { at: now, carry: 0 };
    const elapsed = Math.max(0, now - last.at);
    const due = (elapsed * config.foreignDeletionsPerDay) / config.dayMs + last.carry;
    const count = Math.floor(due);
    for (let i = 1; i <= count; i++) this.log(store, last.at + (elapsed * i) / count);
    this.since.set(store.division, { at: now, carry: due - count });
  }

  /** Logs `count` deletions now, of `entityType` or of the foreign types in turn. */
  add(store: DivisionStore, count: number, now: number, entityType?: number): void {
    for (let i = 0; i < count; i++) this.log(store, now, entityType);
  }

  clear(): void {
    this.since.clear();
  }

  private log(store: DivisionStore, at: number, entityType?: number): void {
    const type = entityType ?? FOREIGN_ENTITY_TYPES[this.turn++ % FOREIGN_ENTITY_TYPES.length] ?? 1;
    store.logDeletionOfType(type, randomUUID(), Math.round(at));
  }
}
