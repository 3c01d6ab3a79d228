import { mayAuthorize } from '@exact-sync/core';
import type { Clock } from '../clock.ts';
import type { Logger } from '../exact-call.ts';
import { isAllowedExactOrigin } from '../exact-hosts.ts';
import type { TokenProvider } from '../token-provider.ts';
import {
  classifyOAuthFailure,
  exchangeAuthorizationCode,
  fetchCurrentDivision,
  type OAuthClient,
  type OAuthTokens,
  refreshAccessToken,
} from './oauth.ts';
import { createTokenCipher } from './token-crypto.ts';
import {
  ConnectionNeedsReauthError,
  ConnectionNotAuthorizableError,
  ConnectionNotFoundError,
  DivisionMismatchError,
  OAuthRequestError,
  TokenRefreshFailedError,
  TokenRefreshTooEarlyError,
} from './token-errors.ts';
import {
  DEFAULT_TOKEN_POLICY,
  earliestRefreshAt,
  mustWait,
  refreshTokenExpired,
  refreshWindowOf,
  shouldRefresh,
  type TokenPolicy,
  type TokenRequest,
  type TokenTimes,
  tokenTimesFor,
} from './token-policy.ts';
import type { LockedTokenWrites, TokenRow, TokenStore } from './token-store.ts';

export interface TokenManagerDeps {
  /** Where the encrypted tokens live, and the lock every process takes before it refreshes them. */
  store: TokenStore;
  /** Issue and expiry times come from here, so tests can use the simulator's clock. */
  clock: Clock;
  /** TOKEN_ENCRYPTION_KEY: 64 hex characters, base64 of 32 bytes, or the bytes. */
  encryptionKey: string | Buffer;
  clientId: string;
  clientSecret: string;
  /**
   * EXACT_BASE_URL. Tokens and the client secret go only to Exact's country sites and this origin: a connection
   * stored with another host (before that was checked, or written to the database by hand) is stopped instead.
   */
  exactBaseUrl: string;
  logger?: Logger;
}

export interface TokenManagerOptions extends Partial<TokenPolicy> {
  /** Longest wait for another process's refresh (the row lock); default 30 s. */
  lockTimeoutMs?: number;
  /** Per OAuth request; default 15 s. */
  requestTimeoutMs?: number;
  /** `refreshIdle` refreshes connections whose refresh token is older than this; default one day. */
  idleRefreshAfterMs?: number;
}

/** What one run of the idle refresh did. */
interface IdleRefreshSummary {
  refreshed: number;
  /** Already fresh when their turn came (another process refreshed them). */
  skipped: number;
  needsReauth: string[];
  failed: string[];
}

/** Tokens of every connection, stored encrypted in Postgres and refreshed under a lock all processes share. */
export interface TokenManager {
  /** The client's token source for one connection (see `TokenProvider`). */
  providerFor(connectionId: string): TokenProvider;
  /**
   * Finishes an OAuth authorization for a connection that may be authorized (pending, needs_reauth, or sent to
   * reauthorize): exchanges `code`, asks `current/Me` for the user's division (taking it when the connection has
   * none, refusing the tokens when it differs), stores the tokens and marks the connection active.
   */
  completeAuthorization(input: { connectionId: string; code: string; redirectUri: string }): Promise<{
    division: number;
  }>;
  /**
   * Refreshes every active connection whose refresh token was issued more than `olderThanMs` ago (default
   * `idleRefreshAfterMs`). Run it on a schedule (the `tokens.refresh-idle` job) well inside the 30-day life.
   */
  refreshIdle(input?: { olderThanMs?: number }): Promise<IdleRefreshSummary>;
}

type Fresh = { token: string; refreshed: boolean };
type Outcome = Fresh | { reauth: string } | { waitUntil: number };

/**
 * Creates the token manager. Refreshes take the connection's row lock and re-read the row inside it, refresh only
 * when Exact would accept it (in the last 30 s of the token's life as `expires_in` announced it), store the rotated
 * pair in the same transaction, and turn a refused refresh token into `needs_reauth` instead of a loop.
 */
