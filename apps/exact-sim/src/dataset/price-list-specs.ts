import type { Prng } from '../prng.ts';
import type { PriceListPeriodRecord, PriceListRecord } from './catalogue-types.ts';
import { MutationError } from './changes.ts';
import type { DivisionStore } from './division-store.ts';
import {
  asRow,
  countUsers,
  type EditSpec,
  freeCode,
  oneOf,
  parent,
  type Row,
  uniqueCode,
} from './edit-spec.ts';
import { SETUP_DATE } from './make-catalogue.ts';
import { type DiscountTarget, makePriceList, makeVolumeDiscount } from './make-price-lists.ts';

/** The general price of an item in its own unit (no account, no quantity break), as a volume discount's base. */
function basePrice(store: DivisionStore, itemId: string, unit: string): number | null {
  for (const id of store.links.children('prices', 'Item', itemId)) {
    const price = store.get('prices', id);
    if (price && price.Account === null && price.Unit === unit && price.Quantity <= 1) return price.Price;
  }
  return null;
}

const list = (store: DivisionStore, given: unknown): PriceListRecord =>
  parent(
    store.prng,
    given,
    (id) => store.ref('priceLists', id),
    () => store.refs.priceLists.values(),
    'PriceList: no such price list in this division',
  );

const period = (store: DivisionStore, given: unknown): PriceListPeriodRecord =>
  parent(
    store.prng,
    given,
    (id) => store.ref('priceListPeriods', id),
    () => store.refs.priceListPeriods.values(),
    'PriceListPeriod: no such price list period in this division',
  );

export const priceListSpec: EditSpec = {
  schemaPath: 'sales/SalesPriceLists',
  make: (store) => {
    const record = makePriceList(store.prng, store.refs.priceLists.size + 1, store.division);
    const Code = freeCode(store.refs.priceLists.values(), (n) => `PL${String(n).padStart(2, '0')}`);
    return asRow({ ...record, Code });
  },
  settle: (store, record) => {
    oneOf(record.Entity, [1, 2], 'Entity');
    oneOf(record.Type, [1, 2], 'Type');
    uniqueCode(store.refs.priceLists.values(), record);
    return { ...record, Division: store.division };
  },
  change: (_prng, record, modified) => ({ ...record, Notes: `Revised ${modified}`, Modified: modified }),
  inUse: (store, record) =>
    countUsers('account', store.tables.accounts.values(), (a) => a.PriceList === record.ID),
};

export const priceListPeriodSpec: EditSpec = {
  schemaPath: 'sales/SalesPriceListPeriods',
  make: (store, input, modified) => {
    const owner = list(store, input.PriceList);
    return asRow({
      ID: store.prng.guid(),
      PriceList: owner.ID,
      StartDate: modified,
      EndDate: null,
      Currency: owner.Currency,
      Type: 1,
      Created: modified,
      Modified: modified,
      Division: store.division,
    });
  },
  settle: (store, record) => {
    const owner = store.ref('priceLists', String(record.PriceList));
    if (!owner) throw new MutationError('PriceList: no such price list in this division');
    oneOf(record.Type, [1, 2], 'Type');
    return { ...record, Currency: owner.Currency, Division: store.division };
  },
  change: (_prng, record, modified) => ({ ...record, EndDate: modified, Modified: modified }),
};

function target(
  store: DivisionStore,
  prng: Prng,
  input: Record<string, unknown>,
  entity: number,
): DiscountTarget {
  const item = typeof input.Item === 'string' ? store.get('items', input.Item) : undefined;
  if (typeof input.Item === 'string' && !item) throw new MutationError('Item: no such item in this division');
  const groupId = typeof input.ItemGroup === 'string' ? input.ItemGroup : null;
  if (item || (groupId === null && entity === 1)) {
    const chosen =
      item ??
      parent(
        prng,
        undefined,
        () => undefined,
        () => store.tables.items.values(),
        'Item: the division has no items',
      );
    return { item: chosen, base: basePrice(store, chosen.ID, chosen.Unit) ?? 0 };
  }
  const group = parent(
    prng,
    groupId ?? undefined,
    (id) => store.ref('itemGroups', id),
    () => store.refs.itemGroups.values(),
    'ItemGroup: no such item group in this division',
  );
  return { group };
}

export const volumeDiscountSpec: EditSpec = {
  schemaPath: 'sales/SalesPriceListVolumeDiscounts',
  make: (store, input, modified) => {
    const owner = period(store, input.PriceListPeriod);
    const priceList = list(store, owner.PriceList);
    const values = { Quantity: 1, EntryMethod: 1, Discount: 0.05, NewPrice: null };
    const at = { ...owner, Created: modified, Modified: modified };
    return asRow(
      makeVolumeDiscount(
        store.prng,
        priceList,
        at,
        target(store, store.prng, input, priceList.Entity),
        values,
      ),
    );
  },
  settle: (store, record) => settleDiscount(store, record),
  change: (prng, record, modified) =>
    record.EntryMethod === 2
      ? {
          ...record,
          NewPrice: Math.round(Number(record.NewPrice) * prng.amount(0.9, 1.1) * 100) / 100,
          Modified: modified,
        }
      : {
          ...record,
          Discount: Math.min(
            0.9,
            Math.max(0, Math.round((Number(record.Discount) + prng.pick([-0.02, 0.02, 0.05])) * 1000) / 1000),
          ),
          Modified: modified,
        },
};

/** A volume discount names a period, one item or one item group, and a discount or a new price. */
function settleDiscount(store: DivisionStore, record: Row): Row {
  const owner = store.ref('priceListPeriods', String(record.PriceListPeriod));
  if (!owner) throw new MutationError('PriceListPeriod: no such price list period in this division');
  const priceList = store.ref('priceLists', owner.PriceList);
  const item = typeof record.Item === 'string' ? store.get('items', record.Item) : undefined;
  const group = typeof record.ItemGroup === 'string' ? store.ref('itemGroups', record.ItemGroup) : undefined;
  if (typeof record.Item === 'string' && !item)
    throw new MutationError('Item: no such item in this division');
  if (typeof record.ItemGroup === 'string' && !group)
    throw new MutationError('ItemGroup: no such item group in this division');
  if (!item === !group)
    throw new MutationError('Item: a volume discount names either an Item or an ItemGroup');
  oneOf(record.EntryMethod, [1, 2], 'EntryMethod');
  if (record.EntryMethod === 1 && typeof record.Discount !== 'number')
    throw new MutationError('Discount: EntryMethod 1 (discount) needs a Discount (a fraction)');
  if (record.EntryMethod === 2 && typeof record.NewPrice !== 'number')
    throw new MutationError('NewPrice: EntryMethod 2 (new price) needs a NewPrice');
  const unit = typeof record.Unit === 'string' ? record.Unit : null;
  const units = [...store.refs.units.values()];
  if (unit !== null && !units.some((u) => u.Code === unit))
    throw new MutationError(`Unit: no unit '${unit}'`);
  return {
    ...record,
    PriceListCode: priceList?.Code ?? null,
    PriceListDescription: priceList?.Description ?? null,
    ItemCode: item?.Code ?? null,
    ItemDescription: item?.Description ?? null,
    SalesUnit: item?.Unit ?? null,
    ItemGroupCode: group?.Code ?? null,
    ItemGroupDescription: group?.Description ?? null,
    UnitDescription: units.find((u) => u.Code === unit)?.Description ?? null,
    Created: record.Created ?? SETUP_DATE,
    Division: store.division,
  };
}
