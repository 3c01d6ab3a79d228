import { ENTITY_NAMES, schedulerTemplate, syncDedupId } from '@exact-sync/core';
import { listActiveConnections } from '@exact-sync/db';
import { budgetKeyFor } from '@exact-sync/exact';
import type { WorkerServices } from '../services.ts';
import { planSync } from './sync-plan.ts';

export interface PlannedKey {
  budgetKey: string;
  connections: number;
  intervalMs: number;
  syncCallsLeft: number;
}

const DRIFT = 0.1;

/**
 * Plans the polling interval of every budget key and keeps one BullMQ job scheduler per connection and dataset at
 * that interval (re-created when missing, moved when the plan changes by more than a tenth). Schedulers of
 * connections that may not call Exact are removed, so nothing polls for them.
 */
export async function applySyncPlans(services: WorkerServices, minIntervalMs: number): Promise<PlannedKey[]> {
  const queue = services.queues.sync;
  const active = await listActiveConnections(services.database.db);
  const byKey = new Map<string, string[]>();
  for (const c of active) {
    const key = budgetKeyFor(c.exactBaseUrl, c.division);
    byKey.set(key, [...(byKey.get(key) ?? []), c.id]);
  }

  const planned: PlannedKey[] = [];
  const wanted = new Set<string>();
  for (const [budgetKey, ids] of byKey) {
    const budget = await services.governor.snapshot(budgetKey);
    const plan = planSync({ now: services.clock.now(), budget, connections: ids.length, minIntervalMs });
    planned.push({
      budgetKey,
      connections: ids.length,
      intervalMs: plan.intervalMs,
      syncCallsLeft: plan.syncCallsLeft,
    });
    for (const connectionId of ids) {
      for (const dataset of [...ENTITY_NAMES, 'deleted'] as const) {
        const id = syncDedupId(connectionId, dataset);
        wanted.add(id);
        const existing = await queue.getJobScheduler(id);
        const every = existing?.every ?? 0;
        if (existing && Math.abs(every - plan.intervalMs) <= DRIFT * plan.intervalMs) continue;
        const template =
          dataset === 'deleted'
            ? schedulerTemplate('sync.deleted', { connectionId })
            : schedulerTemplate('sync.entity', { connectionId, entity: dataset });
        await queue.upsertJobScheduler(id, { every: plan.intervalMs }, template);
      }
    }
  }

  for (const scheduler of await queue.getJobSchedulers()) {
    if (scheduler.key.startsWith('sync:') && !wanted.has(scheduler.key))
      await queue.removeJobScheduler(scheduler.key);
  }
  return planned;
}
