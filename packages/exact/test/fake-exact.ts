import type { Governor, Lane, RecordedResponse } from '../src/rate-governor.ts';
import type { TokenProvider } from '../src/token-provider.ts';
import type { Transport, TransportRequest, TransportResponse } from '../src/transport.ts';

/** A scripted transport: answers from a queue and keeps every request. */
export function scriptedTransport(answers: (TransportResponse | Error)[]) {
  const requests: TransportRequest[] = [];
  const transport: Transport = {
    async request(req) {
      requests.push(req);
      const next = answers.shift();
      if (next === undefined) throw new Error(`unexpected request ${req.method} ${req.url}`);
      if (next instanceof Error) throw next;
      return next;
    },
    async close() {},
  };
  return { transport, requests };
}

export const json = (
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): TransportResponse => ({
  status,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

/**
 * An in-memory governor: grants until a 429 is recorded, then refuses until the reset it learned; refuses an
 * endpoint put in `guarded` until the time given there.
 */
export function memoryGovernor(now: () => number) {
  let blockedUntil = 0;
  const recorded: { lane: Lane; response: RecordedResponse }[] = [];
  const guarded = new Map<string, number>();
  const governor: Governor = {
    async acquire(_key, _lane, endpoint) {
      const guardedUntil = guarded.get(endpoint);
      if (guardedUntil !== undefined) return { granted: false, until: guardedUntil, reason: 'guarded' };
      return now() < blockedUntil
        ? { granted: false, until: blockedUntil, reason: 'minute' }
        : { granted: true };
    },
    async record(_key, lane, response) {
      recorded.push({ lane, response });
      if (response.status === 429) blockedUntil = response.headers.minuteReset ?? now() + 60_000;
    },
    async snapshot() {
      throw new Error('not used');
    },
  };
  return { governor, recorded, guarded };
}

export const TOKEN = 'secret-access-token-1';

/** A token provider that hands out `secret-access-token-N` and counts refreshes. */
export function countingTokens() {
  let n = 1;
  const refreshed: string[] = [];
  const tokens: TokenProvider = {
    async accessToken() {
      return `secret-access-token-${n}`;
    },
    async refreshAfterUnauthorized(rejected) {
      refreshed.push(rejected);
      n += 1;
      return `secret-access-token-${n}`;
    },
  };
  return { tokens, refreshed };
}
