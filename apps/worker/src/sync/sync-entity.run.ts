import type { EntityName } from '@exact-sync/core';
import {
  countLiveRows,
  type Database,
  dropPendingLink,
  inSyncLock,
  saveSyncState,
  tombstoneUnseen,
  transactionTime,
  upsertSyncedRows,
} from '@exact-sync/db';
import { type ExactClient, ExactValidationError } from '@exact-sync/exact';
import type { Logger } from 'pino';
import { dedupeById, ENTITY_MAPPINGS } from './entity-mappers.ts';

export interface SyncRunResult {
  /** `busy`: another run holds this entity's lock and will do the work. */
  outcome: 'done' | 'busy';
  pages: number;
  records: number;
  tombstoned: number;
}

type PageStep = { busy: true } | { busy: false; done: boolean; records: number; tombstoned: number };

/**
 * Syncs one entity of a connection until Exact has nothing more. Each page is one transaction: take the lock, read
 * the state, fetch the page (from the pending `__next`, else from the stored cursor), upsert it and store the new
 * cursor and `__next`. A crash anywhere leaves the last committed page as the resume point: no gap, no duplicate.
 * A full run (the initial one, or one requested) ends by tombstoning the rows it did not see.
 * Throws `BudgetExhaustedError` when the governor says wait: that page is rolled back and nothing is lost.
 */
export async function runEntitySync(
  deps: { db: Database; log: Logger },
  exact: ExactClient,
  input: { connectionId: string; entity: EntityName },
): Promise<SyncRunResult> {
  const { connectionId, entity } = input;
  const mapping = ENTITY_MAPPINGS[entity];
  const result: SyncRunResult = { outcome: 'done', pages: 0, records: 0, tombstoned: 0 };

  // One page, in one transaction under the entity's lock; `busy` when another run holds the lock.
  const step = async (): Promise<PageStep> => {
    const stepped = await inSyncLock(deps.db, connectionId, entity, async (tx, state) => {
      const starting = state.nextUrl === null;
      const startsFull =
        starting && (state.fullResyncRequested > 0 || (state.cursor === 0n && state.phase === 'initial'));
      const fullRun = startsFull || state.fullRunStartedAt !== null;
      const cursor = startsFull ? 0n : state.cursor;

      const page = await exact.syncPage(
        mapping.path,
        state.nextUrl
          ? { next: state.nextUrl, select: mapping.select }
          : { timestamp: cursor, select: mapping.select },
        'sync',
      );
      const rows = dedupeById(page.records.map((record) => mapping.toRow(record, connectionId)));
      await upsertSyncedRows(tx, entity, rows, { force: fullRun });

      let highest = cursor;
      for (const row of rows) if (row.timestamp > highest) highest = row.timestamp;
      const done = page.next === null;
      let tombstoned = 0;
      if (done && fullRun) {
        // The run started in an earlier transaction, or in this one: rows seen by it carry a seen_at at or after
        // the start, so only rows Exact no longer has fall below it.
        const startedAt = state.fullRunStartedAt ?? (await transactionTime(tx));
        tombstoned = await tombstoneUnseen(tx, entity, connectionId, startedAt);
      }
      await saveSyncState(tx, connectionId, entity, {
        cursor: highest,
        nextUrl: page.next,
        fullRunStartedAt: done ? null : startsFull ? 'now' : state.fullRunStartedAt,
        fullResyncRequested: startsFull ? 0 : state.fullResyncRequested,
        lastRunRecords: (starting ? 0 : state.lastRunRecords) + rows.length,
        lastError: null,
        ...(done && {
          phase: 'incremental' as const,
          lastSuccessAt: 'now',
          records: await countLiveRows(tx, entity, connectionId),
        }),
      });
      return { busy: false as const, done, records: rows.length, tombstoned };
    });
    return stepped ?? { busy: true };
  };

  for (;;) {
    let outcome: PageStep;
    try {
      outcome = await step();
    } catch (error) {
      // A `__next` link Exact no longer accepts: start the run again from the stored cursor.
      if (error instanceof ExactValidationError && (await dropPendingLink(deps.db, connectionId, entity))) {
        deps.log.warn({ entity, err: error.message }, 'pending __next refused; restarting from the cursor');
        continue;
      }
      throw error;
    }
    if (outcome.busy) return { ...result, outcome: 'busy' };
    result.pages += 1;
    result.records += outcome.records;
    result.tombstoned += outcome.tombstoned;
    if (outcome.done) return result;
  }
}
