import { SYNC_DATASETS } from '@exact-sync/core';
import { sql } from 'drizzle-orm';
import { check, integer, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { rowVersion, tstz } from './columns.ts';
import { connections } from './connections.ts';

const datasetList = SYNC_DATASETS.map((d) => `'${d}'`).join(', ');

/**
 * Progress of one dataset of a connection: `entity` is one of the synced entities, or a `sync/Deleted` chain
 * (`deleted` for all entity types, `deleted_<entity>` for one). The cursor and the pending `__next` link are written
 * in the same transaction as the page they cover, so a crash resumes at the last committed page.
 */
export const syncState = pgTable(
  'sync_state',
  {
    connectionId: uuid('connection_id')
      .notNull()
      .references(() => connections.id, { onDelete: 'cascade' }),
    entity: text('entity', { enum: SYNC_DATASETS }).notNull(),
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
    /**
     * Set while Exact refuses this dataset for good (400, 403, 404): it is in `error` since then, `lastError` says
     * why, and no run calls Exact before `retryAt`. Kept apart from `phase`, which the error must not erase.
     */
    errorSince: tstz('error_since'),
    retryAt: tstz('retry_at'),
    /** Optional fields Exact no longer has (schema drift): left out of `$select`, stored as null. */
    droppedFields: text('dropped_fields').array().notNull().default(sql`'{}'::text[]`),
    /**
     * A deletions chain whose cursor outlived Exact's memory of deletions: when that was found and why. The entities
     * it covers were then re-read in full, once.
     */
    staleResyncAt: tstz('stale_resync_at'),
    staleResyncReason: text('stale_resync_reason'),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.connectionId, t.entity] }),
    check('sync_state_entity', sql.raw(`"entity" in (${datasetList})`)),
    check('sync_state_phase', sql`${t.phase} in ('initial', 'incremental')`),
  ],
);
