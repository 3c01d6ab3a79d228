import {
  chainsOf,
  type EntitiesSettings,
  enabledEntities,
  LIST_INTERVAL_SECONDS,
  LIST_NAMES,
  schedulerTemplate,
  syncDedupId,
  targetLagSeconds,
} from '@exact-sync/core';
import {
  type ActiveConnection,
  listActiveConnections,
  listDeletionPlans,
  listSyncStates,
  type SyncStateRow,
} from '@exact-sync/db';
import { budgetKeyFor } from '@exact-sync/exact';
import type { WorkerServices } from '../services.ts';
import { type PlannedDataset, planSync } from './sync-plan.ts';

export interface PlannedKey {
  budgetKey: string;
  connections: number;
  syncCallsLeft: number;
  /** Planned interval (ms) by scheduler id. */
  intervals: Record<string, number>;
}

const DRIFT = 0.1;

interface Dataset extends PlannedDataset {
  connectionId: string;
  dataset: string;
  template: ReturnType<typeof schedulerTemplate>;
}

/**
 * A connection's datasets with their targets: each enabled entity's (the operator's or the catalogue's default),
 * and its deletions, which follow the slowest entity target, costing one call per chain of the connection's
 * strategy. Disabled entities are not planned: their schedulers go.
 */
function datasetsOf(
  connectionId: string,
  settings: EntitiesSettings,
  chains: number,
  states: readonly SyncStateRow[],
): Dataset[] {
  const entities = enabledEntities(settings).map((entity) => ({
    connectionId,
    dataset: entity,
    targetMs: targetLagSeconds(settings, entity) * 1000,
    callsPerPoll: 1,
    template: schedulerTemplate('sync.entity', { connectionId, entity }),
  }));
  const deleted = {
    connectionId,
    dataset: 'deleted',
    targetMs: Math.max(...entities.map((e) => e.targetMs)),
    callsPerPoll: chains,
    template: schedulerTemplate('sync.deleted', { connectionId }),
  };
  // A list costs a page of 60 per read: as many as its last complete read had.
  const lists = LIST_NAMES.map((list) => ({
    connectionId,
    dataset: list,
    targetMs: LIST_INTERVAL_SECONDS * 1000,
    callsPerPoll: Math.max(1, Math.ceil((states.find((s) => s.entity === list)?.records ?? 0) / LIST_PAGE)),
    fixed: true,
    template: schedulerTemplate('sync.list', { connectionId, list }),
  }));
  return [...entities, deleted, ...lists];
}

const LIST_PAGE = 60;

/**
 * Plans the polling interval of every dataset of every budget key and keeps one BullMQ job scheduler per
 * connection and dataset at that interval (re-created when missing, moved when the plan changes by more than a
 * tenth). Schedulers of connections that may not call Exact are removed, so nothing polls for them.
 */
export async function applySyncPlans(services: WorkerServices, minIntervalMs: number): Promise<PlannedKey[]> {
  const queue = services.queues.sync;
  const { db } = services.database;
  const [active, plans] = await Promise.all([listActiveConnections(db), listDeletionPlans(db)]);
  const byKey = new Map<string, ActiveConnection[]>();
  for (const c of active) {
    const key = budgetKeyFor(c.exactBaseUrl, c.division);
    byKey.set(key, [...(byKey.get(key) ?? []), c]);
  }

  const planned: PlannedKey[] = [];
  const wanted = new Set<string>();
  for (const [budgetKey, connections] of byKey) {
    const datasets: Dataset[] = [];
    for (const c of connections) {
      const strategy = plans.find((p) => p.connectionId === c.id)?.strategy ?? 'all';
      const chains = chainsOf(strategy, enabledEntities(c.entitySettings)).length;
      datasets.push(...datasetsOf(c.id, c.entitySettings, chains, await listSyncStates(db, c.id)));
    }
    const budget = await services.governor.snapshot(budgetKey);
    const plan = planSync({ now: services.clock.now(), budget, minIntervalMs, datasets });
    const intervals: Record<string, number> = {};
    for (const [i, d] of datasets.entries()) {
      const every = plan.datasets[i]?.intervalMs ?? minIntervalMs;
      const id = syncDedupId(d.connectionId, d.dataset);
      intervals[id] = every;
      wanted.add(id);
      const existing = await queue.getJobScheduler(id);
      if (existing && Math.abs((existing.every ?? 0) - every) <= DRIFT * every) continue;
      await queue.upsertJobScheduler(id, { every }, d.template);
    }
    planned.push({
      budgetKey,
      connections: connections.length,
      syncCallsLeft: plan.syncCallsLeft,
      intervals,
    });
  }

  for (const scheduler of await queue.getJobSchedulers()) {
    if (scheduler.key.startsWith('sync:') && !wanted.has(scheduler.key))
      await queue.removeJobScheduler(scheduler.key);
  }
  return planned;
}
