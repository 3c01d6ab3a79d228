import { CAPPED_BACKOFF_MAX_MS } from '@exact-sync/core';
import { describe, expect, it } from 'vitest';
import { cappedBackoff } from '../src/consumers.ts';

describe('capped backoff', () => {
  const job = { opts: { backoff: { type: 'capped', delay: 1_000 } } };

  it('doubles from the delay and stops at the cap', () => {
    const waits = [1, 2, 3, 4, 5, 6, 10].map((n) => cappedBackoff(n, 'capped', undefined, job));
    expect(waits).toEqual([
      1_000,
      2_000,
      4_000,
      8_000,
      CAPPED_BACKOFF_MAX_MS,
      CAPPED_BACKOFF_MAX_MS,
      CAPPED_BACKOFF_MAX_MS,
    ]);
  });

  it('leaves other backoff types alone', () => {
    expect(cappedBackoff(3, 'unknown', undefined, job)).toBe(0);
  });
});
