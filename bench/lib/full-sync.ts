import { ENTITY_NAMES, type EntityName } from '@exact-sync/core';
import { type DatabaseHandle, syncState } from '@exact-sync/db';
import type { SimControl } from '@exact-sync/testkit';
import { eq } from 'drizzle-orm';
import { type CallCounts, divisionCalls, SYNC_ENDPOINTS } from './call-stats.ts';

interface EntityFullSync {
  entity: EntityName;
  /** Records stored when its initial sync finished. */
  records: number;
  /** Calls to its sync endpoint up to the moment it finished. */
  calls: number;
  /** Milliseconds from the start until it finished. */
  doneMs: number;
}

export interface FullSyncObservation {
  entities: EntityFullSync[];
  /** Milliseconds until every entity and the first `sync/Deleted` chain finished. */
  doneMs: number;
  /** Sync calls in each whole rate window between the first call and the end. */
  windowCalls: number[];
  /** The division's counts at the end. */
  calls: CallCounts;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Watches a connection's initial sync until every entity and the deleted chain are incremental: which entity
 * finished when, with how many calls (read the moment it finished, before any later poll), and the sync calls in
 * each rate window (sampled just after each window boundary; the simulator's windows are aligned to `minuteMs` on a
 * clock equal to this one).
 */
export async function observeFullSync(input: {
  handle: DatabaseHandle;
  sim: SimControl;
  connectionId: string;
  division: number;
  minuteMs: number;
  startedAt: number;
  timeoutMs: number;
}): Promise<FullSyncObservation> {
  const { handle, sim, connectionId, division, minuteMs, startedAt } = input;
  const done = new Map<EntityName, EntityFullSync>();
  const boundaries: { at: number; sync: number }[] = [];
  let firstWindow = 0;
  let nextBoundary = (Math.floor(Date.now() / minuteMs) + 1) * minuteMs;
  let deletedDone = false;
  let calls = await divisionCalls(sim, division);
  while (Date.now() - startedAt < input.timeoutMs) {
    calls = await divisionCalls(sim, division);
    const now = Date.now();
    if (now >= nextBoundary) {
      if (calls.sync > 0 && firstWindow === 0) firstWindow = nextBoundary;
      boundaries.push({ at: nextBoundary, sync: calls.sync });
      nextBoundary = (Math.floor(now / minuteMs) + 1) * minuteMs;
    }
    const states = await handle.db.select().from(syncState).where(eq(syncState.connectionId, connectionId));
    for (const s of states) {
      if (s.phase !== 'incremental' || s.nextUrl !== null) continue;
      if (s.entity === 'deleted') deletedDone = true;
      const entity = ENTITY_NAMES.find((e) => e === s.entity);
      if (entity && !done.has(entity)) {
        done.set(entity, {
          entity,
          records: s.records,
          calls: calls.byEndpoint.get(SYNC_ENDPOINTS[entity]) ?? 0,
          doneMs: now - startedAt,
        });
      }
    }
    if (deletedDone && done.size === ENTITY_NAMES.length) break;
    await sleep(Math.max(5, Math.min(150, nextBoundary + 15 - Date.now())));
  }
  if (done.size < ENTITY_NAMES.length) throw new Error('the initial sync did not finish in time');
  const windowCalls: number[] = [];
  for (let i = 1; i < boundaries.length; i++) {
    const [prev, cur] = [boundaries[i - 1], boundaries[i]];
    if (prev && cur && prev.at >= firstWindow && cur.at - prev.at === minuteMs)
      windowCalls.push(cur.sync - prev.sync);
  }
  return {
    entities: ENTITY_NAMES.flatMap((e) => done.get(e) ?? []),
    doneMs: Date.now() - startedAt,
    windowCalls,
    calls,
  };
}
