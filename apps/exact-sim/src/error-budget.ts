import { alignedWindow } from './clock.ts';
import type { SimConfig } from './config.ts';

interface Entry {
  windowEnd: number;
  count: number;
  blockedUntil: number;
}

/** Statuses Exact counts against the error budget; 429 is not one of them. */
export const COUNTED_ERRORS = new Set([400, 401, 403, 404]);

/**
 * Exact's "10 errors per app, division, endpoint and hour" rule. Errors are counted in fixed windows of
 * errorWindowMs; the error that reaches errorLimit blocks the endpoint for errorBlockMs (answered 403, which is
 * not itself counted), after which the count starts again.
 */
export class ErrorBudget {
  private readonly entries = new Map<string, Entry>();

  blocked(key: string, now: number): boolean {
    const entry = this.entries.get(key);
    return entry !== undefined && now < entry.blockedUntil;
  }

  record(key: string, now: number, config: SimConfig): void {
    let entry = this.entries.get(key);
    if (!entry || now >= entry.windowEnd) {
      entry = {
        windowEnd: alignedWindow(now, config.errorWindowMs).end,
        count: 0,
        blockedUntil: entry?.blockedUntil ?? 0,
      };
      this.entries.set(key, entry);
    }
    entry.count++;
    if (entry.count >= config.errorLimit) {
      entry.blockedUntil = now + config.errorBlockMs;
      entry.count = 0;
    }
  }

  clear(): void {
    this.entries.clear();
  }
}

export const errorBudgetKey = (clientId: string, division: number, endpoint: string): string =>
  `${clientId}\u0000${division}\u0000${endpoint}`;
