import { sql } from 'drizzle-orm';
import { check, integer, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { rowVersion, tstz } from './columns.ts';
import { connections } from './connections.ts';

/**
 * Progress of one dataset of a connection: `entity` is one of the synced entities, or `deleted` for the one
 * `sync/Deleted` chain of the connection. The cursor and the pending `__next` link are written in the same
 * transaction as the page they cover, so a crash resumes at the last committed page.
 */
export const syncState = pgTable(
  'sync_state',
  {
    connectionId: uuid('connection_id')
      .notNull()
      .references(() => connections.id, { onDelete: 'cascade' }),
    entity: text('entity', { enum: ['items', 'stock', 'prices', 'accounts', 'deleted'] }).notNull(),
    phase: text('phase', { enum: ['initial', 'incremental'] })
      .notNull()
      .default('initial'),
    /** Highest Exact Timestamp stored; the next run asks for `Timestamp gt cursor`. */
    cursor: rowVersion('cursor').notNull().default(sql`0`),
    /** `__next` of an unfinished run; null when no run is half-way. */
    nextUrl: text('next_url'),
    /** Start of the current full run; rows not seen since then are tombstoned when it completes. */
    fullRunStartedAt: tstz('full_run_started_at'),
    fullResyncRequested: integer('full_resync_requested').notNull().default(0),
    records: integer('records').notNull().default(0),
    lastRunRecords: integer('last_run_records').notNull().default(0),
    lastSuccessAt: tstz('last_success_at'),
    lastError: text('last_error'),
    lastErrorAt: tstz('last_error_at'),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.connectionId, t.entity] }),
    check('sync_state_entity', sql`${t.entity} in ('items', 'stock', 'prices', 'accounts', 'deleted')`),
    check('sync_state_phase', sql`${t.phase} in ('initial', 'incremental')`),
  ],
);
