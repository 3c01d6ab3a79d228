/**
 * Errors of the token manager and the OAuth calls. Each has a stable `name`; none carries a token or secret.
 * Lanes map `ConnectionNeedsReauthError` to "wait for a person", `TokenRefreshTooEarlyError` (a `RetryLaterError`)
 * to a delay until `until`, and `TokenRefreshFailedError` to an ordinary retry.
 */

import { ENCRYPTION_KEY_RULE } from '@exact-sync/core';
import { RetryLaterError } from '../errors.ts';

/** The connection has no usable tokens (never authorized, or its refresh token expired or was spent). */
export class ConnectionNeedsReauthError extends Error {
  override readonly name = 'ConnectionNeedsReauthError';
  constructor(
    readonly connectionId: string,
    /** `pending`: never authorized; `needs_reauth`: it was, and lost its tokens. */
    readonly status: 'pending' | 'needs_reauth',
    readonly reason: string,
  ) {
    super(`connection ${connectionId} needs authorization in Exact: ${reason}`);
  }
}

/** The connection id names no connection (deleted, or never existed). */
export class ConnectionNotFoundError extends Error {
  override readonly name = 'ConnectionNotFoundError';
  constructor(readonly connectionId: string) {
    super(`connection ${connectionId} not found`);
  }
}

/**
 * An OAuth callback for a connection that is live and was not sent to authorize again: its tokens stay as they are.
 * (A captured `state` with another login's code must never replace a working connection's tokens.)
 */
export class ConnectionNotAuthorizableError extends Error {
  override readonly name = 'ConnectionNotAuthorizableError';
  constructor(readonly connectionId: string) {
    super(
      `connection ${connectionId} is already authorized; to authorize it again, ask for a new link with POST /v1/connections/${connectionId}/reauthorize`,
    );
  }
}

/** Exact's user works in another division than the connection's: the new tokens are refused, the old ones kept. */
export class DivisionMismatchError extends Error {
  override readonly name = 'DivisionMismatchError';
  constructor(
    readonly connectionId: string,
    readonly expected: number,
    readonly actual: number,
  ) {
    super(
      `the Exact user who authorized works in division ${actual}, but this connection is for division ${expected}; switch to division ${expected} in Exact (or log in as a user of it) and authorize again. The connection keeps its previous tokens.`,
    );
  }
}

/**
 * A refresh is needed, but Exact refuses one before the access token's refresh window (its last 30 s), or just did;
 * ask again at `until` (epoch ms).
 */
export class TokenRefreshTooEarlyError extends RetryLaterError {
  override readonly name = 'TokenRefreshTooEarlyError';
  constructor(
    readonly connectionId: string,
    until: number,
  ) {
    super(
      `connection ${connectionId}: access token cannot be refreshed before ${new Date(until).toISOString()}`,
      until,
    );
  }
}

/** A refresh or exchange that may succeed later (network, 5xx, the token endpoint's daily limit). */
export class TokenRefreshFailedError extends Error {
  override readonly name = 'TokenRefreshFailedError';
}

/** Exact refused an OAuth request; `error` and `description` are Exact's RFC 6749 fields. */
export class OAuthRequestError extends Error {
  override readonly name = 'OAuthRequestError';
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string,
    /** Exact's `Reason` header, e.g. `TooEarlyToRefreshTokens`. */
    readonly reason: string | undefined,
  ) {
    super(`Exact refused the OAuth request (${status} ${error}${description ? `: ${description}` : ''})`);
  }
}

/** TOKEN_ENCRYPTION_KEY is not 32 bytes (64 hex characters, base64 or base64url). Says how to make one. */
export class InvalidEncryptionKeyError extends Error {
  override readonly name = 'InvalidEncryptionKeyError';
  constructor() {
    super(`TOKEN_ENCRYPTION_KEY ${ENCRYPTION_KEY_RULE}`);
  }
}

/** A stored token does not decrypt: TOKEN_ENCRYPTION_KEY changed, or the value was altered. */
export class TokenDecryptionError extends Error {
  override readonly name = 'TokenDecryptionError';
  constructor(context: string) {
    super(`stored ${context} cannot be decrypted with TOKEN_ENCRYPTION_KEY (was the key changed?)`);
  }
}
