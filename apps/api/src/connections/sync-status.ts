import {
  chainsOf,
  DELETION_CHAINS,
  ENTITY_NAMES,
  type EntitiesSettings,
  enabledEntities,
  isEntityEnabled,
  LIST_INTERVAL_SECONDS,
  LIST_NAMES,
  targetLagSeconds,
} from '@exact-sync/core';
import type { DeletionPlanRow, SyncStateRow } from '@exact-sync/db';
import type { StatusView } from './connection.schemas.ts';

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/** What the sync part of a connection's status is made of, read by connection-view.ts. */
export interface SyncFacts {
  now: number;
  states: SyncStateRow[];
  settings: EntitiesSettings;
  plan: DeletionPlanRow | undefined;
  parked: { entity: string; n: number }[];
  /** Planned polling interval (ms) by dataset (`items`, …, `deleted`), when the planner has set one. */
  intervals: Record<string, number | null>;
}

// A dataset held in `error` shows that as its phase; the progress phase underneath comes back with the next success.
const phaseOf = (s: SyncStateRow | undefined) => (s?.errorSince ? 'error' : (s?.phase ?? 'initial'));

/** Per entity: progress, freshness against its target, and what Exact refused or no longer has. */
export function entitiesView(facts: SyncFacts): StatusView['entities'] {
  const entries = ENTITY_NAMES.map((name) => {
    const s = facts.states.find((state) => state.entity === name);
    const interval = facts.intervals[name] ?? null;
    const target = targetLagSeconds(facts.settings, name);
    const lastSuccess = s?.lastSuccessAt ?? null;
    return [
      name,
      {
        enabled: isEntityEnabled(facts.settings, name),
        phase: phaseOf(s),
        cursor: String(s?.cursor ?? 0),
        records: s?.records ?? 0,
        lastSuccessAt: iso(lastSuccess),
        lagSeconds: lastSuccess ? Math.max(0, Math.floor((facts.now - lastSuccess.getTime()) / 1000)) : null,
        // The lag the plan promises: one polling interval (plus a run's own time).
        plannedIntervalSeconds: interval === null ? null : Math.round(interval / 1000),
        targetLagSeconds: target,
        meetsTarget: interval === null ? null : interval <= target * 1000,
        lastError: s?.lastError ?? null,
        errorSince: iso(s?.errorSince),
        retryAt: iso(s?.retryAt),
        droppedFields: s?.droppedFields ?? [],
        parkedDeletions: facts.parked.find((p) => p.entity === name)?.n ?? 0,
      },
    ];
  });
  return Object.fromEntries(entries) as StatusView['entities'];
}

/** Per REST list (price lists, VAT codes, …): its last complete read, planned once a day. */
export function listsView(facts: SyncFacts): StatusView['lists'] {
  const entries = LIST_NAMES.map((name) => {
    const s = facts.states.find((state) => state.entity === name);
    const interval = facts.intervals[name] ?? null;
    const lastSuccess = s?.lastSuccessAt ?? null;
    return [
      name,
      {
        phase: phaseOf(s),
        records: s?.records ?? 0,
        lastSuccessAt: iso(lastSuccess),
        lagSeconds: lastSuccess ? Math.max(0, Math.floor((facts.now - lastSuccess.getTime()) / 1000)) : null,
        plannedIntervalSeconds: interval === null ? null : Math.round(interval / 1000),
        targetLagSeconds: LIST_INTERVAL_SECONDS,
        lastError: s?.lastError ?? null,
        retryAt: iso(s?.retryAt),
      },
    ];
  });
  return Object.fromEntries(entries) as StatusView['lists'];
}

/** The deletions strategy, what it and the other cost over the window, and each chain's cursor. */
export function deletionsView(facts: SyncFacts): StatusView['deletions'] {
  const { plan } = facts;
  const strategy = plan?.strategy ?? 'all';
  const active = new Set<string>(chainsOf(strategy, enabledEntities(facts.settings)));
  const chains = DELETION_CHAINS.map((name) => {
    const s = facts.states.find((state) => state.entity === name);
    return [
      name,
      {
        active: active.has(name),
        phase: phaseOf(s),
        cursor: String(s?.cursor ?? 0),
        lastSuccessAt: iso(s?.lastSuccessAt),
        lastError: s?.lastError ?? null,
        retryAt: iso(s?.retryAt),
        staleResyncAt: iso(s?.staleResyncAt),
        staleResyncReason: s?.staleResyncReason ?? null,
      },
    ];
  });
  const interval = facts.intervals.deleted ?? null;
  return {
    strategy,
    strategySince: iso(plan?.since),
    plannedIntervalSeconds: interval === null ? null : Math.round(interval / 1000),
    cost: plan?.decidedAt
      ? {
          windowSeconds: Math.round(plan.windowMs / 1000),
          rounds: plan.rounds,
          records: plan.records,
          foreign: plan.foreign,
          callsAll: plan.callsAll,
          callsPerType: plan.callsPerType,
          decidedAt: iso(plan.decidedAt),
        }
      : null,
    chains: Object.fromEntries(chains) as StatusView['deletions']['chains'],
  };
}
