import { ENTITY_NAMES, syncDedupId } from '@exact-sync/core';
import { bullPrefix } from '@exact-sync/queues';
import type { Stack } from '@exact-sync/testkit';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';

export interface PlannedPolling {
  /** The interval of each dataset's job scheduler, in ms (undefined: none yet). */
  intervals: Record<string, number | undefined>;
  /** Milliseconds until the daily window resets. */
  untilReset: number;
  /** Sync calls the day still allows (share minus used, and what Exact says is left minus the reserve). */
  callsLeft: number;
  /** The daily sync share. */
  dayShare: number;
  /** Polls planned until the reset: every dataset once per interval. */
  pollsUntilReset: number;
}

interface DayWindow {
  limit: number;
  syncShare: number;
  used: { sync: number; order: number };
  remaining: number;
  resetAt: string;
}

/**
 * What the worker's planner decided for a connection: the intervals of its BullMQ job schedulers (the planner
 * spreads the sync calls left in the day over the time to the daily reset), and the day window it planned with, as
 * the status route shows it.
 */
export async function plannedPolling(stack: Stack, connectionId: string): Promise<PlannedPolling> {
  const redis = new Redis(stack.env.REDIS_URL ?? '', { maxRetriesPerRequest: 3 });
  const queue = new Queue('sync', { connection: redis, prefix: bullPrefix(stack.env.REDIS_PREFIX ?? '') });
  const intervals: Record<string, number | undefined> = {};
  try {
    for (const dataset of [...ENTITY_NAMES, 'deleted']) {
      const every = (await queue.getJobScheduler(syncDedupId(connectionId, dataset)))?.every;
      intervals[dataset] = every === undefined || every === null ? undefined : Number(every);
    }
  } finally {
    await queue.close();
    redis.disconnect();
  }
  const status = await stack.call('GET', `/v1/connections/${connectionId}/status`);
  const day = (status.body as { budget: { day: DayWindow } | null }).budget?.day;
  if (!day) throw new Error(`no budget in the connection status (${status.status})`);
  const untilReset = Math.max(0, Date.parse(day.resetAt) - Date.now());
  const reserve = day.limit - day.syncShare;
  const callsLeft = Math.max(0, Math.min(day.syncShare - day.used.sync, day.remaining - reserve));
  const pollsUntilReset = Object.values(intervals).reduce<number>(
    (sum, every) => sum + (every ? untilReset / every : 0),
    0,
  );
  return { intervals, untilReset, callsLeft, dayShare: day.syncShare, pollsUntilReset };
}
