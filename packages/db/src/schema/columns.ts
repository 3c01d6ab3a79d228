import { bigint, timestamp } from 'drizzle-orm/pg-core';

/** Timestamps with time zone at millisecond precision, like the Date objects they become (keyset cursors rely on it). */
export const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date', precision: 3 });

/** Exact's row version: a 64-bit integer, kept as bigint so no precision is lost. */
export const rowVersion = (name: string) => bigint(name, { mode: 'bigint' });
