import type { EntityName } from '@exact-sync/core';
import {
  applyParkedDeletions,
  countLiveRows,
  dropPendingLink,
  dropSyncField,
  inSyncLock,
  saveSyncState,
  tombstoneUnseen,
  transactionTime,
  upsertSyncedRows,
} from '@exact-sync/db';
import { type ExactClient, ExactValidationError, isPermanent } from '@exact-sync/exact';

type SyncPage = Awaited<ReturnType<ExactClient['syncPage']>>;

import { dedupeById, ENTITY_MAPPINGS, ESSENTIAL_FIELDS, selectOf } from './entity-mappers.ts';
import { holdDataset, isHeld, missingProperty } from './sync-refusals.ts';
import type { SyncRunDeps } from './sync-run-deps.ts';

export interface SyncRunResult {
  /**
   * `busy`: another run holds this entity's lock and will do the work. `held`: the entity is in `error` and its
   * retry time has not come (no call made). `error`: Exact refused it for good just now; it is in `error`.
   */
  outcome: 'done' | 'busy' | 'held' | 'error';
  pages: number;
  records: number;
  tombstoned: number;
  /** The run ended a full (or initial) run: the entity's whole dataset is in. */
  completedFull: boolean;
}

type PageStep =
  | { kind: 'busy' | 'held' }
  | { kind: 'page'; done: boolean; full: boolean; records: number; tombstoned: number; received: number };

/** What the page being fetched asked Exact for: read when Exact refuses it. */
interface Attempt {
  select: string[];
  followedLink: boolean;
}

/**
 * Syncs one entity of a connection until Exact has nothing more. Each page is one transaction: take the lock, read
 * the state, fetch the page (from the pending `__next`, else from the stored cursor), upsert it and store the new
 * cursor and `__next`. A crash anywhere leaves the last committed page as the resume point: no gap, no duplicate.
 * A full run (the initial one, or one requested) ends by tombstoning the rows it did not see. When a run leaves the
 * entity ready, the deletions parked for it are applied in the same transaction.
 * Throws `BudgetExhaustedError` when the governor says wait: that page is rolled back and nothing is lost. A refusal
 * for good drops an optional field Exact no longer has and goes on, or puts the entity in `error`.
 */
