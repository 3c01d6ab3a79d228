// Words of PromQL that are not metric names (aggregations and functions are recognised by the `(` after them).
const KEYWORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'bool',
  'and',
  'or',
]);
KEYWORDS.add('unless').add('offset');

/**
 * The metric names a PromQL expression (or a Grafana `label_values(metric, label)` query) reads. Strings, label
 * matchers, ranges, grouping lists and Grafana variables are dropped first, so what is left that is a bare
 * identifier not followed by `(` is a metric name.
 */
export function metricNamesOf(expr: string): string[] {
  const labelValues = /^label_values\(\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\s*,/.exec(expr.trim());
  if (labelValues?.[1]) return [labelValues[1]];
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\$\{?\w+\}?/g, ' ');
  const names: string[] = [];
  for (const match of stripped.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const word = match[0];
    const after = stripped.slice((match.index ?? 0) + word.length).trimStart();
    const before = stripped.slice(0, match.index ?? 0);
    // A number's exponent (1e3) or a function call is not a name.
    if (after.startsWith('(') || KEYWORDS.has(word) || /[0-9.]$/.test(before)) continue;
    names.push(word);
  }
  return names;
}
