import type { StoreEntity } from './entities.ts';

/** A child record names its parent in `field`; deleting the parent deletes the child (cascade). */
interface Link {
  child: StoreEntity;
  field: string;
  parent: StoreEntity;
}

const LINKS: readonly Link[] = [
  { child: 'stock', field: 'ItemId', parent: 'items' },
  { child: 'prices', field: 'Item', parent: 'items' },
  { child: 'addresses', field: 'Account', parent: 'accounts' },
  { child: 'contacts', field: 'Account', parent: 'accounts' },
  { child: 'orderLines', field: 'OrderID', parent: 'orderHeaders' },
  { child: 'deliveryLines', field: 'EntryID', parent: 'deliveries' },
  { child: 'priceListPeriods', field: 'PriceList', parent: 'priceLists' },
  { child: 'volumeDiscounts', field: 'PriceListPeriod', parent: 'priceListPeriods' },
  { child: 'volumeDiscounts', field: 'Item', parent: 'items' },
  { child: 'vatPercentages', field: 'VATCodeID', parent: 'vatCodes' },
];

const field = (record: object, name: string): unknown => (record as Record<string, unknown>)[name];

interface Indexed {
  field: string;
  byParent: Map<string, string[]>;
}

/** Child IDs by parent ID, per (child entity, field): cascades and lookups without scanning a table. */
export class ChildIndex {
  private readonly maps = new Map<string, Map<string, string[]>>();
  private readonly asChild = new Map<StoreEntity, Indexed[]>();
  private readonly asParent = new Map<StoreEntity, Link[]>();

  constructor() {
    for (const link of LINKS) {
      const byParent = new Map<string, string[]>();
      this.maps.set(`${link.child}.${link.field}`, byParent);
      this.asChild.set(link.child, [
        ...(this.asChild.get(link.child) ?? []),
        { field: link.field, byParent },
      ]);
      this.asParent.set(link.parent, [...(this.asParent.get(link.parent) ?? []), link]);
    }
  }

  /** IDs of the `child` records whose `field` is `parentId`. */
  children(child: StoreEntity, name: string, parentId: string): readonly string[] {
    return this.maps.get(`${child}.${name}`)?.get(parentId) ?? [];
  }

  /** The links under which records of `entity` are parents (what a delete cascades over). */
  linksFrom(entity: StoreEntity): readonly Link[] {
    return this.asParent.get(entity) ?? [];
  }

  update(entity: StoreEntity, record: { ID: string }, previous: object | undefined): void {
    const indexes = this.asChild.get(entity);
    if (!indexes) return;
    for (const { field: name, byParent } of indexes) {
      const before = previous ? field(previous, name) : undefined;
      const after = field(record, name);
      if (before === after) continue;
      if (typeof before === 'string') drop(byParent, before, record.ID);
      if (typeof after === 'string') {
        const ids = byParent.get(after);
        if (!ids) byParent.set(after, [record.ID]);
        else if (!ids.includes(record.ID)) ids.push(record.ID);
      }
    }
  }

  remove(entity: StoreEntity, record: { ID: string }): void {
    for (const { field: name, byParent } of this.asChild.get(entity) ?? []) {
      const value = field(record, name);
      if (typeof value === 'string') drop(byParent, value, record.ID);
    }
  }
}

function drop(byParent: Map<string, string[]>, parentId: string, id: string): void {
  const ids = byParent.get(parentId);
  const at = ids?.indexOf(id) ?? -1;
  if (!ids || at < 0) return;
  ids.splice(at, 1);
  if (ids.length === 0) byParent.delete(parentId);
}
