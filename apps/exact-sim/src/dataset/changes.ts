import type { DivisionStore } from './division-store.ts';
import type { StoreEntity } from './entities.ts';
import type { Keyed } from './types.ts';

/** A change a webhook subscriber may hear about (the plain REST entities have no webhooks). */
export interface ChangeEvent {
  entity: StoreEntity;
  action: 'Update' | 'Delete';
  record: Keyed;
}

/** What a mutation did: the IDs of the requested entity, plus every change (cascades included) for webhooks. */
export interface ChangeSet {
  created: string[];
  updated: string[];
  deleted: string[];
  events: ChangeEvent[];
}

export const emptyChangeSet = (): ChangeSet => ({ created: [], updated: [], deleted: [], events: [] });

/** Bad input to a control mutation. */
export class MutationError extends Error {
  override readonly name = 'MutationError';
}

export function recordPut(changes: ChangeSet, entity: StoreEntity, record: Keyed, created: boolean): void {
  (created ? changes.created : changes.updated).push(record.ID);
  changes.events.push({ entity, action: 'Update', record });
}

export function deleteIds(
  store: DivisionStore,
  entity: StoreEntity,
  ids: readonly string[],
  now: number,
): ChangeSet {
  const changes = emptyChangeSet();
  for (const id of ids) {
    for (const removed of store.remove(entity, id.toLowerCase(), now)) {
      if (removed.entity === entity) changes.deleted.push(removed.record.ID);
      changes.events.push({ entity: removed.entity, action: 'Delete', record: removed.record });
    }
  }
  return changes;
}

export function mergeChangeSets(a: ChangeSet, b: ChangeSet): ChangeSet {
  return {
    created: [...a.created, ...b.created],
    updated: [...a.updated, ...b.updated],
    deleted: [...a.deleted, ...b.deleted],
    events: [...a.events, ...b.events],
  };
}
