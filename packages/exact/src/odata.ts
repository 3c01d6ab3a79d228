/** Exact's OData v2 conventions: `/Date(ms)/`, the `d` envelope, literals in filters and keys. */

import { UnexpectedBodyError } from './errors.ts';

const DATE = /^\/Date\((-?\d+)(?:[+-]\d{4})?\)\/$/;

/**
 * Parses Exact's `/Date(1641034800000)/` (epoch ms, UTC); throws on anything else.
 * @internal exported for its test
 */
export function parseExactDate(value: string): Date {
  const match = DATE.exec(value);
  if (!match) throw new UnexpectedBodyError(`not an Exact date: ${JSON.stringify(value.slice(0, 40))}`);
  return new Date(Number(match[1]));
}

/** Like {@link parseExactDate}, but null/undefined stay null (Exact sends null for unset dates). */
export function parseOptionalExactDate(value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string') throw new UnexpectedBodyError('an Exact date must be a string');
  return parseExactDate(value);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** One page of a collection: its records and the opaque `__next` link (null on the last page). */
export interface ResultPage {
  records: Record<string, unknown>[];
  next: string | null;
}

/** Unwraps both collection shapes: `{"d":{"results":[…],"__next":…}}` and `{"d":[…]}`. */
export function unwrapResults(body: unknown): ResultPage {
  if (!isObject(body) || !('d' in body)) throw new UnexpectedBodyError('response has no "d" envelope');
  const d = body.d;
  const list = Array.isArray(d) ? d : isObject(d) && Array.isArray(d.results) ? d.results : undefined;
  if (!list) throw new UnexpectedBodyError('response "d" holds no result list');
  if (!list.every(isObject)) throw new UnexpectedBodyError('result list holds a non-object');
  const next = isObject(d) && typeof d.__next === 'string' && d.__next !== '' ? d.__next : null;
  return { records: list, next };
}

/** Unwraps one record: `{"d":{…}}` (also tolerates `{"d":{"results":[{…}]}}`). */
export function unwrapRecord(body: unknown): Record<string, unknown> {
  if (!isObject(body) || !isObject(body.d)) throw new UnexpectedBodyError('response has no "d" record');
  const d = body.d;
  if (Array.isArray(d.results)) {
    const first: unknown = d.results[0];
    if (!isObject(first)) throw new UnexpectedBodyError('response "d.results" is empty');
    return first;
  }
  return d;
}

/** Exact's error text from `{"error":{"message":{"value"}}}` or OAuth's `{"error","error_description"}`. */
export function exactErrorMessage(body: unknown): string | null {
  if (!isObject(body)) return null;
  const error = body.error;
  if (isObject(error)) {
    const message = error.message;
    if (isObject(message) && typeof message.value === 'string') return message.value;
    if (typeof message === 'string') return message;
  }
  if (typeof body.error_description === 'string') return body.error_description;
  if (typeof error === 'string') return error;
  return null;
}

/** An OData string literal: `'O''Brien'`. */
export function stringLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An OData GUID literal `guid'…'`; refuses anything that is not a GUID, so nothing can be injected. */
export function guidLiteral(value: string): string {
  if (!GUID.test(value)) throw new TypeError(`not a GUID: ${JSON.stringify(value.slice(0, 40))}`);
  return `guid'${value.toLowerCase()}'`;
}

/** A sync Timestamp as a filter literal (`123L`), at least 1 as Exact requires for the first run. */
export function timestampLiteral(value: bigint | string | number | undefined): string {
  const text = value === undefined ? '1' : String(value);
  if (!/^\d+$/.test(text)) throw new TypeError(`not a sync Timestamp: ${JSON.stringify(text.slice(0, 40))}`);
  const n = BigInt(text);
  return `${n < 1n ? 1n : n}L`;
}

/** Builds a query string, keeping `$` and `,` readable and encoding spaces as %20 (not `+`) as OData expects. */
export function queryString(params: Record<string, string | undefined>): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    parts.push(`${key}=${encodeURIComponent(value).replaceAll('%2C', ',').replaceAll('%24', '$')}`);
  }
  return parts.length === 0 ? '' : `?${parts.join('&')}`;
}
