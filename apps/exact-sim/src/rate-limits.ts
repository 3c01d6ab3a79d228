import { alignedWindow } from './clock.ts';
import type { SimConfig } from './config.ts';

interface Window {
  end: number;
  limit: number;
  used: number;
}

interface Budget {
  minute: Window;
  day: Window;
}

export type RateDecision = { allowed: boolean; headers: Record<string, string> };

/** Opens the current window; limits and lengths are read when a window opens, so changes apply from the next one. */
function roll(window: Window | undefined, now: number, lengthMs: number, limit: number): Window {
  if (window && now < window.end) return window;
  return { end: alignedWindow(now, lengthMs).end, limit, used: 0 };
}

const dailyHeaders = (w: Window): Record<string, string> => ({
  'X-RateLimit-Limit': String(w.limit),
  'X-RateLimit-Remaining': String(Math.max(0, w.limit - w.used)),
  'X-RateLimit-Reset': String(w.end),
});

const minutelyHeaders = (w: Window): Record<string, string> => ({
  'X-RateLimit-Minutely-Limit': String(w.limit),
  'X-RateLimit-Minutely-Remaining': String(Math.max(0, w.limit - w.used)),
  'X-RateLimit-Minutely-Reset': String(w.end),
});

/** A day window as the simulator counted it, for tests that check what a client used per day. */
export interface DayWindowUse {
  clientId: string;
  division: number;
  end: number;
  limit: number;
  used: number;
}

const DAY_HISTORY = 50;

/** Exact's fixed minutely and daily windows per (client, division). */
export class RateLimiter {
  private readonly budgets = new Map<string, Budget>();
  private readonly closedDays: DayWindowUse[] = [];

  /**
   * Takes one call. Refused: only the exhausted window's headers (the daily one first, as it lasts longer).
   * `countDaily` false (order POSTs when so configured) spends only the minutely window.
   */
  take(
    clientId: string,
    division: number,
    countDaily: boolean,
    now: number,
    config: SimConfig,
  ): RateDecision {
    const key = `${clientId}\u0000${division}`;
    const previous = this.budgets.get(key);
    const budget: Budget = {
      minute: roll(previous?.minute, now, config.minuteMs, config.minuteLimit),
      day: roll(previous?.day, now, config.dayMs, config.dayLimit),
    };
    this.budgets.set(key, budget);
    if (previous && previous.day !== budget.day) {
      this.closedDays.push({
        clientId,
        division,
        end: previous.day.end,
        limit: previous.day.limit,
        used: previous.day.used,
      });
      if (this.closedDays.length > DAY_HISTORY) this.closedDays.shift();
    }
    if (countDaily && budget.day.used >= budget.day.limit)
      return { allowed: false, headers: dailyHeaders(budget.day) };
    if (budget.minute.used >= budget.minute.limit)
      return { allowed: false, headers: minutelyHeaders(budget.minute) };
    budget.minute.used++;
    if (countDaily) budget.day.used++;
    return { allowed: true, headers: { ...dailyHeaders(budget.day), ...minutelyHeaders(budget.minute) } };
  }

  /** Day windows per (client, division): the closed ones (last 50) and the current ones, oldest first. */
  dayWindows(division?: number): DayWindowUse[] {
    const current = [...this.budgets].map(([key, b]) => {
      const [clientId = '', div = '0'] = key.split('\u0000');
      return { clientId, division: Number(div), end: b.day.end, limit: b.day.limit, used: b.day.used };
    });
    return [...this.closedDays, ...current].filter((w) => division === undefined || w.division === division);
  }

  clear(): void {
    this.budgets.clear();
    this.closedDays.length = 0;
  }
}
