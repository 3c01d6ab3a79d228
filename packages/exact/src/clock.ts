/** A source of time in epoch milliseconds. Everything time-related takes one, so tests can run an Exact day fast. */
export interface Clock {
  now(): number;
}

/** The wall clock. */
export const systemClock: Clock = { now: () => Date.now() };

/** Resolves after `ms` of real time (never negative). */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}
