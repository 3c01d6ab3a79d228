import { z } from 'zod';

/*
 * Fields of answers whose format the document states (`format: date-time`, `date`, `uuid`). The values come from
 * this service (`toISOString()`, Postgres dates and ids, Exact's GUIDs as stored), so the format is documented, not
 * checked again on the way out: a check there could only turn a good answer into a 500.
 */

/** A moment, ISO 8601 in UTC (`2026-03-01T12:00:00.000Z`). */
export const utcTime = z.string().meta({ format: 'date-time' });

/** A calendar day without a time (`2026-03-01`). */
export const calendarDate = z.string().meta({ format: 'date' });

/** A GUID: this service's ids, and Exact's. */
export const guid = z.string().meta({ format: 'uuid' });