export async function runEntitySync(
  deps: SyncRunDeps,
  exact: ExactClient,
  input: { connectionId: string; entity: EntityName },
): Promise<SyncRunResult> {
  const { connectionId, entity } = input;
  const mapping = ENTITY_MAPPINGS[entity];
  const result: SyncRunResult = {
    outcome: 'done',
    pages: 0,
    records: 0,
    tombstoned: 0,
    completedFull: false,
  };
  const attempt: Attempt = { select: [], followedLink: false };
  // The next page, asked for while the current one is written: the call Exact answers overlaps the commit.
  let ahead: { link: string; select: string; page: Promise<SyncPage> } | undefined;

  // One page, in one transaction under the entity's lock.
  const step = async (): Promise<PageStep> => {
    const stepped = await inSyncLock(deps.db, connectionId, entity, async (tx, state) => {
      if (isHeld(state, deps.clock.now())) return { kind: 'held' as const };
      const starting = state.nextUrl === null;
      const startsFull =
        starting && (state.fullResyncRequested > 0 || (state.cursor === 0n && state.phase === 'initial'));
      const fullRun = startsFull || state.fullRunStartedAt !== null;
      const cursor = startsFull ? 0n : state.cursor;
      attempt.select = selectOf(entity, state.droppedFields);
      attempt.followedLink = !starting;

      // A page fetched ahead is taken only for the link the state still holds, with the same $select (another
      // run, or a dropped field, may have moved the cursor meanwhile: then it is left, one call spent).
      const select = attempt.select.join(',');
      const fetched =
        ahead && state.nextUrl === ahead.link && ahead.select === select
          ? ahead.page
          : exact.syncPage(
              mapping.path,
              state.nextUrl
                ? { next: state.nextUrl, select: attempt.select }
                : { timestamp: cursor, select: attempt.select },
              'sync',
            );
      ahead = undefined;
      const page = await fetched;
      const received = performance.now();
      if (page.next !== null) {
        ahead = {
          link: page.next,
          select,
          page: exact.syncPage(mapping.path, { next: page.next, select: attempt.select }, 'sync'),
        };
        // Its failure (budget, refusal) is met when the next step takes it; a page left unused must not throw.
        ahead.page.catch(() => undefined);
      }

      const rows = dedupeById(page.records.map((record) => mapping.toRow(record, connectionId)));
      let highest = cursor;
      for (const row of rows) if (row.timestamp > highest) highest = row.timestamp;
      const done = page.next === null;
      const next = {
        cursor: highest,
        nextUrl: page.next,
        fullRunStartedAt: done ? null : startsFull ? ('now' as const) : state.fullRunStartedAt,
        fullResyncRequested: startsFull ? 0 : state.fullResyncRequested,
        lastRunRecords: (starting ? 0 : state.lastRunRecords) + rows.length,
        lastError: null,
        errorSince: null,
        retryAt: null,
      };
      if (!done) {
        // The rows and the cursor go out together, pipelined on the transaction's connection.
        await Promise.all([
          upsertSyncedRows(tx, entity, rows, { force: fullRun }),
          saveSyncState(tx, connectionId, entity, next),
        ]);
        return { kind: 'page' as const, done, full: fullRun, records: rows.length, tombstoned: 0, received };
      }
      await upsertSyncedRows(tx, entity, rows, { force: fullRun });
      let tombstoned = 0;
      if (fullRun) {
        // The run started in an earlier transaction, or in this one: rows seen by it carry a seen_at at or after
        // the start, so only rows Exact no longer has fall below it.
        const startedAt = state.fullRunStartedAt ?? (await transactionTime(tx));
        tombstoned = await tombstoneUnseen(tx, entity, connectionId, startedAt);
      }
      // A successful page ends an `error`: the entity is ready again once the run is done.
      tombstoned += await applyParkedDeletions(tx, connectionId, entity);
      await saveSyncState(tx, connectionId, entity, {
        ...next,
        phase: 'incremental' as const,
        lastSuccessAt: 'now',
        records: await countLiveRows(tx, entity, connectionId),
      });
      return { kind: 'page' as const, done, full: fullRun, records: rows.length, tombstoned, received };
    });
    if (stepped?.kind === 'page') {
      deps.events?.pageCommitted(entity, stepped.records, (performance.now() - stepped.received) / 1000);
    }
    return stepped ?? { kind: 'busy' };
  };

  let retriedLink = false;
  for (;;) {
    let outcome: PageStep;
    try {
      outcome = await step();
    } catch (error) {
      if (!isPermanent(error)) throw error;
      const refused = error as Error;
      const field = missingProperty(refused.message);
      if (field && attempt.select.includes(field) && !ESSENTIAL_FIELDS[entity].includes(field)) {
        // Schema drift: Exact no longer has an optional field. One error spent; the run goes on without it.
        const dropped = await dropSyncField(deps.db, connectionId, entity, field);
        deps.events?.fieldDropped(entity, field);
        deps.log.warn({ connectionId, entity, field, dropped }, 'Exact no longer has a field; it is dropped');
        continue;
      }
      // A `__next` link Exact no longer accepts: start the run again from the stored cursor, once.
      if (
        refused instanceof ExactValidationError &&
        attempt.followedLink &&
        !retriedLink &&
        (await dropPendingLink(deps.db, connectionId, entity))
      ) {
        retriedLink = true;
        deps.log.warn({ entity, err: refused.message }, 'pending __next refused; restarting from the cursor');
        continue;
      }
      await holdDataset(deps, { connectionId, dataset: entity }, refused);
      return { ...result, outcome: 'error' };
    }
    if (outcome.kind !== 'page') return { ...result, outcome: outcome.kind };
    result.pages += 1;
    result.records += outcome.records;
    result.tombstoned += outcome.tombstoned;
    if (outcome.done) return { ...result, completedFull: outcome.full };
    await deps.turn?.();
  }
}
