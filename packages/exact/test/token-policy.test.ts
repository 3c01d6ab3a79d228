import { describe, expect, it } from 'vitest';
import { classifyOAuthFailure, DEFAULT_TOKEN_POLICY, OAuthRequestError } from '../src/index.ts';
import { refreshTokenExpired, shouldRefresh, type TokenTimes } from '../src/tokens/token-policy.ts';

const policy = DEFAULT_TOKEN_POLICY;
const issuedAt = 1_000_000_000;
const times: TokenTimes = { issuedAt, expiresAt: issuedAt + 600_000, refreshIssuedAt: issuedAt };
const at = (seconds: number) => issuedAt + seconds * 1000;

describe('when to refresh', () => {
  it('keeps a token until it is near its end and Exact would accept a refresh (570 s)', () => {
    expect(shouldRefresh(times, 'a', at(300), { kind: 'current' }, policy)).toBe(false);
    expect(shouldRefresh(times, 'a', at(569), { kind: 'current' }, policy)).toBe(false);
    expect(shouldRefresh(times, 'a', at(570), { kind: 'current' }, policy)).toBe(true);
    expect(shouldRefresh(times, 'a', at(900), { kind: 'current' }, policy)).toBe(true);
  });

  it('never refreshes before 570 s even when the token expires sooner', () => {
    const short = { ...times, expiresAt: at(120) };
    expect(shouldRefresh(short, 'a', at(200), { kind: 'current' }, policy)).toBe(false);
    expect(shouldRefresh(short, 'a', at(570), { kind: 'current' }, policy)).toBe(true);
  });

  it('after a 401 refreshes only when the refused token is still the stored one', () => {
    expect(shouldRefresh(times, 'a', at(100), { kind: 'rejected', rejected: 'a' }, policy)).toBe(true);
    expect(shouldRefresh(times, 'b', at(100), { kind: 'rejected', rejected: 'a' }, policy)).toBe(false);
  });

  it('refreshes idle connections whose refresh token is older than the cut-off', () => {
    const old = { ...times, expiresAt: at(600) };
    expect(shouldRefresh(old, 'a', at(700), { kind: 'idle', refreshIssuedBefore: at(600) }, policy)).toBe(
      true,
    );
    const young = { ...times, refreshIssuedAt: at(650), issuedAt: at(650), expiresAt: at(1250) };
    expect(shouldRefresh(young, 'a', at(700), { kind: 'idle', refreshIssuedBefore: at(600) }, policy)).toBe(
      false,
    );
  });

  it('knows a refresh token unused for 30 days is dead', () => {
    expect(refreshTokenExpired(times, issuedAt + 29 * 86_400_000, policy)).toBe(false);
    expect(refreshTokenExpired(times, issuedAt + 30 * 86_400_000, policy)).toBe(true);
  });
});

describe("Exact's OAuth refusals", () => {
  it('tells the 570-second rule from a dead refresh token', () => {
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
