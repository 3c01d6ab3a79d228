import { type LinePrice, priceLine, type RuleMatch, unitFactor, type VatSource } from '@exact-sync/core';
import type { Database, PricingAccount, PricingData, PricingItem } from '@exact-sync/db';
import { loadPricingData } from '@exact-sync/db';
import { type FieldError, invalidFields } from '../errors.ts';
import type { QuoteBody, QuoteLineView, QuoteView } from './quote.schemas.ts';

const DAY_MS = 86_400_000;

/** A number as answers give decimals: at most 4 decimals, no trailing zeros (`43.2`, not `43.2000`). */
const decimalOf = (n: number): string => {
  const fixed = n.toFixed(4);
  return fixed.includes('.') ? fixed.replace(/0+$/, '').replace(/\.$/, '') : fixed;
};
const orNull = (n: number | null): string | null => (n === null ? null : decimalOf(n));

/** Why an item cannot be quoted on the day, if it cannot: Exact's IsSalesItem and StartDate/EndDate. */
function notForSale(item: PricingItem, date: Date, day: string): string | undefined {
  if (!item.isSalesItem) return 'is not a sales item in Exact';
  const t = date.getTime();
  if (item.startDate && item.startDate.getTime() > t) return `is not sold yet on ${day} (Exact's StartDate)`;
  if (item.endDate && t >= item.endDate.getTime() + DAY_MS)
    return `is no longer sold on ${day} (Exact's EndDate)`;
  return undefined;
}

function vatOf(data: PricingData, code: string | null): VatSource | undefined {
  const vat = code === null ? undefined : data.vatCodes.find((v) => v.code === code);
  if (!vat?.code) return undefined;
  return {
    code: vat.code,
    type: vat.type,
    percentage: vat.percentage,
    percentages: data.vatPercentages.filter((p) => p.vatCodeId === vat.exactId),
  };
}

function matchView(m: RuleMatch): QuoteLineView['matched'][number] {
  return {
    rule: m.rule,
    unitPrice: decimalOf(m.unitPrice),
    source: m.source.kind,
    sourceExactId: m.source.exactId,
    quantityBreak: decimalOf(m.quantityBreak),
    priceListPeriodExactId: m.priceListPeriodId ?? null,
    entryMethod: m.entryMethod ?? null,
    unitFactor: m.unitFactor === undefined ? null : decimalOf(m.unitFactor),
  };
}

/** Unit prices without and with VAT: a code of type I means the price includes it. */
function unitPrices(priced: LinePrice) {
  const { unitPrice, vat } = priced;
  if (unitPrice === null || vat === null) return { unitPriceExclVat: null, unitPriceInclVat: null };
  return vat.pricesIncludeVat
    ? { unitPriceExclVat: decimalOf(unitPrice / (1 + vat.rate)), unitPriceInclVat: decimalOf(unitPrice) }
    : { unitPriceExclVat: decimalOf(unitPrice), unitPriceInclVat: decimalOf(unitPrice * (1 + vat.rate)) };
}

function lineView(
  line: QuoteBody['lines'][number],
  item: PricingItem,
  unit: string | null,
  factor: number,
  priced: LinePrice,
): QuoteLineView {
  return {
    sku: line.sku,
    quantity: line.quantity,
    unitCode: unit,
    itemUnitCode: item.unit,
    itemsPerUnit: decimalOf(factor),
    rule: priced.rule,
    unitPrice: orNull(priced.unitPrice),
    basePrice: orNull(priced.basePrice),
    currency: priced.currency,
    vatCode: priced.vat?.code ?? null,
    vatPercentage: priced.vat ? decimalOf(priced.vat.rate * 100) : null,
    pricesIncludeVat: priced.vat?.pricesIncludeVat ?? null,
    ...unitPrices(priced),
    amountExclVat: orNull(priced.amountExclVat),
    vatAmount: orNull(priced.vatAmount),
    amountInclVat: orNull(priced.amountInclVat),
    matched: priced.matches.map(matchView),
  };
}

/**
 * Prices every line of a quote for `account` from Postgres alone (no Exact call). Lines naming an unknown item, an
 * item not for sale on the day or a unit the item is not sold in are all refused together: a 400 naming each field.
 */
export async function quote(
  db: Database,
  input: { connectionId: string; account: PricingAccount; body: QuoteBody; today: Date },
): Promise<QuoteView> {
  const { account, body } = input;
  const day = body.date ?? input.today.toISOString().slice(0, 10);
  const date = new Date(`${day}T00:00:00.000Z`);
  const codes = [...new Set(body.lines.map((l) => l.sku))];
  const data = await loadPricingData(db, input.connectionId, account, codes);
  const items = new Map(data.items.map((i) => [i.code, i]));
  const pricesOf = new Map<string, PricingData['prices']>();
  for (const p of data.prices) {
    const list = pricesOf.get(p.itemId);
    if (list) list.push(p);
    else pricesOf.set(p.itemId, [p]);
  }
  const problems: FieldError[] = [];
  const lines: QuoteLineView[] = [];
  for (const [n, line] of body.lines.entries()) {
    const item = items.get(line.sku);
    const why = item ? notForSale(item, date, day) : 'no synced item has this code';
    if (!item || why) {
      problems.push({ field: `body.lines.${n}.sku`, message: item ? `item ${line.sku} ${why}` : `${why}` });
      continue;
    }
    const prices = pricesOf.get(item.exactId) ?? [];
    const unit = line.unitCode ?? item.unit;
    const factor = unit === null ? 1 : unitFactor(prices, item.unit, unit);
    if (factor === null) {
      const units = [...new Set([item.unit, ...prices.map((p) => p.unit)].filter((u) => u !== null))];
      problems.push({
        field: `body.lines.${n}.unitCode`,
        message: `item ${line.sku} is not sold in this unit; its units: ${units.join(', ')}`,
      });
      continue;
    }
    const priced = priceLine({
      item,
      account,
      unit: unit ?? '',
      quantity: Number(line.quantity),
      date,
      prices,
      periods: data.periods,
      volumeDiscounts: data.volumeDiscounts,
      vat: vatOf(data, account.salesVatCode ?? item.salesVatCode),
    });
    lines.push(lineView(line, item, unit, factor, priced));
  }
  if (problems.length > 0) throw invalidFields(problems);
  return { customer: { code: account.code, exactId: account.exactId }, date: day, lines };
}
