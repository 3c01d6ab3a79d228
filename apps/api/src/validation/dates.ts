import { z } from 'zod';

/**
 * Dates and times are bounded to the years 1 to 9999, in UTC: Postgres `date` and `timestamptz` refuse year 0 as
 * text, and `Date.toISOString()` writes years past 9999 with a sign Postgres cannot read, so both ends of that range
 * would otherwise reach the database as a 500.
 */
const MIN_YEAR = 1;
const MAX_YEAR = 9_999;
const inRange = (year: number) => year >= MIN_YEAR && year <= MAX_YEAR;

/** A calendar date, `YYYY-MM-DD`, in the years 0001 to 9999. */
export const isoDate = z.iso
  .date({ error: 'must be a date (YYYY-MM-DD)', abort: true })
  .refine((value) => inRange(Number(value.slice(0, 4))), 'must be a date in the years 0001 to 9999');

/** An ISO 8601 date-time with an offset (`Z` or `±hh:mm`), whose UTC time falls in the years 0001 to 9999. */
export const isoDateTime = z.iso
  .datetime({ offset: true, error: 'must be an ISO 8601 date-time', abort: true })
  .refine(
    (value) => inRange(new Date(value).getUTCFullYear()),
    'must be a time in the years 0001 to 9999 (UTC)',
  );
