import { edmDate } from '../odata.ts';
import type { Prng } from '../prng.ts';
import type { ItemGroupRecord, VatCodeRecord, WarehouseRecord } from './catalogue-types.ts';
import type { DivisionStore } from './division-store.ts';
import type { ItemRecord, PriceRecord } from './types.ts';
import {
  EXTRA_DESCRIPTIONS,
  FRACTION_UNITS,
  ITEM_GROUPS,
  UNITS,
  VAT_CODES,
  VAT_RATES,
} from './words-storefront.ts';

const DAY_MS = 86_400_000;
/** Item dates lie around this fixed day, so a seed always gives the same data. */
const BASE_MS = Date.UTC(2025, 0, 1);
/** When the simulated administration was set up: the Created date of its master data. */
export const SETUP_DATE = edmDate(Date.UTC(2019, 2, 1));

const isoDay = (day: string): string => edmDate(Date.parse(`${day}T00:00:00Z`));

/** Item groups, units and VAT codes with their dated percentages: fixed master data, IDs from `prng`. */
export function makeCatalogue(store: DivisionStore, prng: Prng): void {
  const audit = { Created: SETUP_DATE, Modified: SETUP_DATE, Division: store.division };
  Object.entries(ITEM_GROUPS).forEach(([Code, Description], i) => {
    store.putRef('itemGroups', {
      ID: prng.guid(),
      Code,
      Description,
      IsDefault: i === 0 ? 1 : 0,
      Notes: null,
      ...audit,
    });
  });
  UNITS.forEach((unit, i) => {
    store.putRef('units', {
      ID: prng.guid(),
      ...unit,
      Active: true,
      Main: i === 0 ? 1 : 0,
      Division: store.division,
    });
  });
  for (const code of VAT_CODES) {
    const rates = VAT_RATES[code.rates] ?? [];
    const ID = prng.guid();
    store.putRef('vatCodes', {
      ID,
      Code: code.Code,
      Description: code.Description,
      Percentage: rates[rates.length - 1]?.Percentage ?? 0,
      Type: code.Type,
      Charged: false,
      IsBlocked: false,
      VATTransactionType: 'S',
      ...audit,
    });
    rates.forEach((rate, i) => {
      store.putRef('vatPercentages', {
        ID: prng.guid(),
        VATCodeID: ID,
        LineNumber: i + 1,
        Percentage: rate.Percentage,
        StartDate: rate.from === null ? null : isoDay(rate.from),
        EndDate: rate.to === null ? null : isoDay(rate.to),
        Type: 0,
        ...audit,
      });
    });
  }
}

export function makeWarehouse(
  ID: string,
  w: { Code: string; Description: string },
  division: number,
  main: boolean,
): WarehouseRecord {
  return {
    ID,
    Code: w.Code,
    Description: w.Description,
    Main: main ? 1 : 0,
    EMail: `warehouse${w.Code}@demo-${division}.example`,
    UseStorageLocations: 0,
    Created: SETUP_DATE,
    Modified: SETUP_DATE,
    Division: division,
  };
}

/** Lookups the item enrichment needs, built once per generation (or per mutation). */
export interface CatalogueIndex {
  groups: Map<string, ItemGroupRecord>;
  vatCodes: Map<string, VatCodeRecord>;
  division: number;
}

export function catalogueIndex(store: DivisionStore): CatalogueIndex {
  return {
    groups: new Map([...store.refs.itemGroups.values()].map((g) => [g.Code, g])),
    vatCodes: new Map([...store.refs.vatCodes.values()].map((v) => [v.Code, v])),
    division: store.division,
  };
}

/** The storefront fields of an item: group, flags, validity, picture, VAT description. Changes `item` itself. */
export function enrichItem(prng: Prng, item: ItemRecord, index: CatalogueIndex): ItemRecord {
  const group = index.groups.get(item.Code.split('-')[0] ?? '') ?? index.groups.values().next().value;
  const pictured = prng.chance(0.75);
  const ended = prng.chance(0.04);
  const picture = `https://exact-sim.invalid/docs/SysImage.aspx?Table=Items&ID=${item.ID}&_Division_=${index.division}`;
  return Object.assign(item, {
    ExtraDescription: prng.chance(0.6) ? prng.pick(EXTRA_DESCRIPTIONS) : null,
    IsStockItem: prng.chance(0.92),
    IsFractionAllowedItem: FRACTION_UNITS.has(item.Unit),
    ItemGroup: group?.ID ?? null,
    ItemGroupCode: group?.Code ?? null,
    ItemGroupDescription: group?.Description ?? null,
    SalesVatCodeDescription: index.vatCodes.get(item.SalesVatCode ?? '')?.Description ?? null,
    PictureName: pictured ? `${item.Code}.jpg` : null,
    PictureUrl: pictured ? picture : null,
    PictureThumbnailUrl: pictured ? `${picture}&ThumbSize=150` : null,
    StartDate: edmDate(BASE_MS - prng.int(365, 2500) * DAY_MS),
    EndDate: ended ? edmDate(BASE_MS - prng.int(1, 300) * DAY_MS) : null,
  });
}

/** Bigger sales units: a box of 6, 12 or 24 pieces, a pallet of 40 boxes, each a little cheaper per piece. */
const SALES_UNITS: Record<string, { unit: string; per: readonly number[]; factor: number }> = {
  pc: { unit: 'box', per: [6, 12, 24], factor: 0.95 },
  box: { unit: 'pal', per: [40], factor: 0.9 },
};

/** A price in a bigger unit than the item's own (NumberOfItemsPerUnit of it), or null for most items. */
export function makeUnitPrice(prng: Prng, item: ItemRecord, base: PriceRecord): PriceRecord | null {
  const sales = SALES_UNITS[item.Unit];
  if (!sales || !prng.chance(0.15)) return null;
  const per = prng.pick(sales.per);
  const description = UNITS.find((u) => u.Code === sales.unit)?.Description ?? null;
  return {
    ...base,
    ID: prng.guid(),
    Price: Math.round(base.Price * per * sales.factor * 100) / 100,
    Unit: sales.unit,
    UnitDescription: description,
    NumberOfItemsPerUnit: per,
    Timestamp: 0,
  };
}
