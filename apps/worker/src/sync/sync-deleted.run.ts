import { ENTITY_NAMES, entityForDeletedType } from '@exact-sync/core';
import {
  applyDeletions,
  type Database,
  type Deletion,
  inSyncLock,
  listSyncStates,
  saveSyncState,
} from '@exact-sync/db';
import type { ExactClient } from '@exact-sync/exact';
import { date, guid, rowVersion } from './exact-fields.ts';

export interface DeletedRunResult {
  /** `waiting`: some entity has not finished its initial sync, so deletions are not applied yet. */
  outcome: 'done' | 'busy' | 'waiting';
  pages: number;
  deletions: number;
  applied: number;
}

/** Whether every entity of the connection has its full dataset in: only then are deletions applied. */
export async function initialSyncComplete(db: Database, connectionId: string): Promise<boolean> {
  const states = await listSyncStates(db, connectionId);
  return ENTITY_NAMES.every((e) => states.some((s) => s.entity === e && s.phase === 'incremental'));
}

function toDeletion(record: Record<string, unknown>): Deletion | undefined {
  const entity = entityForDeletedType(Number(record.EntityType));
  if (!entity) return undefined;
  return {
    entity,
    exactId: guid(record.EntityKey, 'EntityKey'),
    timestamp: rowVersion(record.Timestamp),
    deletedAt: date(record.DeletedDate) ?? new Date(),
  };
}

/**
 * Follows the one `sync/Deleted` chain of a connection (all entity types in one call) and tombstones what it
 * reports, page by page with the cursor in the same transaction, like the entity runs.
 */
export async function runDeletedSync(
  deps: { db: Database },
  exact: ExactClient,
  input: { connectionId: string },
): Promise<DeletedRunResult> {
  const { connectionId } = input;
  const result: DeletedRunResult = { outcome: 'done', pages: 0, deletions: 0, applied: 0 };
  if (!(await initialSyncComplete(deps.db, connectionId))) return { ...result, outcome: 'waiting' };

  for (;;) {
    const step = await inSyncLock(deps.db, connectionId, 'deleted', async (tx, state) => {
      const page = await exact.deletedPage(
        state.nextUrl ? { next: state.nextUrl } : { timestamp: state.cursor },
        'sync',
      );
      const deletions: Deletion[] = [];
      let highest = state.cursor;
      for (const record of page.records) {
        const ts = rowVersion(record.Timestamp);
        if (ts > highest) highest = ts;
        const deletion = toDeletion(record);
        if (deletion) deletions.push(deletion);
      }
      const applied = await applyDeletions(tx, connectionId, deletions);
      const done = page.next === null;
      await saveSyncState(tx, connectionId, 'deleted', {
        cursor: highest,
        nextUrl: page.next,
        lastRunRecords: (state.nextUrl === null ? 0 : state.lastRunRecords) + deletions.length,
        lastError: null,
        ...(done && { phase: 'incremental' as const, lastSuccessAt: 'now' }),
      });
      return { done, deletions: deletions.length, applied };
    });
    if (!step) return { ...result, outcome: 'busy' };
    result.pages += 1;
    result.deletions += step.deletions;
    result.applied += step.applied;
    if (step.done) return result;
  }
}
