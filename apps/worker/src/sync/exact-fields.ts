import { parseOptionalExactDate } from '@exact-sync/exact';

/** A record whose shape Exact broke: the page is refused rather than stored half-right. */
class MalformedRecordError extends Error {
  override readonly name = 'MalformedRecordError';
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function guid(value: unknown, field: string): string {
  if (typeof value !== 'string' || !GUID.test(value))
    throw new MalformedRecordError(`${field} is not a GUID`);
  return value.toLowerCase();
}

export function optionalGuid(value: unknown, field: string): string | null {
  return value === null || value === undefined || value === '' ? null : guid(value, field);
}

export function text(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? value : String(value);
}

/** Numeric columns keep Exact's decimals exactly: they are stored from the JSON number's text. */
export function decimal(value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? String(n) : null;
}

/** Exact answers booleans as true/false, and some flags as 1/0. */
export function flag(value: unknown): boolean | null {
  if (value === null || value === undefined) return null;
  return value === true || value === 1 || value === '1' || value === 'true';
}

export function date(value: unknown): Date | null {
  return typeof value === 'string' ? parseOptionalExactDate(value) : null;
}

/** Exact's row version: a 64-bit integer that may arrive as a JSON number or a string. */
export function rowVersion(value: unknown): bigint {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return BigInt(value);
  if (typeof value === 'string' && /^\d+$/.test(value)) return BigInt(value);
  throw new MalformedRecordError('Timestamp is not a non-negative integer');
}

/** The highest of some row versions, or 0 (Math.max does not take bigints). */
export function highestVersion(...versions: bigint[]): bigint {
  let highest = 0n;
  for (const v of versions) if (v > highest) highest = v;
  return highest;
}

/** The lowest of some row versions (at least one). */
export function lowestVersion(first: bigint, ...rest: bigint[]): bigint {
  let lowest = first;
  for (const v of rest) if (v < lowest) lowest = v;
  return lowest;
}
