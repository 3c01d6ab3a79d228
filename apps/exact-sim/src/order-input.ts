import { parseEdmDate } from './odata.ts';

/** Invalid order input; the message is what Exact's error body carries. */
export class OrderInputError extends Error {
  override readonly name = 'OrderInputError';
}

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export function optionalNumber(value: unknown, what: string): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new OrderInputError(`${what}: must be a number.`);
  return value;
}

export function optionalText(value: unknown, what: string, max: number): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw new OrderInputError(`${what}: must be a string.`);
  if (value.length > max) throw new OrderInputError(`${what}: longer than ${max} characters.`);
  return value;
}

export function optionalDate(value: unknown, what: string): number | null {
  if (value === undefined || value === null) return null;
  const ms = typeof value === 'string' ? (parseEdmDate(value) ?? Date.parse(value)) : Number.NaN;
  if (!Number.isFinite(ms)) throw new OrderInputError(`${what}: not a valid date.`);
  return ms;
}

/** A GUID field (lower-cased), null when absent; anything else is refused. */
export function optionalGuid(value: unknown, what: string): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || !GUID.test(value)) throw new OrderInputError(`${what}: must be a GUID.`);
  return value.toLowerCase();
}
