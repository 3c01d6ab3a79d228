import type { SyncDataset, SyncStateRow } from '@exact-sync/db';
import { holdSyncDataset } from '@exact-sync/db';
import type { SyncRunDeps } from './sync-run-deps.ts';

const MISSING_PROPERTY = /Property '([A-Za-z_][A-Za-z0-9_]*)' does not exist/;

/** The field Exact says an endpoint does not have (`Property 'X' does not exist.`), if that is what it said. */
export function missingProperty(message: string): string | undefined {
  return MISSING_PROPERTY.exec(message)?.[1];
}

/** Whether a dataset in `error` must not call Exact yet. */
export function isHeld(state: Pick<SyncStateRow, 'retryAt'>, now: number): boolean {
  return state.retryAt !== null && state.retryAt.getTime() > now;
}

/**
 * Puts a dataset in `error` after Exact refused it for good, with Exact's message; it is tried again after
 * `errorRetryMs` at the earliest, so a refusal costs at most one of Exact's ten errors an hour per endpoint. One log
 * line per refusal.
 */
export async function holdDataset(
  deps: SyncRunDeps,
  where: { connectionId: string; dataset: SyncDataset },
  error: Error,
): Promise<void> {
  const retryAt = new Date(deps.clock.now() + deps.errorRetryMs);
  await holdSyncDataset(deps.db, where.connectionId, where.dataset, { message: error.message, retryAt });
  deps.events?.held(where.dataset);
  deps.log.warn(
    { ...where, err: error.message, retryAt: retryAt.toISOString() },
    'Exact refused the dataset; it is in error until the retry',
  );
}
