/**
 * The simulator's clock: real time plus an offset that only ever grows, so tests can jump over Exact's slow
 * rules (the 570-second refresh rule, the hourly error block, the daily reset) without waiting.
 */
export class SimClock {
  private offset = 0;

  now(): number {
    return Date.now() + this.offset;
  }

  advance(ms: number): number {
    if (ms > 0) this.offset += ms;
    return this.now();
  }

  reset(): void {
    this.offset = 0;
  }
}

/** The fixed window of length `lengthMs` containing `now`, aligned to multiples of the length (epoch ms). */
export function alignedWindow(now: number, lengthMs: number): { start: number; end: number } {
  const start = Math.floor(now / lengthMs) * lengthMs;
  return { start, end: start + lengthMs };
}
