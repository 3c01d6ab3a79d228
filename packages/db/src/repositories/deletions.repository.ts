import {
  chainsOf,
  DELETION_CHAINS,
  type DeletionChain,
  type DeletionStrategy,
  type EntityName,
} from '@exact-sync/core';
import { and, asc, count, eq, gte, isNotNull, lt, sql } from 'drizzle-orm';
import type { Database, Executor } from '../client.ts';
import { type DeletionCounts, deletionPlans, deletionRounds, pendingDeletions } from '../schema/deletions.ts';
import { type Deletion, SYNC_TABLES } from './sync.repository.ts';
import { loadSyncState, type SyncStateRow, saveSyncState, tryLockSync } from './sync-state.repository.ts';

/**
 * Keeps deletions of an entity that is not ready for later. A deletion read twice (two chains, or a chain re-read
 * after a strategy switch) stays one row, with the higher Timestamp.
 */
export async function parkDeletions(
  tx: Executor,
  connectionId: string,
  deletions: Deletion[],
): Promise<void> {
  if (deletions.length === 0) return;
  const byKey = new Map<string, Deletion>();
  for (const d of deletions) {
    const key = `${d.entity}:${d.exactId}`;
    const seen = byKey.get(key);
    if (!seen || d.timestamp > seen.timestamp) byKey.set(key, d);
  }
  await tx
    .insert(pendingDeletions)
    .values([...byKey.values()].map((d) => ({ connectionId, ...d })))
    .onConflictDoUpdate({
      target: [pendingDeletions.connectionId, pendingDeletions.entity, pendingDeletions.exactId],
      set: {
        timestamp: sql`greatest(${pendingDeletions.timestamp}, excluded."timestamp")`,
        deletedAt: sql`excluded."deleted_at"`,
      },
    });
}

/**
 * Applies an entity's parked deletions now that its dataset is in, with the rule of applyDeletions (a row newer
 * than the deletion stays; a tombstone is never stamped twice), and forgets them. Answers how many rows it
 * tombstoned.
 */
export async function applyParkedDeletions(
  tx: Executor,
  connectionId: string,
  entity: EntityName,
): Promise<number> {
  const table = SYNC_TABLES[entity];
  const applied = await tx.execute<{ n: number }>(sql`
    with parked as (
      delete from ${pendingDeletions}
      where ${pendingDeletions.connectionId} = ${connectionId} and ${pendingDeletions.entity} = ${entity}
      returning ${pendingDeletions.exactId} as exact_id, ${pendingDeletions.timestamp} as ts,
        ${pendingDeletions.deletedAt} as deleted_at
    ), tombstoned as (
      update ${table} as t set deleted_at = parked.deleted_at, updated_at = clock_timestamp()
      from parked
      where t.connection_id = ${connectionId} and t.exact_id = parked.exact_id
        and t.deleted_at is null and t.timestamp <= parked.ts
      returning 1
    )
    select count(*)::int as n from tombstoned`);
  return applied[0]?.n ?? 0;
}

/** Parked deletions by connection and entity (one connection, or all). */
export async function countParkedDeletions(
  db: Executor,
  filter: { connectionId?: string } = {},
): Promise<{ connectionId: string; entity: EntityName; n: number }[]> {
  return db
    .select({ connectionId: pendingDeletions.connectionId, entity: pendingDeletions.entity, n: count() })
    .from(pendingDeletions)
    .where(
      filter.connectionId === undefined ? undefined : eq(pendingDeletions.connectionId, filter.connectionId),
    )
    .groupBy(pendingDeletions.connectionId, pendingDeletions.entity);
}

export type DeletionRoundRow = typeof deletionRounds.$inferSelect;

/** Which run of a round a page belongs to. */
export interface DeletionRunKey {
  connectionId: string;
  roundAt: Date;
  chain: string;
  strategy: DeletionStrategy;
  probe: boolean;
}

/** What one page of a run read and did. */
export interface DeletionPageTally {
  records: number;
  foreign: number;
  byEntity: DeletionCounts;
  applied: number;
  parked: number;
}

/**
 * Adds one page to its run's row, in the page's transaction (under the chain's lock, so no one else writes the
 * row); `finished` closes the run with the time its foreign count stands for.
 */
export async function tallyDeletionPage(
  tx: Executor,
  key: DeletionRunKey,
  page: DeletionPageTally,
  finished?: { at: Date; foreignSpanMs: number },
): Promise<void> {
  const where = and(
    eq(deletionRounds.connectionId, key.connectionId),
    eq(deletionRounds.roundAt, key.roundAt),
    eq(deletionRounds.chain, key.chain),
    eq(deletionRounds.probe, key.probe),
  );
  const [run] = await tx.select().from(deletionRounds).where(where);
  const byEntity: DeletionCounts = { ...run?.byEntity };
  for (const [entity, n] of Object.entries(page.byEntity) as [EntityName, number][]) {
    byEntity[entity] = (byEntity[entity] ?? 0) + n;
  }
  const tally = {
    pages: (run?.pages ?? 0) + 1,
    records: (run?.records ?? 0) + page.records,
    foreign: (run?.foreign ?? 0) + page.foreign,
    byEntity,
    applied: (run?.applied ?? 0) + page.applied,
    parked: (run?.parked ?? 0) + page.parked,
    ...(finished && { finishedAt: finished.at, foreignSpanMs: finished.foreignSpanMs }),
  };
  if (run) await tx.update(deletionRounds).set(tally).where(where);
  else await tx.insert(deletionRounds).values({ ...key, ...tally });
}

