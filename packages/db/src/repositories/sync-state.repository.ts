import { DELETION_CHAINS, type EntityName } from '@exact-sync/core';
import { and, eq, inArray, isNull, max, type SQL, sql } from 'drizzle-orm';
import type { Database, Executor, Transaction } from '../client.ts';
import { connections } from '../schema/connections.ts';
import { syncState } from '../schema/sync-state.ts';

export type SyncStateRow = typeof syncState.$inferSelect;
export type SyncDataset = SyncStateRow['entity'];

type TimeColumn = 'fullRunStartedAt' | 'lastSuccessAt' | 'lastErrorAt' | 'errorSince';

/**
 * Changes to a dataset's state. A time given as `'now'` is the start of the current transaction (Postgres
 * `now()`): every statement of a page's transaction then stamps the same time.
 */
export type SyncStatePatch = {
  [K in keyof Omit<SyncStateRow, 'connectionId' | 'entity' | 'updatedAt'>]?: K extends TimeColumn
    ? SyncStateRow[K] | 'now'
    : SyncStateRow[K];
};

/**
 * Takes the lock of one (connection, dataset) for the current transaction, or answers false when another run
 * holds it. Every page of a run takes it anew, so two runs never interleave on one cursor.
 */
export async function tryLockSync(
  tx: Executor,
  connectionId: string,
  dataset: SyncDataset,
): Promise<boolean> {
  const key = `sync:${connectionId}:${dataset}`;
  const [row] = await tx.execute<{ locked: boolean }>(
    sql`select pg_try_advisory_xact_lock(hashtextextended(${key}, 0)) as locked`,
  );
  return row?.locked === true;
}

/** The state row of a dataset, created on first use. */
export async function loadSyncState(
  tx: Executor,
  connectionId: string,
  dataset: SyncDataset,
): Promise<SyncStateRow> {
  await tx.insert(syncState).values({ connectionId, entity: dataset }).onConflictDoNothing();
  const [row] = await tx
    .select()
    .from(syncState)
    .where(and(eq(syncState.connectionId, connectionId), eq(syncState.entity, dataset)));
  if (!row) throw new Error(`sync state of ${dataset} vanished`);
  return row;
}

/**
 * Runs `work` in one transaction that holds the dataset's sync lock, with the dataset's state as it is inside the
 * lock; answers undefined, without running it, when another run holds the lock. A page and its cursor are written
 * in that one transaction, so a crash resumes at the last committed page.
 */
export async function inSyncLock<T>(
  db: Database,
  connectionId: string,
  dataset: SyncDataset,
  work: (tx: Transaction, state: SyncStateRow) => Promise<T>,
): Promise<T | undefined> {
  return db.transaction(async (tx) => {
    if (!(await tryLockSync(tx, connectionId, dataset))) return undefined;
    return work(tx, await loadSyncState(tx, connectionId, dataset));
  });
}

export async function saveSyncState(
  tx: Executor,
  connectionId: string,
  dataset: SyncDataset,
  patch: SyncStatePatch,
): Promise<void> {
  const set: Record<string, unknown> = { ...patch, updatedAt: sql`now()` };
  for (const [column, value] of Object.entries(patch)) if (value === 'now') set[column] = sql`now()`;
  await tx
    .update(syncState)
    .set(set as { [K in keyof SyncStateRow]?: SyncStateRow[K] | SQL })
    .where(and(eq(syncState.connectionId, connectionId), eq(syncState.entity, dataset)));
}

/**
 * Records why a run of a dataset failed. Its own transaction: the failed page's was rolled back, and on a first run
 * with it the state row itself, so the row is created here when missing.
 */
export async function recordSyncError(
  db: Database,
  connectionId: string,
  dataset: SyncDataset,
  message: string,
): Promise<void> {
  await db.transaction(async (tx) => {
    await loadSyncState(tx, connectionId, dataset);
    await saveSyncState(tx, connectionId, dataset, { lastError: message.slice(0, 500), lastErrorAt: 'now' });
  });
}

/**
 * Puts a dataset in `error` (Exact refused it for good): `message` is Exact's, and no run calls Exact before
 * `retryAt`. Its own transaction, like recordSyncError; the time it entered `error` is kept across failed retries.
 */
