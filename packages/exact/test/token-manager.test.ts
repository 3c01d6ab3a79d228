import { describe, expect, it } from 'vitest';
import {
  ConnectionNotFoundError,
  createTokenCipher,
  createTokenManager,
  TokenRefreshFailedError,
  type TokenRow,
  type TokenStore,
} from '../src/index.ts';

const KEY = '5a'.repeat(32);
const ID = '00000000-0000-4000-8000-000000000001';
const NOW = Date.UTC(2026, 0, 1);
const cipher = createTokenCipher(KEY);

/** An active connection whose access token was issued `ageMs` ago and lives ten minutes. */
function row(ageMs: number): TokenRow {
  const issued = new Date(NOW - ageMs);
  return {
    id: ID,
    status: 'active',
    statusReason: null,
    // Nothing may be called: a request would fail on this port.
    exactBaseUrl: 'http://127.0.0.1:9',
    division: 1,
    accessTokenEnc: cipher.encrypt('access-1', `connection:${ID}:access_token`),
    refreshTokenEnc: cipher.encrypt('refresh-1', `connection:${ID}:refresh_token`),
    accessTokenExpiresAt: new Date(issued.getTime() + 600_000),
    tokenIssuedAt: issued,
    refreshTokenIssuedAt: issued,
    reauthorizeRequestedAt: null,
  };
}

/** A store holding at most one row, whose lock is always held by someone else; counts the lock attempts. */
function storeWith(stored: TokenRow | undefined) {
  const store = {
    lockAttempts: 0,
    readTokenRow: async () => stored,
    withLockedRow: async () => {
      store.lockAttempts += 1;
      return { locked: false } as const;
    },
    connectionsIssuedBefore: async () => [],
  } satisfies TokenStore & { lockAttempts: number };
  return store;
}

const managerOver = (store: TokenStore) =>
  createTokenManager({
    store,
    clock: { now: () => NOW },
    encryptionKey: KEY,
    clientId: 'client',
    clientSecret: 'secret',
  });

describe('token manager over its store', () => {
  it('answers a fresh token from the stored row without taking the lock', async () => {
    const store = storeWith(row(60_000));
    expect(await managerOver(store).providerFor(ID).accessToken()).toBe('access-1');
    expect(store.lockAttempts).toBe(0);
  });

  it('turns a lock held too long by another process into a failure to retry', async () => {
    const store = storeWith(row(900_000));
    const error = await managerOver(store)
      .providerFor(ID)
      .accessToken()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenRefreshFailedError);
    expect((error as Error).message).toBe(
      `connection ${ID}: another process holds the token lock; try again`,
    );
    expect(store.lockAttempts).toBe(1);
  });

  it('names a connection the store does not have', async () => {
    const error = await managerOver(storeWith(undefined))
      .providerFor(ID)
      .accessToken()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionNotFoundError);
  });
});
