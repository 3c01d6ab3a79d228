import type { BudgetSnapshot, WindowSnapshot } from '@exact-sync/exact';
import { describe, expect, it } from 'vitest';
import { type PlannedDataset, planSync } from '../src/maintenance/sync-plan.ts';

const HOUR = 3_600_000;
const MIN = 60_000;
const window = (w: Partial<WindowSnapshot>): WindowSnapshot => ({
  limit: 5_000,
  syncShare: 4_700,
  lengthMs: 24 * HOUR,
  resetAt: 24 * HOUR,
  used: { sync: 0, order: 0, unattributed: 0 },
  remaining: 5_000,
  exhaustedUntil: null,
  ...w,
});
const budget = (day: Partial<WindowSnapshot>): BudgetSnapshot => ({
  minute: window({ limit: 60, syncShare: 50, lengthMs: 60_000, resetAt: 60_000, remaining: 60 }),
  day: window(day),
  ordersWaitingMs: 0,
  nextSyncAt: null,
});

/** One connection with the default targets: stock 5 minutes, the rest 30, deletions (one chain) 30. */
const defaults = (chains = 1): PlannedDataset[] => [
  { targetMs: 5 * MIN, callsPerPoll: 1 },
  { targetMs: 30 * MIN, callsPerPoll: 1 },
  { targetMs: 30 * MIN, callsPerPoll: 1 },
  { targetMs: 30 * MIN, callsPerPoll: 1 },
  { targetMs: 30 * MIN, callsPerPoll: chains },
];

/** Calls the plan needs until the reset, with the planner's headroom for change pages. */
const callsNeeded = (datasets: PlannedDataset[], intervals: number[], timeLeft: number) =>
  datasets.reduce((n, d, i) => n + (timeLeft / (intervals[i] ?? 1)) * d.callsPerPoll * 1.25, 0);

describe('planSync', () => {
  it('reads the REST lists exactly daily, and counts their pages against the share', () => {
    const lists: PlannedDataset[] = [
      { targetMs: 24 * HOUR, callsPerPoll: 21, fixed: true },
      { targetMs: 24 * HOUR, callsPerPoll: 1, fixed: true },
    ];
    const plenty = planSync({
      now: 0,
      budget: budget({}),
      minIntervalMs: 60_000,
      datasets: [...defaults(), ...lists],
    });
    expect(plenty.datasets.slice(-2).map((d) => d.intervalMs)).toEqual([24 * HOUR, 24 * HOUR]);
    expect(plenty.datasets[0]?.intervalMs).toBeLessThan(5 * MIN);

    // With little left, the lists still cost their pages: the others get less than without them.
    const tight = { used: { sync: 4_500, order: 0, unattributed: 0 }, remaining: 500 };
    const withLists = planSync({
      now: 0,
      budget: budget(tight),
      minIntervalMs: 60_000,
      datasets: [...defaults(), ...lists],
    });
    const without = planSync({ now: 0, budget: budget(tight), minIntervalMs: 60_000, datasets: defaults() });
    expect(withLists.datasets[0]?.intervalMs).toBeGreaterThan(without.datasets[0]?.intervalMs ?? 0);
  });

  it('meets every target on a fresh day and spends the rest on fresher data, within the sync share', () => {
    const datasets = defaults();
    const plan = planSync({ now: 0, budget: budget({}), minIntervalMs: 60_000, datasets });
    expect(plan.syncCallsLeft).toBe(4_700);
    const intervals = plan.datasets.map((d) => d.intervalMs);
    expect(plan.datasets.every((d) => d.meetsTarget)).toBe(true);
    // Stock stays the most often polled: intervals keep the targets' proportions until the minimum binds.
    expect(intervals[0]).toBeLessThan(intervals[1] ?? 0);
    expect(intervals[1]).toBeLessThan(30 * MIN);
    const needed = callsNeeded(datasets, intervals, 24 * HOUR);
    expect(needed).toBeLessThanOrEqual(4_700);
    expect(needed).toBeGreaterThan(4_700 * 0.95);
  });

  it('says when the budget cannot meet the targets, and misses them all by the same proportion', () => {
    const datasets = defaults();
    const plan = planSync({
      now: 12 * HOUR,
      budget: budget({ used: { sync: 4_500, order: 0, unattributed: 0 }, remaining: 500 }),
      minIntervalMs: 60_000,
      datasets,
    });
    expect(plan.syncCallsLeft).toBe(200);
    expect(plan.datasets.every((d) => !d.meetsTarget)).toBe(true);
    const [stock, items] = plan.datasets.map((d) => d.intervalMs);
    expect((items ?? 0) / (stock ?? 1)).toBeCloseTo(6, 1);
    expect(
      callsNeeded(
        datasets,
        plan.datasets.map((d) => d.intervalMs),
        12 * HOUR,
      ),
    ).toBeLessThanOrEqual(200);
  });

  it('meets a tighter target an operator set when the budget allows, and not below the minimum interval', () => {
    const datasets = [{ targetMs: 2 * MIN, callsPerPoll: 1 }, ...defaults().slice(1)];
    const plan = planSync({ now: 0, budget: budget({}), minIntervalMs: 60_000, datasets });
    expect(plan.datasets[0]?.meetsTarget).toBe(true);
    expect(plan.datasets[0]?.intervalMs).toBeLessThanOrEqual(2 * MIN);
    const generous = planSync({
      now: 0,
      budget: budget({ limit: 100_000, syncShare: 99_000, remaining: 100_000 }),
      minIntervalMs: 60_000,
      datasets,
    });
    expect(generous.datasets.map((d) => d.intervalMs)).toEqual(Array(5).fill(60_000));
  });

  it('costs deletions one call per chain: per-type chains take a larger share', () => {
    const one = planSync({ now: 0, budget: budget({}), minIntervalMs: 1, datasets: defaults(1) });
    const four = planSync({ now: 0, budget: budget({}), minIntervalMs: 1, datasets: defaults(4) });
    expect(four.datasets[0]?.intervalMs).toBeGreaterThan(one.datasets[0]?.intervalMs ?? 0);
  });

  it('slows down as connections share a division', () => {
    const one = planSync({ now: 0, budget: budget({}), minIntervalMs: 1, datasets: defaults() });
    const two = planSync({
      now: 0,
      budget: budget({}),
      minIntervalMs: 1,
      datasets: [...defaults(), ...defaults()],
    });
    expect(two.datasets[0]?.intervalMs).toBeGreaterThan(1.9 * (one.datasets[0]?.intervalMs ?? 0));
  });

  it('waits for the reset when the sync share is spent, also when orders ate into the day', () => {
    const now = 20 * HOUR;
    const spent = planSync({
      now,
      budget: budget({ used: { sync: 4_700, order: 10, unattributed: 0 }, remaining: 290 }),
      minIntervalMs: 60_000,
      datasets: defaults(),
    });
    expect(spent.syncCallsLeft).toBe(0);
    expect(spent.datasets.map((d) => d.intervalMs)).toEqual(Array(5).fill(24 * HOUR - now));
    const ordersHeavy = planSync({
      now,
      budget: budget({ used: { sync: 1_000, order: 3_800, unattributed: 0 }, remaining: 200 }),
      minIntervalMs: 60_000,
      datasets: defaults(),
    });
    expect(ordersHeavy.syncCallsLeft).toBe(0);
  });
});
