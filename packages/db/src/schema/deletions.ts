import { DELETION_STRATEGIES, ENTITY_NAMES, type EntityName } from '@exact-sync/core';
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { rowVersion, tstz } from './columns.ts';
import { connections } from './connections.ts';

const entityList = ENTITY_NAMES.map((e) => `'${e}'`).join(', ');

/**
 * Deletions read from `sync/Deleted` for an entity whose dataset is not in yet (initial sync, or `error`): applied
 * with the same Timestamp rule once the entity is ready, then removed.
 */
export const pendingDeletions = pgTable(
  'pending_deletions',
  {
    connectionId: uuid('connection_id')
      .notNull()
      .references(() => connections.id, { onDelete: 'cascade' }),
    entity: text('entity', { enum: ENTITY_NAMES }).notNull(),
    exactId: uuid('exact_id').notNull(),
    /** The deletion's Timestamp: a local row newer than this was changed after it and stays. */
    timestamp: rowVersion('timestamp').notNull(),
    deletedAt: tstz('deleted_at').notNull(),
    parkedAt: tstz('parked_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.connectionId, t.entity, t.exactId] }),
    check('pending_deletions_entity', sql.raw(`"entity" in (${entityList})`)),
  ],
);

/** Deletions of synced entities a round read, by entity. */
export type DeletionCounts = Partial<Record<EntityName, number>>;

/**
 * One run of a deletions chain within a round: what it cost and what it read, tallied page by page in each page's
 * transaction (so a run interrupted by a budget wait keeps its count), finished when `finishedAt` is set. The
 * strategy decision compares the calls the two strategies cost (or would have cost) over a window of these.
 */
export const deletionRounds = pgTable(
  'deletion_rounds',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    connectionId: uuid('connection_id')
      .notNull()
      .references(() => connections.id, { onDelete: 'cascade' }),
    /** Start of the `sync.deleted` job run: the chains of one round share it. */
    roundAt: tstz('round_at').notNull(),
    finishedAt: tstz('finished_at'),
    chain: text('chain').notNull(),
    strategy: text('strategy', { enum: DELETION_STRATEGIES }).notNull(),
    /** A sample of the unfiltered chain taken while the per-type chains run, to measure the foreign volume. */
    probe: boolean('probe').notNull().default(false),
    pages: integer('pages').notNull(),
    records: integer('records').notNull(),
    /** Records of entity types this service does not sync. */
    foreign: integer('foreign').notNull(),
    /** How much time the foreign count covers (ms): the rate is foreign / foreignSpanMs. */
    foreignSpanMs: bigint('foreign_span_ms', { mode: 'number' }).notNull().default(0),
    byEntity: jsonb('by_entity').$type<DeletionCounts>().notNull().default({}),
    applied: integer('applied').notNull().default(0),
    parked: integer('parked').notNull().default(0),
  },
  (t) => [
    index('deletion_rounds_window').on(t.connectionId, t.finishedAt),
    uniqueIndex('deletion_rounds_run').on(t.connectionId, t.roundAt, t.chain, t.probe),
  ],
);

/**
 * A connection's deletions strategy and the last comparison that chose it: the calls over the window for each
 * strategy (measured for the rounds that ran it, estimated for the others).
 */
export const deletionPlans = pgTable(
  'deletion_plans',
  {
    connectionId: uuid('connection_id')
      .primaryKey()
      .references(() => connections.id, { onDelete: 'cascade' }),
    strategy: text('strategy', { enum: DELETION_STRATEGIES }).notNull().default('all'),
    /** When the strategy last changed (or the plan began): the next change waits a whole window after it. */
    since: tstz('since').notNull(),
    /**
     * Start of the round in progress, null between rounds. A round that waited for budget resumes with the chains
     * it has not finished, so a wait never makes it read a chain twice.
     */
    roundStartedAt: tstz('round_started_at'),
    decidedAt: tstz('decided_at'),
    windowMs: bigint('window_ms', { mode: 'number' }).notNull().default(0),
    rounds: integer('rounds').notNull().default(0),
    records: integer('records').notNull().default(0),
    foreign: integer('foreign').notNull().default(0),
    callsAll: integer('calls_all').notNull().default(0),
    callsPerType: integer('calls_per_type').notNull().default(0),
  },
  (t) => [check('deletion_plans_strategy', sql`${t.strategy} in ('all', 'per_type')`)],
);
