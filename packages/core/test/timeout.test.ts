import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { withTimeout } from '../src/timeout.ts';

const never = new Promise<string>(() => {});
const after = <T>(ms: number, value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('withTimeout', () => {
  it('settles as the promise does when it is in time, and leaves no timer behind', async () => {
    const answer = withTimeout(after(50, 'PONG'), 1000);
    await vi.advanceTimersByTimeAsync(50);
    await expect(answer).resolves.toBe('PONG');
    expect(vi.getTimerCount()).toBe(0);

    const failed = withTimeout(Promise.reject(new Error('refused')), 1000);
    await expect(failed).rejects.toThrow('refused');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('rejects with the time it waited when no answer came', async () => {
    const answer = withTimeout(never, 1000);
    const settled = expect(answer).rejects.toThrow('no answer within 1000 ms');
    await vi.advanceTimersByTimeAsync(999);
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    await settled;
  });

  it('settles with what onTimeout returns, or rejects with what it throws', async () => {
    const fallback = withTimeout(never, 10, () => undefined);
    const thrown = withTimeout(never, 10, () => {
      throw new Error('Redis did not answer within 10 ms');
    });
    const settled = Promise.all([
      expect(fallback).resolves.toBeUndefined(),
      expect(thrown).rejects.toThrow('Redis did not answer within 10 ms'),
    ]);
    await vi.advanceTimersByTimeAsync(10);
    await settled;
  });
});
