import { randomBytes } from 'node:crypto';
import { alignedWindow, type SimClock } from './clock.ts';
import type { SimClient, SimConfig } from './config.ts';

/** One authorization and the refreshes that followed it; the refresh rule applies per chain. */
interface Chain {
  clientId: string;
  division: number;
  lastIssuedAt: number;
  /** The life of the access token issued last. */
  lastLifetimeMs: number;
}

/** Exact accepts a refresh in the last 30 s of the access token's life: 570 s after issue for its 600 s tokens. */
const REFRESH_WINDOW_MS = 30_000;

/**
 * How long after the last issue a refresh is refused: the access token's life minus Exact's 30 s window (a token
 * shorter than a minute gets its last half), unless the config sets `refreshMinAgeMs`.
 */
function refreshMinAge(chain: Chain, config: SimConfig): number {
  if (config.refreshMinAgeMs !== null) return config.refreshMinAgeMs;
  return chain.lastLifetimeMs - Math.min(REFRESH_WINDOW_MS, chain.lastLifetimeMs / 2);
}

export interface AccessGrant {
  clientId: string;
  division: number;
  expiresAt: number;
}

interface RefreshGrant {
  chain: Chain;
  expiresAt: number;
  spent: boolean;
}

interface AuthCode {
  clientId: string;
  redirectUri: string;
  expiresAt: number;
  division: number;
}

/** Per-client counters a token-manager test asserts on. */
export interface TokenClientStats {
  /** Token endpoint calls. */
  calls: number;
  authorizationCodes: number;
  refreshes: number;
  /** Refreshes refused with `TooEarlyToRefreshTokens`. */
  tooEarly: number;
  /** Spent refresh tokens offered again. */
  reused: number;
  expired: number;
  invalid: number;
  rateLimited: number;
  /** API calls answered 401 because the client's access token had expired. */
  unauthorized: number;
}

export interface TokenSet {
  access_token: string;
  token_type: 'bearer';
  expires_in: string;
  refresh_token: string;
}

/** An OAuth failure in RFC 6749 shape, with Exact's extra `Reason` header where Exact sends one. */
export interface OAuthFailure {
  status: number;
  error: string;
  description: string;
  headers?: Record<string, string>;
}

export type OAuthOutcome = { ok: true; tokens: TokenSet } | ({ ok: false } & OAuthFailure);

const secret = (bytes: number): string => randomBytes(bytes).toString('base64url');
const fail = (
  status: number,
  error: string,
  description: string,
  headers?: Record<string, string>,
): OAuthOutcome => ({
  ok: false,
  status,
  error,
  description,
  ...(headers ? { headers } : {}),
});

/** Authorization codes, access tokens and single-use rotating refresh tokens, on the simulator's clock. */
export class TokenStore {
  private readonly codes = new Map<string, AuthCode>();
  private readonly access = new Map<string, AccessGrant>();
  private readonly refresh = new Map<string, RefreshGrant>();
  private readonly stats = new Map<string, TokenClientStats>();
  private readonly callWindows = new Map<string, { end: number; count: number }>();

  constructor(
    private readonly clock: SimClock,
    private readonly config: () => SimConfig,
  ) {}

  client(clientId: string): SimClient | undefined {
    return this.config().clients.find((c) => c.clientId === clientId);
  }

  issueCode(clientId: string, redirectUri: string, division: number): string {
    const code = secret(24);
    this.codes.set(code, {
      clientId,
      redirectUri,
      division,
      expiresAt: this.clock.now() + this.config().authCodeTtlMs,
    });
    return code;
  }

  /** Counts a token endpoint call; answers false once the client is past its daily token calls. */
  countCall(clientId: string): boolean {
    const now = this.clock.now();
    const stats = this.statsOf(clientId);
    stats.calls++;
    let window = this.callWindows.get(clientId);
    if (!window || now >= window.end) {
      window = { end: alignedWindow(now, this.config().dayMs).end, count: 0 };
      this.callWindows.set(clientId, window);
    }
    window.count++;
    if (window.count <= this.config().tokenCallsPerDay) return true;
    stats.rateLimited++;
    return false;
  }

