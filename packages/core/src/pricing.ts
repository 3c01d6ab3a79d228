/**
 * The price a customer pays for one line, from synced Exact data alone. Exact documents no precedence between its
 * price sources; this is ours, the same as the simulator's order pricing (apps/api/README.md, "Quote pricing"):
 * 1. `customer_price`: the customer's own SalesItemPrice in the line's unit, the highest quantity break reached;
 * 2. `price_list`: the volume discount of the customer's price list: among its periods valid on the date, special
 *    offers (Type 2) first, then the latest start; in a period, rows for the item before rows for its item group,
 *    rows in the line's unit (or none), the highest break reached. EntryMethod 2: NewPrice; 1: (1 − Discount) × the
 *    general price at break 1;
 * 3. `account_discount`: the general SalesItemPrice (no account, highest break reached) less the account's
 *    DiscountSales, when that is not 0; `general_price` when it is.
 * Only rows valid on the date count. A line in a unit with no general price of its own is priced from the item's
 * unit times NumberOfItemsPerUnit (where the simulator answers 0). No price at all: rule `none`.
 */

/** A SalesItemPrice row, its numbers as Postgres gives them (decimal strings). */
export interface PriceSource {
  exactId: string;
  accountId: string | null;
  price: string | null;
  quantity: string | null;
  unit: string | null;
  numberOfItemsPerUnit: string | null;
  currency: string | null;
  startDate: Date | null;
  endDate: Date | null;
}

/** @internal */
export interface PriceListPeriodSource {
  exactId: string;
  startDate: Date | null;
  endDate: Date | null;
  /** 1 basic, 2 special offer. */
  type: number | null;
  currency: string | null;
}

/** @internal */
export interface VolumeDiscountSource {
  exactId: string;
  priceListPeriodId: string | null;
  itemId: string | null;
  itemGroupId: string | null;
  /** 1 discount off the general price, 2 new price. */
  entryMethod: number | null;
  discount: string | null;
  newPrice: string | null;
  quantity: string | null;
  unit: string | null;
}

export interface VatSource {
  code: string;
  /** B 0 %, E excluding, I including, N none. */
  type: string | null;
  /** A fraction (21 % is 0.21). */
  percentage: string | null;
  percentages: ReadonlyArray<{
    percentage: string | null;
    startDate: Date | null;
    endDate: Date | null;
    type: number | null;
  }>;
}

export interface PricingInput {
  item: { exactId: string; unit: string | null; itemGroupId: string | null };
  account: { exactId: string; discountSales: string | null; salesCurrency: string | null };
  /** The line's unit (the item's own when the line names none). */
  unit: string;
  quantity: number;
  /** Midnight UTC of the day priced. */
  date: Date;
  /** Every SalesItemPrice row of the item (all accounts, units and dates). */
  prices: readonly PriceSource[];
  /** The periods of the account's price list (none without one). */
  periods: readonly PriceListPeriodSource[];
  /** The volume discounts of those periods, for the item or its group. */
  volumeDiscounts: readonly VolumeDiscountSource[];
  /** The line's VAT code: the account's SalesVATCode, else the item's SalesVatCode. */
  vat: VatSource | undefined;
}

type PriceRule = 'customer_price' | 'price_list' | 'account_discount' | 'general_price';

/** A rule that gave a price for the line, and the row it came from. */
export interface RuleMatch {
  rule: PriceRule;
  unitPrice: number;
  /** `sales_item_price` or `volume_discount`, with its Exact ID. */
  source: { kind: 'sales_item_price' | 'volume_discount'; exactId: string };
  quantityBreak: number;
  /** Set when the price was converted from the item's unit: how many of it one line unit holds. */
  unitFactor?: number;
  priceListPeriodId?: string;
  entryMethod?: number;
}

interface LineVat {
  code: string;
  /** A fraction. */
  rate: number;
  pricesIncludeVat: boolean;
}

export interface LinePrice {
  rule: PriceRule | 'none';
  unitPrice: number | null;
  currency: string | null;
  /** The general price at break 1 in the line's unit: Exact's UnitPrice on an order line. */
  basePrice: number | null;
  vat: LineVat | null;
  amountExclVat: number | null;
  vatAmount: number | null;
  amountInclVat: number | null;
  /** The winning rule first, then every other rule that matched (one entry per rule and period). */
  matches: RuleMatch[];
}

