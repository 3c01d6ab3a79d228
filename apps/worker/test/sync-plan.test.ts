import type { BudgetSnapshot, WindowSnapshot } from '@exact-sync/exact';
import { describe, expect, it } from 'vitest';
import { planSync } from '../src/maintenance/sync-plan.ts';

const HOUR = 3_600_000;
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

describe('planSync', () => {
  it('spreads a fresh day over 24 hours: one connection polls about every two minutes', () => {
    const plan = planSync({ now: 0, budget: budget({}), connections: 1, minIntervalMs: 60_000 });
    expect(plan.syncCallsLeft).toBe(4_700);
    expect(plan.intervalMs).toBeGreaterThan(110_000);
    expect(plan.intervalMs).toBeLessThan(120_000);
    // Rounds over the rest of the day never need more than the sync share.
    expect(((24 * HOUR) / plan.intervalMs) * plan.callsPerRound).toBeLessThanOrEqual(4_700);
  });

  it('slows down as connections share a division, and as the day is used up', () => {
    const one = planSync({ now: 0, budget: budget({}), connections: 1, minIntervalMs: 1 }).intervalMs;
    const four = planSync({ now: 0, budget: budget({}), connections: 4, minIntervalMs: 1 }).intervalMs;
    expect(four).toBeGreaterThan(3.9 * one);
    const spent = planSync({
      now: 12 * HOUR,
      budget: budget({ used: { sync: 4_000, order: 0, unattributed: 0 }, remaining: 1_000 }),
      connections: 1,
      minIntervalMs: 1,
    });
    expect(spent.syncCallsLeft).toBe(700);
    expect(spent.intervalMs).toBeGreaterThan(one);
  });

  it('never polls faster than the minimum interval', () => {
    const plan = planSync({
      now: 0,
      budget: budget({ limit: 100_000, syncShare: 99_000, remaining: 100_000 }),
      connections: 1,
      minIntervalMs: 60_000,
    });
    expect(plan.intervalMs).toBe(60_000);
  });

  it('waits for the reset when the sync share is spent, also when orders ate into the day', () => {
    const now = 20 * HOUR;
    const spent = planSync({
      now,
      budget: budget({ used: { sync: 4_700, order: 10, unattributed: 0 }, remaining: 290 }),
      connections: 1,
      minIntervalMs: 60_000,
    });
    expect(spent.syncCallsLeft).toBe(0);
    expect(spent.intervalMs).toBe(24 * HOUR - now);
    const ordersHeavy = planSync({
      now,
      budget: budget({ used: { sync: 1_000, order: 3_800, unattributed: 0 }, remaining: 200 }),
      connections: 1,
      minIntervalMs: 60_000,
    });
    expect(ordersHeavy.syncCallsLeft).toBe(0);
  });
});