  exchangeCode(clientId: string, code: string, redirectUri: string | null): OAuthOutcome {
    const grant = this.codes.get(code);
    this.codes.delete(code);
    if (!grant || grant.clientId !== clientId || grant.expiresAt <= this.clock.now()) {
      this.statsOf(clientId).invalid++;
      return fail(400, 'invalid_grant', 'The authorization code is invalid, expired or already used.');
    }
    if (redirectUri !== null && redirectUri !== grant.redirectUri) {
      this.statsOf(clientId).invalid++;
      return fail(
        400,
        'invalid_grant',
        'The redirect_uri does not match the one of the authorization request.',
      );
    }
    this.statsOf(clientId).authorizationCodes++;
    return {
      ok: true,
      tokens: this.issue({ clientId, division: grant.division, lastIssuedAt: 0, lastLifetimeMs: 0 }),
    };
  }

  refreshGrant(clientId: string, token: string): OAuthOutcome {
    const grant = this.refresh.get(token);
    const stats = this.statsOf(clientId);
    const now = this.clock.now();
    if (!grant || grant.chain.clientId !== clientId) {
      stats.invalid++;
      return fail(400, 'invalid_grant', 'The refresh token is invalid.');
    }
    if (grant.spent) {
      stats.reused++;
      return fail(400, 'invalid_grant', 'The refresh token has already been used.');
    }
    if (grant.expiresAt <= now) {
      stats.expired++;
      return fail(
        400,
        'invalid_request',
        `The refresh token expired at ${new Date(grant.expiresAt).toISOString()}`,
      );
    }
    if (now - grant.chain.lastIssuedAt < refreshMinAge(grant.chain, this.config())) {
      stats.tooEarly++;
      return fail(400, 'access_denied', 'Rate limit exceeded: access_token not expired', {
        Reason: 'TooEarlyToRefreshTokens',
      });
    }
    grant.spent = true;
    stats.refreshes++;
    return { ok: true, tokens: this.issue(grant.chain) };
  }

  /** A fresh authorization without the browser flow (control API; not counted). */
  direct(clientId: string, division: number): TokenSet {
    return this.issue({ clientId, division, lastIssuedAt: 0, lastLifetimeMs: 0 });
  }

  /** Resolves a bearer token of an API call: its grant and whether it expired (counted), or undefined when unknown. */
  resolve(token: string): { grant: AccessGrant; expired: boolean } | undefined {
    const grant = this.access.get(token);
    if (!grant) return undefined;
    const expired = grant.expiresAt <= this.clock.now();
    if (expired) this.statsOf(grant.clientId).unauthorized++;
    return { grant, expired };
  }

  snapshot(): { byClient: Record<string, TokenClientStats>; calls: number } {
    const byClient = Object.fromEntries(this.stats);
    const calls = [...this.stats.values()].reduce((sum, s) => sum + s.calls, 0);
    return { byClient, calls };
  }

  clearStats(): void {
    this.stats.clear();
  }

  reset(): void {
    this.codes.clear();
    this.access.clear();
    this.refresh.clear();
    this.stats.clear();
    this.callWindows.clear();
  }

  private issue(chain: Chain): TokenSet {
    const now = this.clock.now();
    const config = this.config();
    // `expires_in` speaks whole seconds: the token lives exactly as long as it says.
    const lifetimeS = Math.max(1, Math.round(config.accessTokenTtlMs / 1000));
    chain.lastIssuedAt = now;
    chain.lastLifetimeMs = lifetimeS * 1000;
    this.purgeIfLarge(now);
    const accessToken = secret(48);
    const refreshToken = secret(48);
    this.access.set(accessToken, {
      clientId: chain.clientId,
      division: chain.division,
      expiresAt: now + chain.lastLifetimeMs,
    });
    this.refresh.set(refreshToken, { chain, expiresAt: now + config.refreshTokenTtlMs, spent: false });
    return {
      access_token: accessToken,
      token_type: 'bearer',
      expires_in: String(lifetimeS),
      refresh_token: refreshToken,
    };
  }

  private statsOf(clientId: string): TokenClientStats {
    let stats = this.stats.get(clientId);
    if (!stats) {
      stats = {
        calls: 0,
        authorizationCodes: 0,
        refreshes: 0,
        tooEarly: 0,
        reused: 0,
        expired: 0,
        invalid: 0,
        rateLimited: 0,
        unauthorized: 0,
      };
      this.stats.set(clientId, stats);
    }
    return stats;
  }

  /** Benchmarks mint many tokens; forget long-dead ones so memory stays flat. */
  private purgeIfLarge(now: number): void {
    if (this.access.size > 50_000) {
      for (const [token, grant] of this.access) if (grant.expiresAt <= now) this.access.delete(token);
    }
    if (this.refresh.size > 50_000) {
      for (const [token, grant] of this.refresh)
        if (grant.spent || grant.expiresAt <= now) this.refresh.delete(token);
    }
  }
}
