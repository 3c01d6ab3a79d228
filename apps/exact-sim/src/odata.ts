import { type WireFormat, wireValue } from './wire.ts';

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
  kind: 'string' | 'guid' | 'number' | 'bool' | 'null' | 'date';
}

const TERM =
  /^\s*([A-Za-z_][A-Za-z0-9_]*)\s+(eq|ne|gt|ge|lt|le)\s+(guid'[0-9a-fA-F-]{36}'|datetime'[0-9T:.-]{10,23}'|'(?:[^']|'')*'|-?\d+(?:\.\d+)?[LlMmDd]?|true|false|null)\s*/;

function literal(token: string): Pick<Comparison, 'value' | 'kind'> {
  if (token.startsWith('guid')) return { value: token.slice(5, -1).toLowerCase(), kind: 'guid' };
  if (token.startsWith('datetime')) {
    const ms = Date.parse(`${token.slice(9, -1)}Z`);
    if (Number.isNaN(ms)) throw new ODataError(`The date ${token.slice(0, 40)} is not valid.`);
    return { value: ms, kind: 'date' };
  }
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
  let left: unknown = term.kind === 'date' && typeof actual === 'string' ? parseEdmDate(actual) : actual;
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
  }
  requireFields(fields, allowed);
  return [...new Set(fields)];
}

/** Parses a key like `guid'…'` (the part between the parentheses of `Entity(…)`). */
export function parseGuidKey(key: string): string {
  const match = /^guid'([0-9a-fA-F-]{36})'$/.exec(key.trim());
  if (!match?.[1]) throw new ODataError(`Invalid key '${key.slice(0, 100)}': expected guid'…'.`);
  return match[1].toLowerCase();
}

/** Refuses a field the endpoint does not have, as Exact does (a 400 that counts toward the error budget). */
export function requireFields(names: Iterable<string>, allowed: readonly string[]): void {
  for (const name of names) {
    if (!allowed.includes(name)) throw new ODataError(`Property '${name.slice(0, 100)}' does not exist.`);
  }
}

/**
 * Builds one response record: `__metadata` first, then the selected fields in Exact's wire types. A field the
 * endpoint has but the simulator does not model comes back as null.
 */
export function project(
  record: object,
  fields: readonly string[],
  uri: string,
  type: string,
  wire?: WireFormat,
): Record<string, unknown> {
  const source = record as Record<string, unknown>;
  const out: Record<string, unknown> = { __metadata: { uri, type } };
  for (const field of fields) {
    out[field] = wire
      ? wireValue(source[field], wire.types[field], wire.int64AsString)
      : (source[field] ?? null);
  }
  return out;
}
