import { describe, expect, it } from 'vitest';
import {
  ConnectionNotFoundError,
  createTokenCipher,
  createTokenManager,
  TokenRefreshFailedError,
  TokenRefreshTooEarlyError,
  type TokenRow,
  type TokenStore,
} from '../src/index.ts';

const KEY = '5a'.repeat(32);
const ID = '00000000-0000-4000-8000-000000000001';
const NOW = Date.UTC(2026, 0, 1);
const cipher = createTokenCipher(KEY);

/** An active connection whose access token arrived `ageMs` ago and lives `lifetimeMs` (ten minutes). */
function row(ageMs: number, lifetimeMs = 600_000): TokenRow {
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
    accessTokenExpiresAt: new Date(issued.getTime() + lifetimeMs),
    accessTokenLifetimeMs: lifetimeMs,
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

/** A store holding one row whose lock is always free; keeps the expiries written under it. */
function lockingStore(stored: TokenRow) {
  const expired: Date[] = [];
  const store = {
    expired,
    readTokenRow: async () => stored,
    withLockedRow: async <T>(
      _id: string,
      _timeout: number,
      work: Parameters<TokenStore['withLockedRow']>[2],
    ) => {
      const writes = {
        saveTokens: async () => {
          throw new Error('no refresh expected');
        },
        expireAccessToken: async (at: Date) => {
          expired.push(at);
          stored.accessTokenExpiresAt = at;
        },
        markNeedsReauth: async () => {
          throw new Error('no reauth expected');
        },
      };
      return { locked: true as const, value: (await work(writes, stored)) as T };
    },
    connectionsIssuedBefore: async () => [],
  } satisfies TokenStore & { expired: Date[] };
  return store;
}

const managerOver = (store: TokenStore) =>
  createTokenManager({
    store,
    clock: { now: () => NOW },
    encryptionKey: KEY,
    clientId: 'client',
    clientSecret: 'secret',
    exactBaseUrl: 'http://127.0.0.1:9',
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

  it('keeps a 60 s token for 30 s and refreshes it after, without waiting for 570 s', async () => {
    expect(
      await managerOver(storeWith(row(29_000, 60_000)))
        .providerFor(ID)
        .accessToken(),
    ).toBe('access-1');
    const due = storeWith(row(30_000, 60_000));
    await expect(managerOver(due).providerFor(ID).accessToken()).rejects.toThrow(/token lock/);
    expect(due.lockAttempts).toBe(1);
  });
});

describe('a 401 before the refresh window', () => {
  it('answers the stored token when another process already replaced the refused one', async () => {
    const store = lockingStore(row(10_000, 60_000));
    expect(await managerOver(store).providerFor(ID).refreshAfterUnauthorized('access-0')).toBe('access-1');
    expect(store.expired).toEqual([]);
  });

  it('retires the refused token for every process and waits for the window, without asking Exact', async () => {
    const store = lockingStore(row(10_000, 60_000));
    const provider = managerOver(store).providerFor(ID);
    const error = await provider.refreshAfterUnauthorized('access-1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenRefreshTooEarlyError);
    expect((error as TokenRefreshTooEarlyError).until).toBe(NOW + 20_000);
    expect(store.expired).toEqual([new Date(NOW)]);
    // Another call of any process now waits instead of sending the refused token.
    await expect(provider.accessToken()).rejects.toBeInstanceOf(TokenRefreshTooEarlyError);
  });
});
