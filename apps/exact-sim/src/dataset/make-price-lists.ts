import { edmDate } from '../odata.ts';
import type { Prng } from '../prng.ts';
import type {
  ItemGroupRecord,
  PriceListPeriodRecord,
  PriceListRecord,
  VolumeDiscountRecord,
} from './catalogue-types.ts';
import type { DivisionStore } from './division-store.ts';
import { SETUP_DATE } from './make-catalogue.ts';
import type { ItemRecord } from './types.ts';
import { PRICE_LIST_NAMES } from './words-storefront.ts';

const day = (y: number, m: number, d: number): string => edmDate(Date.UTC(y, m - 1, d));

/** Each list has an ended and a current basic period; item-based lists also a summer special offer. */
const PERIODS = [
  { StartDate: day(2023, 1, 1), EndDate: day(2024, 12, 31), Type: 1, extra: 0 },
  { StartDate: day(2025, 1, 1), EndDate: null, Type: 1, extra: 0.02 },
  { StartDate: day(2025, 6, 1), EndDate: day(2025, 8, 31), Type: 2, extra: 0.1 },
] as const;

/** Items on an item-based list: 5 % of the sales items, at most this many. */
const MAX_ITEMS_PER_LIST = 500;

/** What a volume discount row applies to: one item (with its general price) or one item group. */
export type DiscountTarget = { item: ItemRecord; base: number } | { group: ItemGroupRecord };

export interface DiscountValues {
  Quantity: number;
  EntryMethod: number;
  Discount: number | null;
  NewPrice: number | null;
}

export function makePriceList(prng: Prng, n: number, division: number): PriceListRecord {
  const name = PRICE_LIST_NAMES[(n - 1) % PRICE_LIST_NAMES.length] ?? 'Customers';
  const round = Math.floor((n - 1) / PRICE_LIST_NAMES.length);
  return {
    ID: prng.guid(),
    Code: `PL${String(n).padStart(2, '0')}`,
    Description: round === 0 ? name : `${name} ${round + 1}`,
    Currency: 'EUR',
    Entity: n % 2 === 1 ? 1 : 2,
    Type: 1,
    Notes: null,
    Created: SETUP_DATE,
    Modified: SETUP_DATE,
    Division: division,
  };
}

export function makeVolumeDiscount(
  prng: Prng,
  list: PriceListRecord,
  period: PriceListPeriodRecord,
  target: DiscountTarget,
  values: DiscountValues,
): VolumeDiscountRecord {
  const item = 'item' in target ? target.item : null;
  const group = 'group' in target ? target.group : null;
  return {
    ID: prng.guid(),
    PriceListCode: list.Code,
    PriceListDescription: list.Description,
    PriceListPeriod: period.ID,
    Item: item?.ID ?? null,
    ItemCode: item?.Code ?? null,
    ItemDescription: item?.Description ?? null,
    ItemGroup: group?.ID ?? null,
    ItemGroupCode: group?.Code ?? null,
    ItemGroupDescription: group?.Description ?? null,
    ...values,
    BasePriceAmount: 'base' in target ? target.base : null,
    NumberOfItemsPerUnit: 1,
    SalesUnit: item?.Unit ?? null,
    Unit: item?.Unit ?? null,
    UnitDescription: item?.UnitDescription ?? null,
    Created: period.Created,
    Modified: period.Modified,
    Division: period.Division,
  };
}

/** Quantity breaks with rising discounts; a third of item rows name a new price instead of a discount. */
function breaks(prng: Prng, target: DiscountTarget, extra: number): DiscountValues[] {
  const quantities = 'item' in target ? [1, 10, 50] : [1, 25];
  const count = 'item' in target ? (prng.chance(0.6) ? (prng.chance(0.5) ? 3 : 2) : 1) : 2;
  const newPrice = 'base' in target && prng.chance(0.33);
  return quantities.slice(0, count).map((Quantity, i) => {
    const discount = Math.round((0.04 + i * 0.05 + extra) * 1000) / 1000;
    return 'base' in target && newPrice
      ? {
          Quantity,
          EntryMethod: 2,
          Discount: null,
          NewPrice: Math.round(target.base * (1 - discount) * 100) / 100,
        }
      : { Quantity, EntryMethod: 1, Discount: discount, NewPrice: null };
  });
}

/**
 * `count` customer price lists, alternately item-based and item-group-based, each with two basic periods (item-based
 * lists also a special offer) and volume discounts per period. `items` are the sales items with their general price.
 */
export function makePriceLists(
  store: DivisionStore,
  prng: Prng,
  count: number,
  items: ReadonlyArray<{ item: ItemRecord; base: number }>,
): void {
  const groups = [...store.refs.itemGroups.values()];
  const share = Math.min(MAX_ITEMS_PER_LIST, Math.ceil(items.length * 0.05)) / Math.max(1, items.length);
  for (let n = 1; n <= count; n++) {
    const list = store.putRef('priceLists', makePriceList(prng, n, store.division));
    const targets: DiscountTarget[] =
      list.Entity === 1
        ? items.filter(() => prng.chance(share))
        : groups.filter(() => prng.chance(0.6)).map((group) => ({ group }));
    PERIODS.forEach((p, i) => {
      if (p.Type === 2 && n % 2 === 0) return;
      const period = store.putRef('priceListPeriods', {
        ID: prng.guid(),
        PriceList: list.ID,
        StartDate: p.StartDate,
        EndDate: p.EndDate,
        Currency: list.Currency,
        Type: p.Type,
        Created: SETUP_DATE,
        Modified: SETUP_DATE,
        Division: store.division,
      });
      // A special offer covers a tenth of the list's targets, with one bigger discount from the first piece.
      const covered = p.Type === 2 ? targets.filter((_, t) => t % 10 === i % 10) : targets;
      for (const target of covered) {
        const rows = p.Type === 2 ? [breaks(prng, target, p.extra)[0]] : breaks(prng, target, p.extra);
        for (const values of rows) {
          if (values) store.putRef('volumeDiscounts', makeVolumeDiscount(prng, list, period, target, values));
        }
      }
    });
  }
}