const DAY_MS = 86_400_000;

/** Whether `date` lies in [start, end], both optional, the end day counted in full. */
function validOn(start: Date | null, end: Date | null, date: Date): boolean {
  const t = date.getTime();
  return (start === null || start.getTime() <= t) && (end === null || t < end.getTime() + DAY_MS);
}

/**
 * Rounded half up to cents, on the decimal value: 42.5 × 0.21 is 8.925 and gives 8.93, where the binary product
 * (8.924999…) would give 8.92. Fixing to 9 decimals first drops the binary noise; the inputs have at most 4.
 */
const cents = (n: number): number => Math.round(Number(`${n.toFixed(9)}e2`)) / 100;
const num = (value: string | null): number | null => (value === null ? null : Number(value));
const breakOf = (row: { quantity: string | null }): number => num(row.quantity) ?? 0;

/** Among rows whose quantity break is reached, the one with the highest break. */
function highestBreak<T extends { quantity: string | null }>(
  rows: readonly T[],
  quantity: number,
): T | undefined {
  let best: T | undefined;
  for (const row of rows) {
    if (breakOf(row) <= quantity && (!best || breakOf(row) > breakOf(best))) best = row;
  }
  return best;
}

function pricesIn(input: PricingInput, unit: string, account: string | null): PriceSource[] {
  return input.prices.filter(
    (p) =>
      p.accountId === account &&
      p.unit === unit &&
      p.price !== null &&
      validOn(p.startDate, p.endDate, input.date),
  );
}

/** How many of the item's own unit one `unit` holds, from any price row in that unit (1 for the item's unit). */
export function unitFactor(
  prices: readonly PriceSource[],
  itemUnit: string | null,
  unit: string,
): number | null {
  if (unit === itemUnit) return 1;
  const row = prices.find((p) => p.unit === unit && p.numberOfItemsPerUnit !== null);
  return row ? num(row.numberOfItemsPerUnit) : null;
}

/** The general price level: rows in the line's unit, else the item's unit × the line unit's factor. */
function generalPrices(input: PricingInput): { rows: PriceSource[]; factor: number } {
  const own = pricesIn(input, input.unit, null);
  if (own.length > 0 || input.item.unit === null || input.unit === input.item.unit)
    return { rows: own, factor: 1 };
  const factor = unitFactor(input.prices, input.item.unit, input.unit);
  if (factor === null) return { rows: [], factor: 1 };
  return { rows: pricesIn(input, input.item.unit, null), factor };
}

function sortedPeriods(input: PricingInput): PriceListPeriodSource[] {
  const start = (p: PriceListPeriodSource) => p.startDate?.getTime() ?? 0;
  return input.periods
    .filter((p) => validOn(p.startDate, p.endDate, input.date))
    .sort((a, b) => (b.type ?? 1) - (a.type ?? 1) || start(b) - start(a));
}

/** The best volume discount row of each valid period that has one, in the order periods take precedence. */
function priceListMatches(input: PricingInput, base: number | null): RuleMatch[] {
  const matches: RuleMatch[] = [];
  for (const period of sortedPeriods(input)) {
    const rows = input.volumeDiscounts.filter(
      (r) => r.priceListPeriodId === period.exactId && (r.unit === null || r.unit === input.unit),
    );
    const forItem = rows.filter((r) => r.itemId === input.item.exactId);
    const forGroup = rows.filter(
      (r) => r.itemId === null && r.itemGroupId !== null && r.itemGroupId === input.item.itemGroupId,
    );
    const row = highestBreak(forItem, input.quantity) ?? highestBreak(forGroup, input.quantity);
    if (!row) continue;
    const price =
      row.entryMethod === 2 ? (num(row.newPrice) ?? base ?? 0) : (base ?? 0) * (1 - (num(row.discount) ?? 0));
    matches.push({
      rule: 'price_list',
      unitPrice: cents(price),
      source: { kind: 'volume_discount', exactId: row.exactId },
      quantityBreak: breakOf(row),
      priceListPeriodId: period.exactId,
      entryMethod: row.entryMethod ?? 1,
    });
  }
  return matches;
}

