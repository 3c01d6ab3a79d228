import { edmDate } from '../odata.ts';
import type { Prng } from '../prng.ts';
import type { AccountRecord, ItemRecord, PriceRecord, StockRecord, Warehouse } from './types.ts';
import {
  ADJECTIVES,
  CATEGORIES,
  CITIES,
  COLOURS,
  LEGAL_FORMS,
  MATERIALS,
  NAME_PARTS,
  TRADES,
  UNIT_DESCRIPTIONS,
} from './words.ts';

/** Generated Modified dates lie in the two years before this fixed day, so a seed always gives the same data. */
const BASE_MS = Date.UTC(2025, 0, 1);
const DAY_MS = 86_400_000;

export function pastDate(prng: Prng): string {
  return edmDate(BASE_MS - prng.int(0, 730) * DAY_MS - prng.int(0, 86_399) * 1000);
}

/** Exact pads account codes with leading spaces to 18 characters. */
export const padAccountCode = (code: string): string => code.trim().padStart(18, ' ');

function ean13(prng: Prng): string {
  let digits = '87';
  for (let i = 0; i < 10; i++) digits += String(prng.int(0, 9));
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(digits[i]) * (i % 2 === 0 ? 1 : 3);
  return digits + String((10 - (sum % 10)) % 10);
}

const ITEM_DEFAULTS = {
  ExtraDescription: null,
  IsStockItem: true,
  IsFractionAllowedItem: false,
  SalesVatCodeDescription: null,
  ItemGroup: null,
  ItemGroupCode: null,
  ItemGroupDescription: null,
  PictureName: null,
  PictureUrl: null,
  PictureThumbnailUrl: null,
  StartDate: null,
  EndDate: null,
} as const;

const ACCOUNT_DEFAULTS = {
  Phone: null,
  AddressLine1: null,
  Postcode: null,
  PriceList: null,
  DiscountSales: null,
  SalesVATCode: null,
  VATNumber: null,
  PaymentConditionSales: null,
  SalesCurrency: 'EUR',
  Language: null,
  MainContact: null,
} as const;

export function makeItem(prng: Prng, n: number, modified: string): ItemRecord {
  const category = prng.pick(CATEGORIES);
  const words = [prng.pick(ADJECTIVES), prng.pick(MATERIALS), category.noun, prng.pick(COLOURS)];
  return {
    ID: prng.guid(),
    Code: `${category.prefix}-${String(n).padStart(6, '0')}`,
    Description: words.join(' '),
    IsSalesItem: prng.chance(0.96),
    SalesVatCode: prng.chance(0.85) ? '2' : '1',
    Unit: category.unit,
    UnitDescription: UNIT_DESCRIPTIONS[category.unit] ?? null,
    CostPriceStandard: prng.amount(0.5, 400),
    Barcode: prng.chance(0.8) ? ean13(prng) : null,
    IsWebshopItem: prng.chance(0.8) ? 1 : 0,
    // The storefront fields are drawn from another stream (see enrichItem), so these stay as they always were.
    ...ITEM_DEFAULTS,
    Modified: modified,
    Timestamp: 0,
  };
}

export function makeAccount(prng: Prng, n: number, modified: string): AccountRecord {
  const place = prng.pick(CITIES);
  const family = prng.pick(NAME_PARTS);
  const name = `${family} ${prng.pick(TRADES)} ${prng.pick(LEGAL_FORMS)}`.trim();
  const slug = family.toLowerCase().replace(/[^a-z]/g, '');
  return {
    ID: prng.guid(),
    Code: padAccountCode(String(1000 + n)),
    Name: name,
    Email: prng.chance(0.9) ? `info@${slug}${n}.example` : null,
    City: place.city,
    Country: place.country,
    Status: 'C',
    IsSales: true,
    Blocked: prng.chance(0.02),
    ...ACCOUNT_DEFAULTS,
    Modified: modified,
    Timestamp: 0,
  };
}

/** Stock figures that add up the way Exact's do: free = current − reserved, projected = current + in − out. */
export function stockFigures(
  prng: Prng,
): Pick<
  StockRecord,
  'CurrentStock' | 'FreeStock' | 'PlanningIn' | 'PlanningOut' | 'ProjectedStock' | 'ReservedStock'
> {
  const current = prng.chance(0.1) ? 0 : prng.int(1, 500);
  const reserved = current > 0 && prng.chance(0.3) ? prng.int(0, Math.min(current, 40)) : 0;
  const planningIn = prng.chance(0.25) ? prng.int(1, 200) : 0;
  const planningOut = prng.chance(0.3) ? prng.int(1, 60) : 0;
  return {
    CurrentStock: current,
    FreeStock: current - reserved,
    PlanningIn: planningIn,
    PlanningOut: planningOut,
    ProjectedStock: current + planningIn - planningOut,
    ReservedStock: reserved,
  };
}

export function makeStock(prng: Prng, item: ItemRecord, warehouse: Warehouse, modified: string): StockRecord {
  return {
    ID: prng.guid(),
    ItemId: item.ID,
    ItemCode: item.Code,
    Warehouse: warehouse.ID,
    WarehouseCode: warehouse.Code,
    WarehouseDescription: warehouse.Description,
    ...stockFigures(prng),
    Modified: modified,
    Timestamp: 0,
  };
}

export function makePrice(
  prng: Prng,
  item: ItemRecord,
  options: { account: string | null; quantity: number; factor: number; modified: string },
): PriceRecord {
  const dated = prng.chance(0.05);
  const start = BASE_MS - prng.int(0, 60) * DAY_MS;
  return {
    ID: prng.guid(),
    Item: item.ID,
    ItemCode: item.Code,
    Account: options.account,
    Currency: 'EUR',
    Price: Math.round(item.CostPriceStandard * options.factor * 100) / 100,
    Quantity: options.quantity,
    Unit: item.Unit,
    UnitDescription: item.UnitDescription,
    NumberOfItemsPerUnit: 1,
    DefaultItemUnit: item.Unit,
    DefaultItemUnitDescription: item.UnitDescription,
    StartDate: dated ? edmDate(start) : null,
    EndDate: dated ? edmDate(start + prng.int(14, 120) * DAY_MS) : null,
    Modified: options.modified,
    Timestamp: 0,
  };
}
