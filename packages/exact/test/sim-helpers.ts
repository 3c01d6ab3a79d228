import type { startSimulator } from '@exact-sync/testkit';
import { sleep } from '../src/clock.ts';
import { BudgetExhaustedError } from '../src/errors.ts';
import type { ExactClient } from '../src/exact-client.ts';
import { parseRateHeaders } from '../src/rate-headers.ts';
import type { TokenProvider } from '../src/token-provider.ts';
import type { Transport } from '../src/transport.ts';

export type Sim = Awaited<ReturnType<typeof startSimulator>>;

/** Calls the simulator's control API. */
export async function control<T>(sim: Sim, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${sim.url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** Tokens straight from the simulator (no browser flow); a 401 fetches a new one. */
export function simTokens(sim: Sim, division: number): TokenProvider {
  let current: Promise<string> | null = null;
  const fetchToken = () =>
    control<{ access_token: string }>(sim, 'POST', '/_sim/tokens', { division }).then((t) => t.access_token);
  return {
    accessToken() {
      current ??= fetchToken();
      return current;
    },
    refreshAfterUnauthorized() {
      current = fetchToken();
      return current;
    },
  };
}

export interface SimStats {
  calls: { division: number | null; endpoint: string; method: string; status: number; count: number }[];
  total: number;
  rateLimited: number;
}

export const simStats = (sim: Sim, division: number) =>
  control<SimStats>(sim, 'GET', `/_sim/stats?division=${division}`);

/** What Exact saw of one call, as the client received it. */
export interface SeenCall {
  division: number;
  endpoint: string;
  status: number;
  /** The minute window the call was counted in (its reset header). */
  minuteReset: number | undefined;
}

/** Wraps a transport to keep a log of every answer. */
export function watching(inner: Transport, seen: SeenCall[]): Transport {
  return {
    async request(req) {
      const res = await inner.request(req);
      const match = /\/api\/v1\/(\d+)\/([^?(]+)/.exec(req.url);
      seen.push({
        division: Number(match?.[1] ?? 0),
        endpoint: match?.[2] ?? req.url,
        status: res.status,
        minuteReset: parseRateHeaders(res.headers).minuteReset,
      });
      return res;
    },
    close: () => inner.close(),
  };
}

/**
 * Reads items over and over on the sync lane until `untilMs`, as a sync worker would: a refused grant is a job
 * delayed until the governor's time. Answers the number of pages read.
 */
export async function hammerSync(client: ExactClient, untilMs: number): Promise<number> {
  let pages = 0;
  let next: string | null = null;
  while (Date.now() < untilMs) {
    try {
      const page = await client.syncPage('Logistics/Items', {
        next: next ?? undefined,
        select: ['ID', 'Timestamp'],
      });
      next = page.next;
      pages += 1;
    } catch (err) {
      if (!(err instanceof BudgetExhaustedError)) throw err;
      await sleep(Math.min(err.until, untilMs) - Date.now());
    }
  }
  return pages;
}

/** Counts the calls of a log per (division, minute window). */
export function perWindow(seen: readonly SeenCall[], division: number): Map<number, number> {
  const counts = new Map<number, number>();
  for (const call of seen) {
    if (call.division !== division || call.minuteReset === undefined) continue;
    counts.set(call.minuteReset, (counts.get(call.minuteReset) ?? 0) + 1);
  }
  return counts;
}

/** Runs a sync-lane call, waiting out pacing refusals (a test wants the next real answer, not the spacing). */
export async function pastPacing<T>(call: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      return await call();
    } catch (err) {
      if (!(err instanceof BudgetExhaustedError) || err.reason !== 'pacing') throw err;
      await sleep(err.until - Date.now());
    }
  }
}
