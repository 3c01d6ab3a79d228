/**
 * When tokens of one connection were issued and expire (epoch ms of our clock), as stored. Exact's own moments lie
 * between our request and its answer, so each time is taken from the side that errs safely for its use.
 */
export interface TokenTimes {
  /** When Exact's answer with the current access token arrived: never before Exact issued it. */
  issuedAt: number;
  /**
   * When the access token stops working, counted from before the request (never after Exact's expiry); pulled in to
   * the moment of a 401 when Exact refused the token earlier.
   */
  expiresAt: number;
  /** The access token's life as Exact announced it (`expires_in`); null for tokens stored before it was kept. */
  lifetimeMs: number | null;
  /** When the current refresh token was issued (it dies after `refreshTokenLifeMs` unused). */
  refreshIssuedAt: number;
}

export interface TokenPolicy {
  /**
   * Exact accepts a refresh only in this last part of the access token's life: 30 s, its 570-of-600-seconds rule.
   * A token shorter than twice this gets its last half.
   */
  refreshWindowMs: number;
  /** Exact's refresh tokens expire after 30 days unused. */
  refreshTokenLifeMs: number;
}

export const DEFAULT_TOKEN_POLICY: TokenPolicy = {
  refreshWindowMs: 30_000,
  refreshTokenLifeMs: 30 * 86_400_000,
};

/** Why a token is asked for: a call about to be made, a 401 on `rejected`, or the idle schedule. */
export type TokenRequest =
  | { kind: 'current' }
  | { kind: 'rejected'; rejected: string }
  | { kind: 'idle'; refreshIssuedBefore: number };

/** Longest an access token is trusted to live, whatever `expires_in` said (it must fit the stored column). */
const MAX_LIFETIME_MS = 86_400_000;

/**
 * The times to store for tokens asked for at `requestedAt` whose answer arrived at `answeredAt`: the issue time
 * from the answer (so a refresh is never early for Exact), the expiry from the request (so a token is never used
 * past it).
 */
export function tokenTimesFor(
  requestedAt: number,
  answeredAt: number,
  expiresInMs: number,
): { issuedAt: number; expiresAt: number; lifetimeMs: number } {
  const lifetimeMs = Math.min(Math.round(expiresInMs), MAX_LIFETIME_MS);
  return { issuedAt: answeredAt, expiresAt: requestedAt + lifetimeMs, lifetimeMs };
}

/**
 * The earliest moment Exact accepts a refresh: the refresh window before the end of the token's life, counted from
 * its arrival (570 s after it for a 600 s token, 30 s for a 60 s one). A token stored without its lifetime waits
 * for its expiry.
 */
export function earliestRefreshAt(times: TokenTimes, policy: TokenPolicy): number {
  if (times.lifetimeMs === null) return times.expiresAt;
  return times.issuedAt + times.lifetimeMs - refreshWindowOf(times, policy);
}

/** The length of the token's refresh window: the policy's, or the last half of a short-lived token. */
export function refreshWindowOf(times: TokenTimes, policy: TokenPolicy): number {
  const lifetime = times.lifetimeMs ?? times.expiresAt - times.issuedAt;
  return Math.max(0, Math.min(policy.refreshWindowMs, lifetime / 2));
}

/** Whether the refresh token is past its life, so calling Exact would only be refused. */
export function refreshTokenExpired(times: TokenTimes, now: number, policy: TokenPolicy): boolean {
  return now >= times.refreshIssuedAt + policy.refreshTokenLifeMs;
}

/**
 * Whether the stored access token (`stored`) must be replaced for this request. Any token is replaced once Exact
 * accepts a refresh (in its window, or after it expired); a token Exact refused with 401 is also replaced before
 * that if it is still the stored one, which then has to wait (`mustWait`). The idle schedule replaces only
 * connections whose refresh token is old, and only once Exact accepts it.
 */
export function shouldRefresh(
  times: TokenTimes,
  stored: string,
  now: number,
  request: TokenRequest,
  policy: TokenPolicy,
): boolean {
  const refreshable = now >= earliestRefreshAt(times, policy);
  switch (request.kind) {
    case 'current':
      return refreshable;
    case 'rejected':
      return refreshable || request.rejected === stored;
    case 'idle':
      return refreshable && times.refreshIssuedAt < request.refreshIssuedBefore;
  }
}

/** Whether the stored token no longer works (expired, or refused by Exact) and Exact would not yet refresh it. */
export function mustWait(times: TokenTimes, now: number, policy: TokenPolicy): boolean {
  return now >= times.expiresAt && now < earliestRefreshAt(times, policy);
}