function priceMatch(rule: PriceRule, row: PriceSource, unitPrice: number, factor: number): RuleMatch {
  return {
    rule,
    unitPrice,
    source: { kind: 'sales_item_price', exactId: row.exactId },
    quantityBreak: breakOf(row),
    ...(factor === 1 ? {} : { unitFactor: factor }),
  };
}

/** The VAT rate on the date: the dated percentage valid then (latest start), else the code's own; B and N none. */
function vatRate(vat: VatSource, date: Date): number {
  if (vat.type === 'B' || vat.type === 'N') return 0;
  let best: { start: number; rate: number } | undefined;
  for (const row of vat.percentages) {
    if ((row.type ?? 0) !== 0 || row.percentage === null || !validOn(row.startDate, row.endDate, date))
      continue;
    const start = row.startDate?.getTime() ?? Number.NEGATIVE_INFINITY;
    if (!best || start > best.start) best = { start, rate: Number(row.percentage) };
  }
  return best?.rate ?? num(vat.percentage) ?? 0;
}

/** Prices one line: the rule that wins, the others that matched, and the line's amounts with VAT. */
export function priceLine(input: PricingInput): LinePrice {
  const general = generalPrices(input);
  const baseRow =
    highestBreak(general.rows, 1) ?? highestBreak(general.rows, input.quantity * general.factor);
  const basePrice = baseRow ? Number(baseRow.price) * general.factor : null;
  const matches: RuleMatch[] = [];
  const customer = highestBreak(pricesIn(input, input.unit, input.account.exactId), input.quantity);
  if (customer) matches.push(priceMatch('customer_price', customer, Number(customer.price), 1));
  matches.push(...priceListMatches(input, basePrice));
  // Breaks of a converted price are in the item's unit: a line of 2 boxes of 12 reaches the break of 24 pieces.
  const tier = highestBreak(general.rows, input.quantity * general.factor);
  if (tier) {
    const discount = num(input.account.discountSales) ?? 0;
    const rule = discount === 0 ? 'general_price' : 'account_discount';
    const price = cents(Number(tier.price) * general.factor * (1 - discount));
    matches.push(priceMatch(rule, tier, price, general.factor));
  }
  const [winner] = matches;
  const currency = winnerCurrency(input, winner) ?? input.account.salesCurrency;
  if (!winner) return { ...NO_PRICE, matches: [], currency, basePrice, vat: lineVat(input) };
  return {
    rule: winner.rule,
    unitPrice: winner.unitPrice,
    currency,
    basePrice,
    ...amounts(input, winner),
    matches,
  };
}

const NO_PRICE = {
  rule: 'none',
  unitPrice: null,
  amountExclVat: null,
  vatAmount: null,
  amountInclVat: null,
} as const;

function winnerCurrency(input: PricingInput, winner: RuleMatch | undefined): string | null {
  if (!winner) return null;
  if (winner.source.kind === 'volume_discount') {
    return input.periods.find((p) => p.exactId === winner.priceListPeriodId)?.currency ?? null;
  }
  return input.prices.find((p) => p.exactId === winner.source.exactId)?.currency ?? null;
}

function lineVat(input: PricingInput): LineVat | null {
  if (!input.vat) return null;
  return {
    code: input.vat.code,
    rate: vatRate(input.vat, input.date),
    pricesIncludeVat: input.vat.type === 'I',
  };
}

/** quantity × unit price, split as Exact splits it: a code of type I includes VAT, the others add it. */
function amounts(input: PricingInput, winner: RuleMatch) {
  const vat = lineVat(input);
  const gross = input.quantity * winner.unitPrice;
  if (!vat) return { vat, amountExclVat: cents(gross), vatAmount: null, amountInclVat: null };
  if (vat.pricesIncludeVat) {
    const excl = cents(gross / (1 + vat.rate));
    return { vat, amountExclVat: excl, vatAmount: cents(gross - excl), amountInclVat: cents(gross) };
  }
  const excl = cents(gross);
  const tax = cents(gross * vat.rate);
  return { vat, amountExclVat: excl, vatAmount: tax, amountInclVat: cents(excl + tax) };
}
