import { EXACT_LISTS, type ListName } from '@exact-sync/core';
import {
  countLiveListRows,
  inSyncLock,
  saveSyncState,
  tombstoneUnseenListRows,
  transactionTime,
  upsertListRows,
} from '@exact-sync/db';
import { type ExactClient, isPermanent } from '@exact-sync/exact';
import { LIST_MAPPINGS, listRow } from './list-mappers.ts';
import { holdDataset, isHeld } from './sync-refusals.ts';
import type { SyncRunDeps } from './sync-run-deps.ts';

export interface ListRunResult {
  /** As for entity runs: `busy` another run holds the list; `held` it is in `error` (no call); `error` just now. */
  outcome: 'done' | 'busy' | 'held' | 'error';
  pages: number;
  records: number;
  tombstoned: number;
}

type Step = { kind: 'busy' | 'held' } | { kind: 'page'; done: boolean; records: number; tombstoned: number };

/**
 * Reads one REST list of a connection in full, a page (60 records) per transaction with the `__next` link stored
 * beside it, so a budget wait or a crash resumes at the next page rather than from the start. The first page marks
 * the start of the read; the last tombstones the rows the read did not see (these lists have no `sync/Deleted`
 * type). Throws `BudgetExhaustedError` when the governor says wait: that page is rolled back.
 */
export async function runListSync(
  deps: SyncRunDeps,
  exact: ExactClient,
  input: { connectionId: string; list: ListName },
): Promise<ListRunResult> {
  const { connectionId, list } = input;
  const result: ListRunResult = { outcome: 'done', pages: 0, records: 0, tombstoned: 0 };

  const step = async (): Promise<Step> => {
    const stepped = await inSyncLock(deps.db, connectionId, list, async (tx, state) => {
      if (isHeld(state, deps.clock.now())) return { kind: 'held' as const };
      const starting = state.nextUrl === null;
      const page = await exact.listPage(
        EXACT_LISTS[list].path,
        state.nextUrl ? { next: state.nextUrl, select: [] } : { select: LIST_MAPPINGS[list].select },
        'sync',
      );
      const byId = new Map(page.records.map((r) => [String(r.ID).toLowerCase(), r]));
      const rows = [...byId.values()].map((r) => listRow(list, r, connectionId));
      await upsertListRows(tx, list, rows);
      const done = page.next === null;
      const startedAt = starting ? await transactionTime(tx) : state.fullRunStartedAt;
      const tombstoned =
        done && startedAt ? await tombstoneUnseenListRows(tx, list, connectionId, startedAt) : 0;
      await saveSyncState(tx, connectionId, list, {
        nextUrl: page.next,
        fullRunStartedAt: done ? null : starting ? 'now' : state.fullRunStartedAt,
        lastRunRecords: (starting ? 0 : state.lastRunRecords) + rows.length,
        lastError: null,
        errorSince: null,
        retryAt: null,
        ...(done && {
          phase: 'incremental' as const,
          lastSuccessAt: 'now',
          records: await countLiveListRows(tx, list, connectionId),
        }),
      });
      return { kind: 'page' as const, done, records: rows.length, tombstoned };
    });
    return stepped ?? { kind: 'busy' };
  };

  for (;;) {
    let outcome: Step;
    try {
      outcome = await step();
    } catch (error) {
      if (!isPermanent(error)) throw error;
      await holdDataset(deps, { connectionId, dataset: list }, error as Error);
      return { ...result, outcome: 'error' };
    }
    if (outcome.kind !== 'page') return { ...result, outcome: outcome.kind };
    result.pages += 1;
    result.records += outcome.records;
    result.tombstoned += outcome.tombstoned;
    if (outcome.done) return result;
  }
}
