import { edmDate } from '../odata.ts';
import type { Prng } from '../prng.ts';
import { type ChangeSet, deleteIds, emptyChangeSet, mergeChangeSets, recordPut } from './changes.ts';
import type { DivisionStore } from './division-store.ts';
import { catalogueIndex, enrichItem } from './make-catalogue.ts';
import { enrichAccount } from './make-crm.ts';
import { makeAccount, makeItem, makePrice, makeStock, stockFigures } from './records.ts';
import type { AnyRecord, EntityRecords, ItemRecord } from './types.ts';
import type { CoreEntity } from './upsert.ts';
import { ADJECTIVES, CITIES } from './words.ts';

export interface RandomCounts {
  create: number;
  update: number;
  delete: number;
}

/** Picks up to `count` distinct elements (partial Fisher-Yates on a copy). */
export function sample<T>(prng: Prng, list: readonly T[], count: number): T[] {
  const copy = [...list];
  const n = Math.min(count, copy.length);
  for (let i = 0; i < n; i++) {
    const j = prng.int(i, copy.length - 1);
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy.slice(0, n);
}

function changed<E extends CoreEntity>(
  prng: Prng,
  entity: E,
  record: EntityRecords[E],
  modified: string,
): AnyRecord {
  switch (entity) {
    case 'items': {
      const item = record as ItemRecord;
      const [, ...rest] = item.Description.split(' ');
      const cost = Math.max(0.5, Math.round(item.CostPriceStandard * prng.amount(0.9, 1.1) * 100) / 100);
      return {
        ...item,
        Description: [prng.pick(ADJECTIVES), ...rest].join(' '),
        CostPriceStandard: cost,
        Modified: modified,
      };
    }
    case 'stock':
      return { ...(record as EntityRecords['stock']), ...stockFigures(prng), Modified: modified };
    case 'prices': {
      const price = record as EntityRecords['prices'];
      return {
        ...price,
        Price: Math.round(price.Price * prng.amount(0.9, 1.1) * 100) / 100,
        Modified: modified,
      };
    }
    default: {
      const place = prng.pick(CITIES);
      return {
        ...(record as EntityRecords['accounts']),
        City: place.city,
        Country: place.country,
        Modified: modified,
      };
    }
  }
}

function created(
  store: DivisionStore,
  entity: CoreEntity,
  items: readonly ItemRecord[],
  modified: string,
): AnyRecord | null {
  const prng = store.prng;
  if (entity === 'items')
    return enrichItem(prng, makeItem(prng, ++store.itemSeq, modified), catalogueIndex(store));
  if (entity === 'accounts') {
    const lists = [...store.refs.priceLists.values()].map((l) => l.ID);
    return enrichAccount(prng, makeAccount(prng, ++store.accountSeq, modified), lists);
  }
  if (items.length === 0) return null;
  const item = prng.pick(items);
  if (entity === 'prices')
    return makePrice(prng, item, { account: null, quantity: prng.pick([0, 5, 25]), factor: 1.8, modified });
  const taken = new Set(
    store.links
      .children('stock', 'ItemId', item.ID)
      .map((id) => store.get('stock', id)?.Warehouse)
      .filter(Boolean),
  );
  const free = store.warehouses.filter((w) => !taken.has(w.ID));
  return free.length > 0 ? makeStock(prng, item, prng.pick(free), modified) : null;
}

/** Random creates, updates and deletes drawn from the division's own PRNG (deterministic for a seed). */
export function mutateRandom(
  store: DivisionStore,
  entity: CoreEntity,
  counts: RandomCounts,
  now: number,
): ChangeSet {
  const changes = emptyChangeSet();
  const modified = edmDate(now);
  const table = store.tables[entity] as { values(): IterableIterator<AnyRecord> };
  const live = [...table.values()];
  const items = entity === 'stock' || entity === 'prices' ? [...store.tables.items.values()] : [];
  for (const record of sample(store.prng, live, counts.update)) {
    const next = changed(store.prng, entity, record as EntityRecords[typeof entity], modified);
    recordPut(changes, entity, store.put(entity, next as EntityRecords[typeof entity]), false);
  }
  for (let i = 0, attempts = 0; i < counts.create && attempts < counts.create * 5; attempts++) {
    const record = created(store, entity, items, modified);
    if (!record) continue;
    recordPut(changes, entity, store.put(entity, record as EntityRecords[typeof entity]), true);
    i++;
  }
  const updatedIds = new Set(changes.updated);
  const victims = sample(store.prng, live, counts.delete + updatedIds.size)
    .filter((r) => !updatedIds.has(r.ID))
    .slice(0, counts.delete);
  return mergeChangeSets(
    changes,
    deleteIds(
      store,
      entity,
      victims.map((r) => r.ID),
      now,
    ),
  );
}
