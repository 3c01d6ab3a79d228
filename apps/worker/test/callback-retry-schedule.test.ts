import { describe, expect, it } from 'vitest';
import { callbackRetryDelay, MAX_CALLBACK_ATTEMPTS } from '../src/callbacks/retry-schedule.ts';

const HOUR = 3_600_000;
const waits = (random: () => number) =>
  Array.from({ length: MAX_CALLBACK_ATTEMPTS }, (_, i) => callbackRetryDelay(i + 1, 10_000, random));

describe('callback retry schedule', () => {
  it('starts at seconds, grows to hours, and gives up after the fifteenth attempt, past 24 hours', () => {
    const plain = waits(() => 0);
    expect(plain.slice(0, 7)).toEqual([10_000, 30_000, 120_000, 600_000, 1_800_000, HOUR, 2 * HOUR]);
    expect(plain.at(-1)).toBeUndefined();
    const total = plain.reduce<number>((sum, w) => sum + (w ?? 0), 0);
    expect(total).toBeGreaterThanOrEqual(24 * HOUR);
    expect(total).toBeLessThan(26 * HOUR);
  });

  it('adds up to a fifth at random to each wait, never less', () => {
    const most = waits(() => 0.999_999);
    const least = waits(() => 0);
    for (const [i, w] of most.entries()) {
      const base = least[i];
      if (base === undefined) {
        expect(w).toBeUndefined();
        continue;
      }
      expect(w).toBeGreaterThanOrEqual(base);
      expect(w).toBeLessThanOrEqual(base * 1.2);
    }
  });

  it('scales with the base, so tests can run the schedule in seconds', () => {
    expect(callbackRetryDelay(1, 20, () => 0)).toBe(20);
    expect(callbackRetryDelay(5, 20, () => 0)).toBe(3_600);
  });
});
