import { bigint, timestamp } from 'drizzle-orm/pg-core';

/** Timestamps are stored with time zone and handed out as Date objects. */
export const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** Exact's row version: a 64-bit integer, kept as bigint so no precision is lost. */
export const rowVersion = (name: string) => bigint(name, { mode: 'bigint' });