/** The rounds of a connection that finished at or after `since`, oldest first. */
export async function deletionRoundsSince(
  db: Executor,
  connectionId: string,
  since: Date,
): Promise<DeletionRoundRow[]> {
  return db
    .select()
    .from(deletionRounds)
    .where(and(eq(deletionRounds.connectionId, connectionId), gte(deletionRounds.finishedAt, since)))
    .orderBy(asc(deletionRounds.finishedAt));
}

/** The chains (and probe) that finished in the round that started at `roundAt`. */
export async function finishedInRound(
  db: Executor,
  connectionId: string,
  roundAt: Date,
): Promise<Set<string>> {
  const rows = await db
    .select({ chain: deletionRounds.chain, probe: deletionRounds.probe })
    .from(deletionRounds)
    .where(
      and(
        eq(deletionRounds.connectionId, connectionId),
        eq(deletionRounds.roundAt, roundAt),
        isNotNull(deletionRounds.finishedAt),
      ),
    );
  return new Set(rows.map((r) => (r.probe ? 'probe' : r.chain)));
}

/** Forgets rounds no window looks at any more. */
export async function pruneDeletionRounds(db: Executor, connectionId: string, before: Date): Promise<void> {
  await db
    .delete(deletionRounds)
    .where(and(eq(deletionRounds.connectionId, connectionId), lt(deletionRounds.roundAt, before)));
}

export type DeletionPlanRow = typeof deletionPlans.$inferSelect;

/** A connection's deletions plan; a new one follows the unfiltered chain from `now`. */
export async function loadDeletionPlan(
  db: Executor,
  connectionId: string,
  now: Date,
): Promise<DeletionPlanRow> {
  await db.insert(deletionPlans).values({ connectionId, since: now }).onConflictDoNothing();
  const [row] = await db.select().from(deletionPlans).where(eq(deletionPlans.connectionId, connectionId));
  if (!row) throw new Error('deletion plan vanished');
  return row;
}

/** The plans of one connection or of all (status, metrics, the planner). */
export async function listDeletionPlans(
  db: Executor,
  filter: { connectionId?: string } = {},
): Promise<DeletionPlanRow[]> {
  return db
    .select()
    .from(deletionPlans)
    .where(
      filter.connectionId === undefined ? undefined : eq(deletionPlans.connectionId, filter.connectionId),
    );
}

/** Stores the latest comparison of the two strategies. */
export async function saveDeletionEstimate(
  db: Executor,
  connectionId: string,
  estimate: Pick<
    DeletionPlanRow,
    'decidedAt' | 'windowMs' | 'rounds' | 'records' | 'foreign' | 'callsAll' | 'callsPerType'
  >,
): Promise<void> {
  await db.update(deletionPlans).set(estimate).where(eq(deletionPlans.connectionId, connectionId));
}

/** Marks the start of a round (a Date), or its end (null). */
export async function markDeletionRound(
  db: Executor,
  connectionId: string,
  startedAt: Date | null,
): Promise<void> {
  await db
    .update(deletionPlans)
    .set({ roundStartedAt: startedAt })
    .where(eq(deletionPlans.connectionId, connectionId));
}

/** Sets the strategy; its own statement, called inside the switch's transaction. */
async function setDeletionStrategy(
  tx: Executor,
  connectionId: string,
  strategy: DeletionStrategy,
  since: Date,
): Promise<void> {
  await tx.update(deletionPlans).set({ strategy, since }).where(eq(deletionPlans.connectionId, connectionId));
}

/**
 * Switches a connection's deletions strategy without skipping a deletion: unfiltered → per type starts every typed
 * chain at the unfiltered cursor; per type → unfiltered starts at the lowest typed cursor (what lies between is read
 * again and applied idempotently). The cursor carries the time it was last complete, so Exact's retention is judged
 * from the cursor actually used. False, changing nothing, while a chain of either strategy runs or is half-way.
 */
export async function switchDeletionStrategy(
  db: Database,
  connectionId: string,
  to: DeletionStrategy,
  now: Date,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const states = new Map<DeletionChain, SyncStateRow>();
    for (const chain of DELETION_CHAINS) {
      if (!(await tryLockSync(tx, connectionId, chain))) return false;
      const state = await loadSyncState(tx, connectionId, chain);
      if (state.nextUrl !== null) return false;
      states.set(chain, state);
    }
    const sources = (to === 'per_type' ? chainsOf('all') : chainsOf('per_type')).flatMap(
      (c) => states.get(c) ?? [],
    );
    const lowest = sources.reduce((a, b) => (b.cursor < a.cursor ? b : a));
    const times = sources.map((s) => s.lastSuccessAt);
    const complete = times.every((t) => t !== null)
      ? new Date(Math.min(...times.map((t) => t?.getTime() ?? 0)))
      : null;
    const start = {
      cursor: lowest.cursor,
      nextUrl: null,
      phase: complete ? ('incremental' as const) : ('initial' as const),
      lastSuccessAt: complete,
    };
    for (const chain of chainsOf(to)) await saveSyncState(tx, connectionId, chain, start);
    await setDeletionStrategy(tx, connectionId, to, now);
    return true;
  });
}
