/**
 * Exact's rate-limit headers, parsed. Any subset may be present: a 429 carries only the exhausted window's
 * headers, sometimes none, and URLs without a division carry none at all.
 */
export interface RateHeaders {
  /** `X-RateLimit-Limit`: calls per day window. */
  dayLimit?: number;
  /** `X-RateLimit-Remaining`. */
  dayRemaining?: number;
  /** `X-RateLimit-Reset`: epoch ms when the day window resets. */
  dayReset?: number;
  /** `X-RateLimit-Minutely-Limit`. */
  minuteLimit?: number;
  /** `X-RateLimit-Minutely-Remaining`. */
  minuteRemaining?: number;
  /** `X-RateLimit-Minutely-Reset`: epoch ms when the minute window resets. */
  minuteReset?: number;
}

/** Header values as HTTP libraries hand them over (undici, node:http). */
export type HeaderBag = Record<string, string | string[] | undefined>;

const NAMES: Record<keyof RateHeaders, string> = {
  dayLimit: 'x-ratelimit-limit',
  dayRemaining: 'x-ratelimit-remaining',
  dayReset: 'x-ratelimit-reset',
  minuteLimit: 'x-ratelimit-minutely-limit',
  minuteRemaining: 'x-ratelimit-minutely-remaining',
  minuteReset: 'x-ratelimit-minutely-reset',
};

/** Reads one header case-insensitively; the first value when repeated. */
function headerValue(headers: HeaderBag, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== wanted) continue;
    return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
}

function nonNegativeInteger(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) return undefined;
  const value = Number(trimmed);
  return Number.isSafeInteger(value) ? value : undefined;
}

/** Parses the X-RateLimit-* headers; absent or malformed values are left out rather than guessed. */
export function parseRateHeaders(headers: HeaderBag): RateHeaders {
  const out: RateHeaders = {};
  for (const [field, name] of Object.entries(NAMES) as [keyof RateHeaders, string][]) {
    const value = nonNegativeInteger(headerValue(headers, name));
    if (value !== undefined) out[field] = value;
  }
  return out;
}
