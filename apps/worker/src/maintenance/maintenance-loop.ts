import { schedulerTemplate } from '@exact-sync/core';
import { withSessionLock } from '@exact-sync/db';
import type { WorkerServices } from '../services.ts';
import { divisionMoveWatch } from './division-moves.ts';
import { reconcile } from './reconciler.ts';
import { applySyncPlans } from './sync-schedulers.ts';

export interface MaintenanceOptions {
  /** How often the reconciler and the planner run; default one minute. */
  everyMs: number;
  /** Shortest polling interval the planner may choose. */
  minSyncIntervalMs: number;
  /** How often the idle-token refresh job runs. */
  idleRefreshEveryMs: number;
  /** How often each connection's division is checked for a move (one Exact call each). */
  divisionCheckEveryMs: number;
}

const LOCK = 'maintenance';

/**
 * Runs the reconciler and the sync planner now and then every `everyMs`, in one worker at a time (a Postgres
 * advisory lock, so it works with Redis gone). It lives outside BullMQ on purpose: it is what puts the queues back
 * after Redis lost them.
 */
export function startMaintenance(
  services: WorkerServices,
  options: MaintenanceOptions,
): { stop(): Promise<void> } {
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const checkDivisionMove = divisionMoveWatch(services, options.divisionCheckEveryMs);

  async function once(): Promise<void> {
    try {
      // The lock's own connection only holds the lock; the work uses the pool.
      await withSessionLock(services.database, LOCK, async () => {
        const summary = await reconcile(services, checkDivisionMove);
        const plans = await applySyncPlans(services, options.minSyncIntervalMs);
        await services.queues.sync.upsertJobScheduler(
          'tokens:refresh-idle',
          { every: options.idleRefreshEveryMs },
          schedulerTemplate('tokens.refresh-idle', {}),
        );
        services.log.debug({ ...summary, plans }, 'maintenance done');
      });
    } catch (error) {
      services.log.warn({ err: error }, 'maintenance failed; retrying next round');
    }
  }

  const tick = (): void => {
    if (stopped) return;
    running = once();
  };
  tick();
  const timer = setInterval(tick, options.everyMs);
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
