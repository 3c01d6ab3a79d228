/** The columns of a connection the token manager works with. */
export interface TokenRow {
  id: string;
  status: 'pending' | 'active' | 'needs_reauth';
  statusReason: string | null;
  exactBaseUrl: string;
  division: number | null;
  accessTokenEnc: string | null;
  refreshTokenEnc: string | null;
  accessTokenExpiresAt: Date | null;
  /** The access token's life as Exact announced it (`expires_in`); null for tokens stored before it was kept. */
  accessTokenLifetimeMs: number | null;
  tokenIssuedAt: Date | null;
  refreshTokenIssuedAt: Date | null;
  reauthorizeRequestedAt: Date | null;
}

/** Both tokens of a connection, encrypted, with the times that decide when to refresh. */
interface StoredTokens {
  accessTokenEnc: string;
  refreshTokenEnc: string;
  issuedAt: Date;
  expiresAt: Date;
  lifetimeMs: number;
}

/** Writes to the locked connection, made in the lock's transaction. */
export interface LockedTokenWrites {
  /**
   * Replaces both tokens at once (the rotated refresh token is never stored apart from its access token);
   * `status: 'active'` also clears the status reason and a pending reauthorization request.
   */
  saveTokens(tokens: StoredTokens, extra?: { status?: 'active'; division?: number }): Promise<void>;
  /** Records that the access token stopped working at `at` (Exact refused it before its refresh window). */
  expireAccessToken(at: Date): Promise<void>;
  /** Moves the connection to `needs_reauth` with `reason` and forgets its dead tokens. */
  markNeedsReauth(reason: string): Promise<void>;
}

/** The outcome of `withLockedRow`: the work's answer, or `locked: false` when the lock was not had in time. */
type LockedResult<T> = { locked: true; value: T } | { locked: false };

/**
 * Where the token manager keeps tokens (in this service: the `connections` table, see @exact-sync/db). Every
 * process that refreshes or stores a connection's tokens first takes that connection's lock, so refreshes never
 * race and the rotated refresh token is never lost.
 */
export interface TokenStore {
  /** The connection's token row as last committed, or undefined when there is none (or the id is not a UUID). */
  readTokenRow(connectionId: string): Promise<TokenRow | undefined>;
  /**
   * Runs `work` holding the connection's row lock, with the row as read inside the lock (the latest committed one),
   * in one transaction with the writes it makes. Answers `{ locked: false }` when another process held the lock
   * longer than `lockTimeoutMs`.
   */
  withLockedRow<T>(
    connectionId: string,
    lockTimeoutMs: number,
    work: (writes: LockedTokenWrites, row: TokenRow | undefined) => Promise<T>,
  ): Promise<LockedResult<T>>;
  /** Active connections whose refresh token was issued before `before`: the idle refresh's work list. */
  connectionsIssuedBefore(before: Date): Promise<string[]>;
}
