import type { BudgetSnapshot } from '@exact-sync/exact';

// Room for change pages and webhook-triggered runs on top of the idle cost of a poll.
const HEADROOM = 1.25;
const SEARCH_STEPS = 60;

/** One dataset to poll: an entity of a connection, or its deletions. */
export interface PlannedDataset {
  /** How stale the dataset may get: the planner aims to poll at least this often. */
  targetMs: number;
  /** Calls one idle poll costs (an entity: 1; deletions: one per chain of the strategy; a list: its pages). */
  callsPerPoll: number;
  /** Polled exactly at its target, never sooner (the REST lists, read whole once a day); its cost still counts. */
  fixed?: boolean;
}

export interface PlanInput {
  now: number;
  budget: BudgetSnapshot;
  minIntervalMs: number;
  /** Every dataset of every connection that shares this budget key (two connections to one division share it). */
  datasets: readonly PlannedDataset[];
}

interface DatasetPlan {
  intervalMs: number;
  /** Whether the budget lets the dataset be polled at least as often as its target asks. */
  meetsTarget: boolean;
}

export interface SyncPlan {
  /** Sync calls the day still allows, after what the order lane must keep. */
  syncCallsLeft: number;
  /** One plan per dataset, in the order given. */
  datasets: DatasetPlan[];
}

/**
 * Chooses each dataset's polling interval so that the sync lane never needs more than its share of the day. All
 * intervals are the targets scaled by one factor: below 1 when the calls left buy more than the targets (the rest
 * is spent on fresher data, never below `minIntervalMs`), above 1 when they do not (every target is missed by the
 * same proportion, and says so). When the share cannot pay for one more poll of each, polling waits for the reset.
 */
export function planSync(input: PlanInput): SyncPlan {
  const { day } = input.budget;
  const reserve = day.limit - day.syncShare;
  const syncCallsLeft = Math.max(0, Math.min(day.syncShare - day.used.sync, day.remaining - reserve));
  const timeLeft = Math.max(1, day.resetAt - input.now);
  const longest = Math.max(input.minIntervalMs, timeLeft);
  const interval = (d: PlannedDataset, factor: number) =>
    d.fixed ? d.targetMs : Math.ceil(Math.min(longest, Math.max(input.minIntervalMs, d.targetMs * factor)));
  const cost = (factor: number) =>
    input.datasets.reduce((n, d) => n + (timeLeft / interval(d, factor)) * d.callsPerPoll * HEADROOM, 0);

  // The cost falls as the factor grows; bisect (on a log scale) for the smallest factor the calls left pay for.
  let low = 1e-6;
  let high = 1e9;
  if (cost(low) <= syncCallsLeft) high = low;
  for (let i = 0; i < SEARCH_STEPS && high > low * 1.000001; i++) {
    const mid = Math.sqrt(low * high);
    if (cost(mid) <= syncCallsLeft) high = mid;
    else low = mid;
  }
  const datasets = input.datasets.map((d) => {
    const intervalMs = interval(d, high);
    return { intervalMs, meetsTarget: intervalMs <= d.targetMs };
  });
  return { syncCallsLeft, datasets };
}
