import { describe, expect, it } from 'vitest';
import { classifyOAuthFailure, DEFAULT_TOKEN_POLICY, OAuthRequestError } from '../src/index.ts';
import {
  earliestRefreshAt,
  mustWait,
  refreshTokenExpired,
  shouldRefresh,
  type TokenRequest,
  type TokenTimes,
  tokenTimesFor,
} from '../src/tokens/token-policy.ts';

const policy = DEFAULT_TOKEN_POLICY;
const requestedAt = 1_000_000_000;
// Exact's answer took 200 ms: the token was issued somewhere in between.
const answeredAt = requestedAt + 200;
const at = (seconds: number) => answeredAt + seconds * 1000;
const current: TokenRequest = { kind: 'current' };

/** Times stored for a token of `lifetimeS` seconds asked for at `requestedAt`. */
function tokenOf(lifetimeS: number): TokenTimes {
  return { ...tokenTimesFor(requestedAt, answeredAt, lifetimeS * 1000), refreshIssuedAt: answeredAt };
}

describe('the refresh window follows expires_in', () => {
  it('stores the issue time from the answer and the expiry from the request', () => {
    expect(tokenTimesFor(requestedAt, answeredAt, 600_000)).toEqual({
      issuedAt: answeredAt,
      expiresAt: requestedAt + 600_000,
      lifetimeMs: 600_000,
    });
  });

  it('keeps a 600 s token for 570 s after its answer, then refreshes it (Exact’s 570-second rule)', () => {
    const times = tokenOf(600);
    expect(earliestRefreshAt(times, policy)).toBe(at(570));
    expect(shouldRefresh(times, 'a', at(300), current, policy)).toBe(false);
    expect(shouldRefresh(times, 'a', at(569.999), current, policy)).toBe(false);
    expect(shouldRefresh(times, 'a', at(570), current, policy)).toBe(true);
    expect(shouldRefresh(times, 'a', at(900), current, policy)).toBe(true);
  });

  it('refreshes a 60 s token after 30 s, long before it expires', () => {
    const times = tokenOf(60);
    expect(earliestRefreshAt(times, policy)).toBe(at(30));
    expect(shouldRefresh(times, 'a', at(29.999), current, policy)).toBe(false);
    expect(shouldRefresh(times, 'a', at(30), current, policy)).toBe(true);
    expect(times.expiresAt - earliestRefreshAt(times, policy)).toBe(30_000 - 200);
  });

  it('gives a token shorter than a minute its last half', () => {
    expect(earliestRefreshAt(tokenOf(6), policy)).toBe(at(3));
    expect(earliestRefreshAt(tokenOf(40), policy)).toBe(at(20));
  });

  it('never refreshes before Exact would, however long the answer took, nor uses a token past its expiry', () => {
    for (const lifetime of [60, 600]) {
      for (const latency of [0, 200, 14_000]) {
        const times = {
          ...tokenTimesFor(requestedAt, requestedAt + latency, lifetime * 1000),
          refreshIssuedAt: 0,
        };
        // Exact issued the token at some moment between request and answer; its rule counts from there.
        for (const issued of [requestedAt, requestedAt + latency]) {
          expect(earliestRefreshAt(times, policy)).toBeGreaterThanOrEqual(issued + (lifetime - 30) * 1000);
          expect(times.expiresAt).toBeLessThanOrEqual(issued + lifetime * 1000);
        }
      }
    }
  });

  it('waits for the expiry of a token stored without its lifetime', () => {
    const legacy = { ...tokenOf(600), lifetimeMs: null };
    expect(earliestRefreshAt(legacy, policy)).toBe(legacy.expiresAt);
  });
});

describe('after a 401', () => {
  const times = tokenOf(60);
  const rejected = (token: string): TokenRequest => ({ kind: 'rejected', rejected: token });

  it('refreshes when the refused token is still the stored one', () => {
    expect(shouldRefresh(times, 'a', at(10), rejected('a'), policy)).toBe(true);
    expect(shouldRefresh(times, 'a', at(45), rejected('a'), policy)).toBe(true);
  });

  it('answers the stored token when another process replaced the refused one, unless that is due too', () => {
    expect(shouldRefresh(times, 'b', at(10), rejected('a'), policy)).toBe(false);
    expect(shouldRefresh(times, 'b', at(30), rejected('a'), policy)).toBe(true);
  });

  it('makes every process wait for the window once Exact refused the token before it', () => {
    const refused = { ...times, expiresAt: at(10) };
    expect(mustWait(refused, at(10), policy)).toBe(true);
    expect(mustWait(refused, at(30), policy)).toBe(false);
    expect(mustWait(times, at(10), policy)).toBe(false);
  });
});

describe('the idle schedule', () => {
  const times = tokenOf(600);
  const idle = (before: number): TokenRequest => ({ kind: 'idle', refreshIssuedBefore: before });

  it('refreshes a connection whose refresh token is older than the cut-off, once Exact accepts it', () => {
    expect(shouldRefresh(times, 'a', at(700), idle(at(600)), policy)).toBe(true);
    expect(shouldRefresh(times, 'a', at(100), idle(at(50)), policy)).toBe(false);
  });

  it('leaves a connection with a young refresh token alone, even when its access token is due', () => {
    const young = { ...tokenOf(600), refreshIssuedAt: at(650) };
    expect(shouldRefresh(young, 'a', at(700), idle(at(600)), policy)).toBe(false);
  });

  it('knows a refresh token unused for 30 days is dead', () => {
    expect(refreshTokenExpired(times, answeredAt + 29 * 86_400_000, policy)).toBe(false);
    expect(refreshTokenExpired(times, answeredAt + 30 * 86_400_000, policy)).toBe(true);
  });
});

describe("Exact's OAuth refusals", () => {
  it('tells a refresh asked for too early from a dead refresh token', () => {
    const tooEarly = new OAuthRequestError(
      400,
      'access_denied',
      'Rate limit exceeded: access_token not expired',
      'TooEarlyToRefreshTokens',
    );
    expect(classifyOAuthFailure(tooEarly)).toBe('too_early');
    const spent = new OAuthRequestError(
      400,
      'invalid_grant',
      'The refresh token has already been used.',
      undefined,
    );
    expect(classifyOAuthFailure(spent)).toBe('reauth');
    const expired = new OAuthRequestError(
      400,
      'invalid_request',
      'The refresh token expired at 2026-01-01',
      undefined,
    );
    expect(classifyOAuthFailure(expired)).toBe('reauth');
    const badClient = new OAuthRequestError(
      400,
      'invalid_client',
      'Client authentication failed.',
      undefined,
    );
    expect(classifyOAuthFailure(badClient)).toBe('other');
  });
});
