import type { VatCodeRecord } from './dataset/catalogue-types.ts';
import type { DivisionStore } from './dataset/division-store.ts';
import { parseEdmDate } from './odata.ts';

const DAY_MS = 86_400_000;

/** Whether `date` lies in [start, end], with both bounds optional and the end date counted in full. */
export function validOn(start: string | null, end: string | null, date: number): boolean {
  const from = start === null ? null : parseEdmDate(start);
  const to = end === null ? null : parseEdmDate(end);
  return (from === null || from <= date) && (to === null || date < to + DAY_MS);
}

export function vatCodeByCode(store: DivisionStore, code: string): VatCodeRecord | undefined {
  for (const vat of store.refs.vatCodes.values()) if (vat.Code === code) return vat;
  return undefined;
}

/**
 * The code's percentage (a fraction) on `date`: the dated vat/VatPercentages row valid then (the latest start if
 * several), else the code's own Percentage. Codes of type B (0 %, base only) and N (no VAT) have none.
 */
export function vatPercentageOn(store: DivisionStore, vat: VatCodeRecord, date: number): number {
  if (vat.Type === 'B' || vat.Type === 'N') return 0;
  let best: { start: number; pct: number } | null = null;
  for (const id of store.links.children('vatPercentages', 'VATCodeID', vat.ID)) {
    const row = store.ref('vatPercentages', id);
    if (row?.Type !== 0 || !validOn(row.StartDate, row.EndDate, date)) continue;
    const start = row.StartDate === null ? Number.NEGATIVE_INFINITY : (parseEdmDate(row.StartDate) ?? 0);
    if (!best || start > best.start) best = { start, pct: row.Percentage };
  }
  return best?.pct ?? vat.Percentage;
}

const cents = (n: number): number => Math.round(n * 100) / 100;

/**
 * Splits a line's amount (quantity × net price) into amount excluding VAT and VAT. A code of type I means the price
 * includes VAT; the other types add it on top (at 0 % for B and N).
 */
export function splitVat(gross: number, pct: number, type: string | null): { excl: number; vat: number } {
  if (type === 'I') {
    const excl = cents(gross / (1 + pct));
    return { excl, vat: cents(gross - excl) };
  }
  return { excl: cents(gross), vat: cents(gross * pct) };
}