export function createTokenManager(deps: TokenManagerDeps, options: TokenManagerOptions = {}): TokenManager {
  const policy: TokenPolicy = { ...DEFAULT_TOKEN_POLICY, ...definedOnly(options) };
  const lockTimeoutMs = options.lockTimeoutMs ?? 30_000;
  const cipher = createTokenCipher(deps.encryptionKey);
  const { clock, store, logger } = deps;
  const oauthClient = (baseUrl: string): OAuthClient => ({
    baseUrl,
    clientId: deps.clientId,
    clientSecret: deps.clientSecret,
    timeoutMs: options.requestTimeoutMs,
  });
  const accessContext = (id: string) => `connection:${id}:access_token`;
  const refreshContext = (id: string) => `connection:${id}:refresh_token`;

  function encrypt(id: string, tokens: OAuthTokens, at: { requestedAt: number; answeredAt: number }) {
    const times = tokenTimesFor(at.requestedAt, at.answeredAt, tokens.expiresInMs);
    return {
      accessTokenEnc: cipher.encrypt(tokens.accessToken, accessContext(id)),
      refreshTokenEnc: cipher.encrypt(tokens.refreshToken, refreshContext(id)),
      issuedAt: new Date(times.issuedAt),
      expiresAt: new Date(times.expiresAt),
      lifetimeMs: times.lifetimeMs,
    };
  }

  /** Why the connection's stored host may not get its tokens, if it may not. */
  function foreignHost(row: TokenRow): string | undefined {
    let origin: string;
    try {
      origin = new URL(row.exactBaseUrl).origin;
    } catch {
      return 'its exactBaseUrl is not a URL; create the connection again';
    }
    if (isAllowedExactOrigin(origin, deps.exactBaseUrl)) return undefined;
    return `its exactBaseUrl ${origin} is neither one of Exact's sites nor EXACT_BASE_URL; create the connection again`;
  }

  /** Stops a connection whose host may not get its tokens: needs_reauth, with the reason. */
  async function refuseForeignHost(id: string, reason: string): Promise<never> {
    await withLock(id, async (writes) => writes.markNeedsReauth(reason));
    logger?.warn({ connectionId: id }, 'connection stopped: its Exact host is not allowed');
    throw new ConnectionNeedsReauthError(id, 'needs_reauth', reason);
  }

  /** The row's tokens, or the reason a person must authorize first. */
  function usable(id: string, row: TokenRow | undefined) {
    if (!row) throw new ConnectionNotFoundError(id);
    if (row.status !== 'active' || !row.accessTokenEnc || !row.refreshTokenEnc || !row.tokenIssuedAt) {
      const status = row.status === 'pending' ? 'pending' : 'needs_reauth';
      const reason = row.statusReason ?? (status === 'pending' ? 'not authorized yet' : 'tokens missing');
      throw new ConnectionNeedsReauthError(id, status, reason);
    }
    const issuedAt = row.tokenIssuedAt.getTime();
    const times: TokenTimes = {
      issuedAt,
      expiresAt: row.accessTokenExpiresAt?.getTime() ?? issuedAt,
      lifetimeMs: row.accessTokenLifetimeMs,
      refreshIssuedAt: row.refreshTokenIssuedAt?.getTime() ?? issuedAt,
    };
    return { times, accessTokenEnc: row.accessTokenEnc, refreshTokenEnc: row.refreshTokenEnc };
  }

  /** Runs `work` under the connection's row lock; waiting longer than `lockTimeoutMs` is a failure to retry. */
  async function withLock<T>(
    id: string,
    work: (writes: LockedTokenWrites, row: TokenRow | undefined) => Promise<T>,
  ): Promise<T> {
    const result = await store.withLockedRow(id, lockTimeoutMs, work);
    if (!result.locked) {
      throw new TokenRefreshFailedError(`connection ${id}: another process holds the token lock; try again`);
    }
    return result.value;
  }

  async function refreshLocked(id: string, request: TokenRequest): Promise<Fresh> {
    const outcome = await withLock(id, async (writes, row): Promise<Outcome> => {
      const current = usable(id, row);
      const stored = cipher.decrypt(current.accessTokenEnc, accessContext(id));
      const now = clock.now();
      const earliest = earliestRefreshAt(current.times, policy);
      if (!shouldRefresh(current.times, stored, now, request, policy)) {
        // The idle schedule never waits: a connection not yet refreshable is skipped.
        const wait = request.kind !== 'idle' && mustWait(current.times, now, policy);
        return wait ? { waitUntil: earliest } : { token: stored, refreshed: false };
      }
      if (refreshTokenExpired(current.times, now, policy)) {
        const reason = 'refresh token expired (unused for 30 days); authorize again';
        await writes.markNeedsReauth(reason);
        return { reauth: reason };
      }
      if (now < earliest) {
        // Exact refused the stored token before its refresh window (its clock runs ahead of ours, or it revoked
        // the token): no process sends it again; all wait for the window.
        if (now < current.times.expiresAt) await writes.expireAccessToken(new Date(now));
        return { waitUntil: earliest };
      }
      const foreign = row && foreignHost(row);
      if (foreign) {
        await writes.markNeedsReauth(foreign);
        return { reauth: foreign };
      }
      const refreshToken = cipher.decrypt(current.refreshTokenEnc, refreshContext(id));
      const baseUrl = row?.exactBaseUrl ?? '';
      let tokens: OAuthTokens;
      try {
        tokens = await refreshAccessToken(oauthClient(baseUrl), refreshToken);
      } catch (error) {
        if (!(error instanceof OAuthRequestError)) throw error;
        const kind = classifyOAuthFailure(error);
        if (kind === 'too_early') {
          // Exact's clock disagrees with ours: ask again one refresh window later.
          throw new TokenRefreshTooEarlyError(id, now + refreshWindowOf(current.times, policy));
        }
        if (kind === 'other') throw new TokenRefreshFailedError(`connection ${id}: ${error.message}`);
        const reason = `Exact refused the refresh token (${error.error}: ${error.description || 'no description'}); authorize again`;
        await writes.markNeedsReauth(reason);
        return { reauth: reason };
      }
      await writes.saveTokens(encrypt(id, tokens, { requestedAt: now, answeredAt: clock.now() }));
      return { token: tokens.accessToken, refreshed: true };
    });
    if ('waitUntil' in outcome) throw new TokenRefreshTooEarlyError(id, outcome.waitUntil);
    if ('reauth' in outcome) {
      logger?.warn({ connectionId: id, reason: outcome.reauth }, 'connection needs re-authorization');
      throw new ConnectionNeedsReauthError(id, 'needs_reauth', outcome.reauth);
    }
    if (outcome.refreshed)
      logger?.info({ connectionId: id, trigger: request.kind }, 'exact tokens refreshed');
    return outcome;
  }

  return {
    providerFor(connectionId) {
      return {
        async accessToken() {
          const row = await store.readTokenRow(connectionId);
          const foreign = row && foreignHost(row);
          if (foreign) return refuseForeignHost(connectionId, foreign);
          const current = usable(connectionId, row);
          const stored = cipher.decrypt(current.accessTokenEnc, accessContext(connectionId));
          const now = clock.now();
          if (shouldRefresh(current.times, stored, now, { kind: 'current' }, policy)) {
            return (await refreshLocked(connectionId, { kind: 'current' })).token;
          }
          if (mustWait(current.times, now, policy)) {
            throw new TokenRefreshTooEarlyError(connectionId, earliestRefreshAt(current.times, policy));
          }
          return stored;
        },
        async refreshAfterUnauthorized(rejected) {
          return (await refreshLocked(connectionId, { kind: 'rejected', rejected })).token;
        },
      };
    },

    async completeAuthorization({ connectionId, code, redirectUri }) {
      const row = await store.readTokenRow(connectionId);
      if (!row) throw new ConnectionNotFoundError(connectionId);
      if (!mayAuthorize(row)) throw new ConnectionNotAuthorizableError(connectionId);
      const requestedAt = clock.now();
      const tokens = await exchangeAuthorizationCode(oauthClient(row.exactBaseUrl), { code, redirectUri });
      const answeredAt = clock.now();
      // Always asked, also when the connection has its division: tokens of another division's user never replace it.
      const current = await fetchCurrentDivision({
        baseUrl: row.exactBaseUrl,
        accessToken: tokens.accessToken,
        timeoutMs: options.requestTimeoutMs,
      });
      if (row.division !== null && row.division !== current) {
        throw new DivisionMismatchError(connectionId, row.division, current);
      }
      await withLock(connectionId, async (writes, locked) => {
        if (!locked) throw new ConnectionNotFoundError(connectionId);
        if (!mayAuthorize(locked)) throw new ConnectionNotAuthorizableError(connectionId);
        if (locked.division !== null && locked.division !== current) {
          throw new DivisionMismatchError(connectionId, locked.division, current);
        }
        await writes.saveTokens(encrypt(connectionId, tokens, { requestedAt, answeredAt }), {
          status: 'active',
          ...(locked.division === null && { division: current }),
        });
      });
      logger?.info({ connectionId, division: current }, 'connection authorized');
      return { division: current };
    },

    async refreshIdle(input = {}) {
      const before = clock.now() - (input.olderThanMs ?? options.idleRefreshAfterMs ?? 86_400_000);
      const ids = await store.connectionsIssuedBefore(new Date(before));
      const summary: IdleRefreshSummary = { refreshed: 0, skipped: 0, needsReauth: [], failed: [] };
      for (const id of ids) {
        try {
          const outcome = await refreshLocked(id, { kind: 'idle', refreshIssuedBefore: before });
          if (outcome.refreshed) summary.refreshed += 1;
          else summary.skipped += 1;
        } catch (error) {
          if (error instanceof ConnectionNeedsReauthError) summary.needsReauth.push(id);
          else if (error instanceof ConnectionNotFoundError) summary.skipped += 1;
          else {
            summary.failed.push(id);
            logger?.warn({ connectionId: id, err: (error as Error).message }, 'idle token refresh failed');
          }
        }
      }
      return summary;
    },
  };
}

function definedOnly(options: TokenManagerOptions): Partial<TokenPolicy> {
  const { refreshWindowMs, refreshTokenLifeMs } = options;
  return Object.fromEntries(
    Object.entries({ refreshWindowMs, refreshTokenLifeMs }).filter(([, v]) => v !== undefined),
  );
}
