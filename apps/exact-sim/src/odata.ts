/** Small OData helpers: Exact's date format, `$filter` conjunctions, `$select` lists. */

export const edmDate = (ms: number): string => `/Date(${ms})/`;

export function parseEdmDate(value: string): number | null {
  const match = /^\/Date\((-?\d+)\)\/$/.exec(value);
  return match ? Number(match[1]) : null;
}

/** A filter, select or key that Exact would refuse; the message is what the client gets to see. */
export class ODataError extends Error {
  override readonly name = 'ODataError';
}

type FilterOp = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';
type FilterValue = string | number | boolean | null;

export interface Comparison {
  field: string;
  op: FilterOp;
  value: FilterValue;
  kind: 'string' | 'guid' | 'number' | 'bool' | 'null';
}

const TERM =
  /^\s*([A-Za-z_][A-Za-z0-9_]*)\s+(eq|ne|gt|ge|lt|le)\s+(guid'[0-9a-fA-F-]{36}'|'(?:[^']|'')*'|-?\d+(?:\.\d+)?[LlMmDd]?|true|false|null)\s*/;

function literal(token: string): Pick<Comparison, 'value' | 'kind'> {
  if (token.startsWith('guid')) return { value: token.slice(5, -1).toLowerCase(), kind: 'guid' };
  if (token.startsWith("'")) return { value: token.slice(1, -1).replaceAll("''", "'"), kind: 'string' };
  if (token === 'true' || token === 'false') return { value: token === 'true', kind: 'bool' };
  if (token === 'null') return { value: null, kind: 'null' };
  return { value: Number(token.replace(/[LlMmDd]$/, '')), kind: 'number' };
}

/** Parses `A eq 'x' and B gt 5L …` (only conjunctions of simple comparisons, which is all the sim accepts). */
export function parseFilter(text: string): Comparison[] {
  const terms: Comparison[] = [];
  let rest = text;
  for (;;) {
    const match = TERM.exec(rest);
    if (!match) throw new ODataError(`The filter '${text.slice(0, 200)}' is not valid or not supported.`);
    const [whole, field = '', op = 'eq', value = ''] = match;
    terms.push({ field, op: op as FilterOp, ...literal(value) });
    rest = rest.slice(whole.length);
    if (rest === '') return terms;
    const and = /^and\s+/i.exec(rest);
    if (!and) throw new ODataError(`The filter '${text.slice(0, 200)}' is not valid or not supported.`);
    rest = rest.slice(and[0].length);
  }
}

/** Compares one stored value with a filter term; string equality on Exact is case-insensitive. */
export function matches(actual: unknown, term: Comparison): boolean {
  let left: unknown = actual;
  let right: unknown = term.value;
  if (typeof left === 'string' && typeof right === 'string') {
    left = left.toLowerCase();
    right = right.toLowerCase();
  }
  switch (term.op) {
    case 'eq':
      return left === right;
    case 'ne':
      return left !== right;
    default: {
      if (typeof left !== typeof right || left === null || right === null) return false;
      const l = left as number | string;
      const r = right as number | string;
      if (term.op === 'gt') return l > r;
      if (term.op === 'ge') return l >= r;
      if (term.op === 'lt') return l < r;
      return l <= r;
    }
  }
}

/** Splits `$select`; each name must be one of `allowed` (else Exact's 400), `*` is refused when `noStar`. */
export function parseSelect(
  text: string | null,
  allowed: readonly string[],
  noStar: boolean,
): string[] | null {
  if (text === null || text.trim() === '') return null;
  const fields = text.split(',').map((f) => f.trim());
  for (const field of fields) {
    if (field === '*') {
      if (noStar)
        throw new ODataError('$select=* is not allowed for this endpoint. Please specify the fields.');
      return null;
    }
    if (!allowed.includes(field)) throw new ODataError(`Property '${field.slice(0, 100)}' does not exist.`);
  }
  return [...new Set(fields)];
}

/** Parses a key like `guid'…'` (the part between the parentheses of `Entity(…)`). */
export function parseGuidKey(key: string): string {
  const match = /^guid'([0-9a-fA-F-]{36})'$/.exec(key.trim());
  if (!match?.[1]) throw new ODataError(`Invalid key '${key.slice(0, 100)}': expected guid'…'.`);
  return match[1].toLowerCase();
}

/** Builds one response record: `__metadata` first, then the selected fields. */
export function project(
  record: object,
  fields: readonly string[],
  uri: string,
  type: string,
): Record<string, unknown> {
  const source = record as Record<string, unknown>;
  const out: Record<string, unknown> = { __metadata: { uri, type } };
  for (const field of fields) out[field] = source[field] ?? null;
  return out;
}
