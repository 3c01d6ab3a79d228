import { type DeletionChain, type EntityName, entitiesOfChain } from '@exact-sync/core';
import {
  highestKnownTimestamp,
  requestFullResync,
  type SyncStateRow,
  saveSyncState,
  type Transaction,
} from '@exact-sync/db';
import { highestVersion } from './exact-fields.ts';
import type { DeletionRunDeps } from './sync-run-deps.ts';

const DAY_MS = 86_400_000;

/**
 * When the chain's cursor was last known complete: its last complete run, or the last time it was moved past a
 * stale stretch. A chain that never completed a run and never moved started with the connection: it reads all
 * Exact still has, and nothing older matters to datasets read since.
 */
function chainFreshAt(state: SyncStateRow): number | null {
  const times = [state.lastSuccessAt, state.staleResyncAt].flatMap((t) => (t ? [t.getTime()] : []));
  if (times.length > 0) return Math.max(...times);
  return state.cursor > 0n || state.nextUrl !== null ? state.updatedAt.getTime() : null;
}

/**
 * A chain whose cursor is older than Exact's memory of deletions (a connection paused for months, a chain that kept
 * failing) would silently miss deletions. Inside the chain's page transaction: a full resync (with tombstones) of
 * the entities it covers is requested, and the cursor moves to the highest Timestamp known now. Deletions before it
 * are covered by the full resync, deletions after it are still in Exact's log. `staleResyncAt` makes the chain fresh
 * again, so this happens once, never in a loop. Undefined when the chain is fresh.
 */
export async function staleChainRestart(
  deps: DeletionRunDeps,
  tx: Transaction,
  where: { connectionId: string; chain: DeletionChain },
  state: SyncStateRow,
): Promise<{ state: SyncStateRow; entities: EntityName[] } | undefined> {
  const freshAt = chainFreshAt(state);
  const now = deps.clock.now();
  if (freshAt === null || now - freshAt <= deps.retentionMs) return undefined;
  const entities = [...entitiesOfChain(where.chain)];
  const known = await highestKnownTimestamp(tx, where.connectionId);
  const cursor = highestVersion(known, state.cursor);
  const days = Math.floor((now - freshAt) / DAY_MS);
  const reason = `deletions cursor last complete ${days} days ago, beyond the ${Math.round(deps.retentionMs / DAY_MS)}-day retention: ${entities.join(', ')} re-read in full`;
  await requestFullResync(tx, where.connectionId, entities);
  const restarted = { cursor, nextUrl: null, staleResyncAt: new Date(now), staleResyncReason: reason };
  await saveSyncState(tx, where.connectionId, where.chain, restarted);
  return { state: { ...state, ...restarted }, entities };
}
