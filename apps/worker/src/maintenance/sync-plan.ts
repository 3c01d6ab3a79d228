import type { BudgetSnapshot } from '@exact-sync/exact';

/** Datasets polled per connection and round: the four entities and the one `sync/Deleted` chain. */
const DATASETS_PER_ROUND = 5;
// Room for change pages and webhook-triggered runs on top of the idle cost of a round.
const HEADROOM = 1.25;

export interface PlanInput {
  now: number;
  budget: BudgetSnapshot;
  /** Connections that share this budget key (two connections to one division share Exact's count). */
  connections: number;
  minIntervalMs: number;
}

export interface SyncPlan {
  /** How often each dataset of each connection on the key is polled. */
  intervalMs: number;
  /** Sync calls the day still allows, after what the order lane must keep. */
  syncCallsLeft: number;
  callsPerRound: number;
}

/**
 * Chooses the polling interval of a budget key so that the sync lane never needs more than its share of the day:
 * the calls left are spread evenly over the time to the daily reset. When the day's share is spent, polling
 * waits for the reset (orders and webhooks still come first through their own paths).
 */
export function planSync(input: PlanInput): SyncPlan {
  const { day } = input.budget;
  const reserve = day.limit - day.syncShare;
  const syncCallsLeft = Math.max(0, Math.min(day.syncShare - day.used.sync, day.remaining - reserve));
  const callsPerRound = Math.max(1, input.connections) * DATASETS_PER_ROUND * HEADROOM;
  const timeLeft = Math.max(1, day.resetAt - input.now);
  const rounds = Math.floor(syncCallsLeft / callsPerRound);
  const intervalMs = rounds < 1 ? timeLeft : Math.max(input.minIntervalMs, Math.ceil(timeLeft / rounds));
  return { intervalMs, syncCallsLeft, callsPerRound };
}