export async function holdSyncDataset(
  db: Database,
  connectionId: string,
  dataset: SyncDataset,
  input: { message: string; retryAt: Date },
): Promise<void> {
  await db.transaction(async (tx) => {
    const state = await loadSyncState(tx, connectionId, dataset);
    await saveSyncState(tx, connectionId, dataset, {
      lastError: input.message.slice(0, 500),
      lastErrorAt: 'now',
      errorSince: state.errorSince ?? 'now',
      retryAt: input.retryAt,
    });
  });
}

/**
 * Leaves an optional field out of an entity's `$select` from now on (Exact no longer has it), and forgets a pending
 * `__next`, which carries the old `$select`: the run goes on from the stored cursor. Answers the fields dropped.
 */
export async function dropSyncField(
  db: Database,
  connectionId: string,
  entity: EntityName,
  field: string,
): Promise<string[]> {
  return db.transaction(async (tx) => {
    const state = await loadSyncState(tx, connectionId, entity);
    const droppedFields = [...new Set([...state.droppedFields, field])];
    await saveSyncState(tx, connectionId, entity, { droppedFields, nextUrl: null });
    return droppedFields;
  });
}

/** Entities whose dataset is in: past their initial sync and not in `error`. Deletions apply only to these. */
export async function readyEntities(tx: Executor, connectionId: string): Promise<Set<string>> {
  const rows = await tx
    .select({ entity: syncState.entity })
    .from(syncState)
    .where(
      and(
        eq(syncState.connectionId, connectionId),
        eq(syncState.phase, 'incremental'),
        isNull(syncState.errorSince),
      ),
    );
  return new Set(rows.map((r) => r.entity));
}

/** The highest Exact Timestamp the connection has seen in any dataset (one sequence per division). */
export async function highestKnownTimestamp(tx: Executor, connectionId: string): Promise<bigint> {
  const [row] = await tx
    .select({ highest: max(syncState.cursor) })
    .from(syncState)
    .where(eq(syncState.connectionId, connectionId));
  return row?.highest ?? 0n;
}

/** When the current transaction started (Postgres `now()`), as the database keeps time. */
export async function transactionTime(tx: Executor): Promise<Date> {
  const [row] = await tx.execute<{ started: Date }>(sql`select now() as started`);
  if (!row) throw new Error('no transaction time');
  return new Date(row.started);
}

export async function listSyncStates(tx: Executor, connectionId: string): Promise<SyncStateRow[]> {
  return tx.select().from(syncState).where(eq(syncState.connectionId, connectionId));
}

/** Asks for a full resync of the given entities at their next run (the flag survives a busy or lost job). */
export async function requestFullResync(
  tx: Executor,
  connectionId: string,
  entities: readonly EntityName[],
): Promise<void> {
  for (const entity of entities) await loadSyncState(tx, connectionId, entity);
  await tx
    .update(syncState)
    .set({ fullResyncRequested: 1, updatedAt: sql`now()` })
    .where(and(eq(syncState.connectionId, connectionId), inArray(syncState.entity, [...entities])));
}

/** Forgets the `__next` link of an unfinished run, so the next run starts from the stored cursor; false if none. */
export async function dropPendingLink(
  db: Database,
  connectionId: string,
  dataset: SyncDataset,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const state = await loadSyncState(tx, connectionId, dataset);
    if (state.nextUrl === null) return false;
    await saveSyncState(tx, connectionId, dataset, { nextUrl: null });
    return true;
  });
}

/**
 * Records the division dates Exact reported (`DivisionMoveDate`, `DivisionHRLinkUnlinkDate`) and, when one of them
 * changed (Exact then regenerates every Timestamp), in the same transaction: a full resync of every entity and every
 * deletions chain from its start, so the change is acted on exactly once.
 */
export async function recordDivisionDates(
  db: Database,
  connectionId: string,
  input: {
    moveDate: Date | null;
    hrLinkDate: Date | null;
    resync: { entities: readonly EntityName[] } | null;
  },
): Promise<void> {
  await db.transaction(async (tx) => {
    if (input.resync) {
      await requestFullResync(tx, connectionId, input.resync.entities);
      await tx
        .update(syncState)
        .set({ cursor: 0n, nextUrl: null, updatedAt: sql`now()` })
        .where(
          and(eq(syncState.connectionId, connectionId), inArray(syncState.entity, [...DELETION_CHAINS])),
        );
    }
    await tx
      .update(connections)
      .set({ divisionMoveDate: input.moveDate, divisionHrLinkDate: input.hrLinkDate })
      .where(eq(connections.id, connectionId));
  });
}
