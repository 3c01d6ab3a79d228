import {
  type DeletionChain,
  type DeletionStrategy,
  type EntityName,
  entityForDeletedType,
  entityTypeOfChain,
} from '@exact-sync/core';
import {
  applyDeletions,
  type Deletion,
  type DeletionCounts,
  inSyncLock,
  parkDeletions,
  readyEntities,
  saveSyncState,
  tallyDeletionPage,
} from '@exact-sync/db';
import { type ExactClient, isPermanent } from '@exact-sync/exact';
import { staleChainRestart } from './deletion-retention.ts';
import { date, guid, highestVersion, rowVersion } from './exact-fields.ts';
import { holdDataset, isHeld } from './sync-refusals.ts';
import type { DeletionRunDeps } from './sync-run-deps.ts';

export interface ChainRunInput {
  connectionId: string;
  chain: DeletionChain;
  strategy: DeletionStrategy;
  /** Start of the round (the `sync.deleted` job run); the chains of one round share it. */
  roundAt: Date;
  /**
   * A probe: one page of the unfiltered chain while the per-type chains run, to measure what the unfiltered chain
   * would read. Afterwards its cursor moves to `resetTo` (the lowest typed cursor): the typed chains cover what it
   * skips, and the next probe samples the window since this one.
   */
  probe?: { resetTo: bigint };
  /** The entities the connection syncs: deletions of the others count as foreign. */
  enabled: ReadonlySet<EntityName>;
}

/** What this call of a chain run did (its round's row in `deletion_rounds` holds the whole run). */
export interface ChainRunResult {
  /** As for entity runs: `held` made no call; `error` is a refusal for good just now. */
  outcome: 'done' | 'busy' | 'held' | 'error';
  pages: number;
  records: number;
  /** Records of entity types this service does not sync. */
  foreign: number;
  byEntity: DeletionCounts;
  applied: number;
  parked: number;
  /** Entities re-read in full because the chain's cursor had outlived Exact's retention (empty almost always). */
  staleResync: EntityName[];
}

type Step = { kind: 'busy' | 'held' } | { kind: 'page'; done: boolean; stale: EntityName[] };

const MIN_SAMPLE_MS = 1_000;

/** Sorts one page of `sync/Deleted` into deletions of synced entities and a count of the rest. */
function classify(records: Record<string, unknown>[], enabled: ReadonlySet<EntityName>) {
  const own: Deletion[] = [];
  const byEntity: DeletionCounts = {};
  let foreign = 0;
  let highest = 0n;
  let first = Number.POSITIVE_INFINITY;
  let last = 0;
  for (const record of records) {
    const timestamp = rowVersion(record.Timestamp);
    if (timestamp > highest) highest = timestamp;
    const deletedAt = date(record.DeletedDate) ?? new Date();
    first = Math.min(first, deletedAt.getTime());
    last = Math.max(last, deletedAt.getTime());
    const entity = entityForDeletedType(Number(record.EntityType));
    if (!entity || !enabled.has(entity)) {
      foreign += 1;
      continue;
    }
    own.push({ entity, exactId: guid(record.EntityKey, 'EntityKey'), timestamp, deletedAt });
    byEntity[entity] = (byEntity[entity] ?? 0) + 1;
  }
  return { own, byEntity, foreign, highest, sampleMs: Math.max(MIN_SAMPLE_MS, last - first) };
}

/**
 * Follows one `sync/Deleted` chain of a connection to its end, page by page with the cursor in the same transaction
 * as what the page changed. A deletion of an entity whose dataset is in is applied (a tombstone only when the local
 * row is not newer); one of an entity not ready (initial sync, `error`) is parked until it is. A cursor older than
 * Exact's retention first requests a full resync of the chain's entities, once. The finished run is recorded as a
 * round, with what it read, for the strategy comparison.
 */
export async function runDeletionChain(
  deps: DeletionRunDeps,
  exact: ExactClient,
  input: ChainRunInput,
): Promise<ChainRunResult> {
  const { connectionId, chain, probe } = input;
  const result: ChainRunResult = {
    outcome: 'done',
    ...{ pages: 0, records: 0, foreign: 0, byEntity: {}, applied: 0, parked: 0, staleResync: [] },
  };

  const step = async (): Promise<Step> => {
    const stepped = await inSyncLock(deps.db, connectionId, chain, async (tx, loaded) => {
      const now = deps.clock.now();
      if (isHeld(loaded, now)) return { kind: 'held' as const };
      const restart = probe ? undefined : await staleChainRestart(deps, tx, { connectionId, chain }, loaded);
      const state = restart?.state ?? loaded;
      const page = await exact.deletedPage(
        state.nextUrl
          ? { next: state.nextUrl }
          : { timestamp: state.cursor, entityType: entityTypeOfChain(chain) },
        'sync',
      );
      const { own, byEntity, foreign, highest, sampleMs } = classify(page.records, input.enabled);
      const ready = await readyEntities(tx, connectionId);
      const applicable = own.filter((d) => ready.has(d.entity));
      const parked = own.filter((d) => !ready.has(d.entity));
      const applied = await applyDeletions(tx, connectionId, applicable);
      await parkDeletions(tx, connectionId, parked);

      const done = page.next === null || probe !== undefined;
      await saveSyncState(tx, connectionId, chain, {
        cursor: probe ? probe.resetTo : highestVersion(highest, state.cursor),
        nextUrl: probe ? null : page.next,
        lastRunRecords: (state.nextUrl === null ? 0 : state.lastRunRecords) + page.records.length,
        lastError: null,
        errorSince: null,
        retryAt: null,
        ...(done && { phase: 'incremental' as const, lastSuccessAt: new Date(now) }),
      });
      // The time the foreign count stands for: a probe's full page, its spread of DeletedDate; otherwise the time
      // since the chain was last complete (a first run reads up to Exact's whole memory).
      const since = state.lastSuccessAt?.getTime() ?? now - deps.retentionMs;
      const foreignSpanMs = probe && page.next !== null ? sampleMs : Math.max(0, now - since);
      await tallyDeletionPage(
        tx,
        { connectionId, roundAt: input.roundAt, chain, strategy: input.strategy, probe: probe !== undefined },
        { records: page.records.length, foreign, byEntity, applied, parked: parked.length },
        done ? { at: new Date(now), foreignSpanMs } : undefined,
      );
      result.pages += 1;
      result.records += page.records.length;
      result.foreign += foreign;
      result.applied += applied;
      result.parked += parked.length;
      for (const [entity, n] of Object.entries(byEntity) as [EntityName, number][]) {
        result.byEntity[entity] = (result.byEntity[entity] ?? 0) + n;
      }
      return { kind: 'page' as const, done, stale: restart?.entities ?? [] };
    });
    return stepped ?? { kind: 'busy' };
  };

  for (;;) {
    let outcome: Step;
    try {
      outcome = await step();
    } catch (error) {
      if (!isPermanent(error)) throw error;
      await holdDataset(deps, { connectionId, dataset: chain }, error as Error);
      return { ...result, outcome: 'error' };
    }
    if (outcome.kind !== 'page') return { ...result, outcome: outcome.kind };
    if (outcome.stale.length > 0) {
      result.staleResync = outcome.stale;
      deps.events?.staleResync(chain);
      deps.log.warn(
        { connectionId, chain, entities: outcome.stale },
        'deletions cursor older than Exact keeps deletions; full resync requested',
      );
    }
    if (outcome.done) return result;
  }
}
