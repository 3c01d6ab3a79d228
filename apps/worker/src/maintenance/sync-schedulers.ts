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
import type { Queue } from 'bullmq';
import type { WorkerServices } from '../services.ts';
import { publishPlannedDatasets } from '../sync/lane-capacity.ts';
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
 * tenth). Schedulers of connections that may not call Exact are removed, so nothing polls for them. The number of
 * datasets polled (all but the daily lists) goes to every worker, which holds its part of them (lane-capacity.ts).
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
  let polled = 0;
  for (const [budgetKey, connections] of byKey) {
    const datasets: Dataset[] = [];
    for (const c of connections) {
      const strategy = plans.find((p) => p.connectionId === c.id)?.strategy ?? 'all';
      const chains = chainsOf(strategy, enabledEntities(c.entitySettings)).length;
      datasets.push(...datasetsOf(c.id, c.entitySettings, chains, await listSyncStates(db, c.id)));
    }
    polled += datasets.filter((d) => !d.fixed).length;
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
      // A new interval gets a new scheduler: BullMQ keeps the offset a scheduler took from its first interval, and
      // after a shorter one a late poll's next run would land as much as the old interval ahead (a connection
      // planned on the default budget before Exact's headers told its limits would then poll minutes apart).
      if (existing) await queue.removeJobScheduler(id);
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
  await publishPlannedDatasets(services.redis, services.config.REDIS_PREFIX, polled);
  return planned;
}

/** Longest a planned poll stays parked (`parkNextPoll`): what a crashed worker leaves it at. */
const PARKED_MS = 10 * 60_000;

/** A job scheduler's next run as BullMQ keeps it: job `repeat:<scheduler>:<planned ms>`, delayed until then. */
async function nextPoll(queue: Queue, schedulerId: string) {
  const scheduler = await queue.getJobScheduler(schedulerId);
  if (scheduler?.next === undefined) return undefined;
  const job = await queue.getJob(`repeat:${schedulerId}:${scheduler.next}`);
  return job ? { job, plannedAt: scheduler.next } : undefined;
}

/**
 * Parks a scheduler's next poll while the one just taken waits for its turn in the sync lane and runs, and answers
 * what puts it back at its planned time. BullMQ queues a scheduler's next job as soon as its job is taken; when the
 * lane is behind, that job would come due long before the first ran, and the lane would hold a second, third…
 * job of the same dataset instead of the datasets of other connections. Parked, every dataset has one job in the
 * lane at most, and its next poll comes due when its run is over (or at its planned time, if that is later). A poll
 * already due stays as it is (it joins the run waiting in the lane); one left parked by a crashed worker comes
 * due after PARKED_MS.
 */
export async function parkNextPoll(queue: Queue, schedulerId: string): Promise<() => Promise<void>> {
  const parked = await nextPoll(queue, schedulerId).catch(() => undefined);
  // Planned later than it would be parked (a daily list's next read): it stays where it is.
  if (!parked || parked.plannedAt - Date.now() >= PARKED_MS) return async () => undefined;
  await parked.job.changeDelay(PARKED_MS).catch(() => undefined);
  return async () => {
    // The scheduler's next poll now (the planner may have moved it meanwhile: then it was never parked).
    const next = await nextPoll(queue, schedulerId).catch(() => undefined);
    await next?.job.changeDelay(Math.max(0, next.plannedAt - Date.now())).catch(() => undefined);
  };
}
