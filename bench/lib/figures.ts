/** Percentile (nearest rank) of unsorted values; NaN for none. */
export function pct(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return (
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN
  );
}

/** `p50 … ms, p99 … ms, max … ms (n)` of latencies in ms. */
export function latencySummary(values: readonly number[]): string {
  if (values.length === 0) return 'no samples';
  const f = (v: number) => (v >= 100 ? v.toFixed(0) : v.toFixed(1));
  return `p50 ${f(pct(values, 50))} ms, p99 ${f(pct(values, 99))} ms, max ${f(Math.max(...values))} ms (n=${values.length})`;
}

/** Prints rows as a left-aligned text table with a header. */
export function printTable(header: readonly string[], rows: readonly (readonly (string | number)[])[]): void {
  const cells = [header, ...rows].map((r) => r.map(String));
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  for (const [n, row] of cells.entries()) {
    console.log(
      row.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  '),
    );
    if (n === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  }
}

/** A number with thousands separators. */
export const num = (n: number): string => Math.round(n).toLocaleString('en-US');
