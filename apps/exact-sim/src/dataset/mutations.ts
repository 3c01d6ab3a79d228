import { type ChangeSet, deleteIds, emptyChangeSet, MutationError, mergeChangeSets } from './changes.ts';
import type { DivisionStore } from './division-store.ts';
import type { StoreEntity } from './entities.ts';
import { mutateRandom, type RandomCounts, sample } from './mutate-random.ts';
import { deleteEditable, isEditable, mutateEditable, upsertEditable } from './mutate-storefront.ts';
import { isCoreEntity, upsertRecords } from './upsert.ts';

/** A control mutation: upserted records, random changes and deletions by ID, applied in that order. */
export interface Mutation {
  entity: StoreEntity;
  records?: readonly unknown[] | undefined;
  counts: RandomCounts;
  deleteIds?: readonly string[] | undefined;
}

/**
 * Orders, deliveries and invoices change through `POST salesorder/SalesOrders` and the order control routes; here
 * they can only be deleted (the records go, with their lines, and sync/Deleted logs them).
 */
function mutateOrders(store: DivisionStore, mutation: Mutation, now: number): ChangeSet {
  const { entity, counts } = mutation;
  if (mutation.records || counts.create > 0 || counts.update > 0) {
    throw new MutationError(
      `${entity}: only deletions here; orders are created with POST salesorder/SalesOrders and move on with ` +
        '/_sim/divisions/:division/orders/:orderId/deliver, /invoice and /cancel',
    );
  }
  const table = store.tables[entity as 'orderHeaders'] as { values(): IterableIterator<{ ID: string }> };
  const victims = sample(store.prng, [...table.values()], counts.delete).map((r) => r.ID);
  return mergeChangeSets(
    deleteIds(store, entity, victims, now),
    deleteIds(store, entity, mutation.deleteIds ?? [], now),
  );
}

export function applyMutation(store: DivisionStore, mutation: Mutation, now: number): ChangeSet {
  const { entity, records, counts, deleteIds: ids } = mutation;
  const random = counts.create + counts.update + counts.delete > 0;
  let changes = emptyChangeSet();
  if (isCoreEntity(entity)) {
    if (records) changes = upsertRecords(store, entity, records, now);
    if (random) changes = mergeChangeSets(changes, mutateRandom(store, entity, counts, now));
    if (ids) changes = mergeChangeSets(changes, deleteIds(store, entity, ids, now));
    return changes;
  }
  if (isEditable(entity)) {
    if (records) changes = upsertEditable(store, entity, records, now);
    if (random) changes = mergeChangeSets(changes, mutateEditable(store, entity, counts, now));
    if (ids) changes = mergeChangeSets(changes, deleteEditable(store, entity, ids, now));
    return changes;
  }
  return mutateOrders(store, mutation, now);
}
