/** When tokens of one connection were issued and expire (epoch ms), as stored. */
export interface TokenTimes {
  /** When Exact issued the current access token. */
  issuedAt: number;
  expiresAt: number;
  /** When the current refresh token was issued (it dies after `refreshTokenLifeMs` unused). */
  refreshIssuedAt: number;
}

export interface TokenPolicy {
  /** Exact refuses a refresh earlier than this after the last issue (570 s). */
  refreshMinAgeMs: number;
  /** Refresh once the access token has less than this left (and is old enough). */
  expiryMarginMs: number;
  /** Exact's refresh tokens expire after 30 days unused. */
  refreshTokenLifeMs: number;
}

export const DEFAULT_TOKEN_POLICY: TokenPolicy = {
  refreshMinAgeMs: 570_000,
  expiryMarginMs: 30_000,
  refreshTokenLifeMs: 30 * 86_400_000,
};

/** Why a token is asked for: a call about to be made, a 401 on `rejected`, or the idle schedule. */
export type TokenRequest =
  | { kind: 'current' }
  | { kind: 'rejected'; rejected: string }
  | { kind: 'idle'; refreshIssuedBefore: number };

/** The earliest moment Exact accepts a refresh. */
export function earliestRefreshAt(times: TokenTimes, policy: TokenPolicy): number {
  return times.issuedAt + policy.refreshMinAgeMs;
}

/** Whether the refresh token is past its life, so calling Exact would only be refused. */
export function refreshTokenExpired(times: TokenTimes, now: number, policy: TokenPolicy): boolean {
  return now >= times.refreshIssuedAt + policy.refreshTokenLifeMs;
}

/**
 * Whether the stored access token (`stored`) must be replaced for this request. A token near its end is replaced
 * only once Exact would accept the refresh; a token Exact refused is replaced only if it is still the stored one
 * (otherwise another process already refreshed and the stored one is the answer).
 */
export function shouldRefresh(
  times: TokenTimes,
  stored: string,
  now: number,
  request: TokenRequest,
  policy: TokenPolicy,
): boolean {
  const due = now >= Math.max(earliestRefreshAt(times, policy), times.expiresAt - policy.expiryMarginMs);
  switch (request.kind) {
    case 'current':
      return due;
    case 'rejected':
      return request.rejected === stored || due;
    case 'idle':
      return times.refreshIssuedAt < request.refreshIssuedBefore || due;
  }
}
