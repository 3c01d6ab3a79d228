import { connections, createTokenStore, type DatabaseHandle, openDatabase, syncState } from '@exact-sync/db';
import {
  createTestDatabase,
  type RunningProcess,
  startSimulator,
  type TestDatabase,
} from '@exact-sync/testkit';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ConnectionNeedsReauthError,
  createTokenManager,
  refreshAccessToken,
  type TokenManager,
  TokenRefreshFailedError,
  TokenRefreshTooEarlyError,
} from '../src/index.ts';
import { consentCode, runWorkers, simulatorClock, tokenStats } from './token-helpers.ts';

const KEY = '3c'.repeat(32);
const DAY = 86_400_000;
const REDIRECT = 'http://127.0.0.1:9/v1/oauth/callback';

let testDb: TestDatabase;
let database: DatabaseHandle;
let sim: RunningProcess & { url: string };
let clock: ReturnType<typeof simulatorClock>;
let manager: TokenManager;

async function authorizedConnection(name: string): Promise<string> {
  const [row] = await database.db
    .insert(connections)
    .values({ name, exactBaseUrl: sim.url })
    .returning({ id: connections.id });
  if (!row) throw new Error('no connection');
  const code = await consentCode(sim.url, REDIRECT);
  await manager.completeAuthorization({ connectionId: row.id, code, redirectUri: REDIRECT });
  return row.id;
}

const workerEnv = (connectionId: string, extra: Record<string, string> = {}) => ({
  DATABASE_URL: testDb.url,
  CONNECTION_ID: connectionId,
  TOKEN_ENCRYPTION_KEY: KEY,
  CLOCK_OFFSET_MS: String(clock.offset),
  SIM_URL: sim.url,
  ...extra,
});

beforeAll(async () => {
  [testDb, sim] = await Promise.all([
    createTestDatabase('tokens'),
    startSimulator({ SIM_CONFIG: JSON.stringify({ items: 5, accounts: 5 }) }),
  ]);
  database = openDatabase(testDb.url, { max: 4 });
  clock = simulatorClock(sim.url);
  manager = createTokenManager({
    store: createTokenStore(database.db),
    clock,
    encryptionKey: KEY,
    clientId: 'exact-sim-client',
    clientSecret: 'exact-sim-secret',
    exactBaseUrl: sim.url,
  });
});

afterAll(async () => {
  await database?.close();
  await sim?.stop();
  await testDb?.drop();
});

describe('token manager against the simulator', () => {
  it('stores an authorization encrypted, with the division from current/Me', async () => {
    const id = await authorizedConnection('Stored');
    const [row] = await database.db.select().from(connections).where(eq(connections.id, id));
    expect(row).toMatchObject({ status: 'active', division: 100001, statusReason: null });
    const token = await manager.providerFor(id).accessToken();
    expect(row?.accessTokenEnc).not.toContain(token);
    expect(row?.accessTokenEnc?.startsWith('v1.')).toBe(true);
  });

  it('when four processes find the token expired, exactly one refresh happens and all can call Exact', async () => {
    const id = await authorizedConnection('Busy shop');
    const old = await manager.providerFor(id).accessToken();
    await clock.advance(601_000);
    await tokenStats(sim.url, { clear: true });
    // Two ask for a token before a call; two report that Exact refused the old one with 401.
    const results = await runWorkers(database.sql, 4, (i) =>
      workerEnv(id, i < 2 ? {} : { REJECTED_TOKEN: old }),
    );
    expect(results.map((r) => r.error ?? 'ok')).toEqual(['ok', 'ok', 'ok', 'ok']);
    expect(new Set(results.map((r) => r.token)).size).toBe(1);
    expect(results.every((r) => r.meStatus === 200)).toBe(true);
    expect(await tokenStats(sim.url)).toMatchObject({ refreshes: 1, tooEarly: 0, reused: 0 });
  });

  it('answers a 401 on a token another process already replaced with the stored one, without a refresh', async () => {
    const id = await authorizedConnection('Replaced');
    const provider = manager.providerFor(id);
    const first = await provider.accessToken();
    await clock.advance(580_000);
    await tokenStats(sim.url, { clear: true });
    const second = await provider.refreshAfterUnauthorized(first);
    expect(second).not.toBe(first);
    expect(await provider.refreshAfterUnauthorized(first)).toBe(second);
    expect(await tokenStats(sim.url)).toMatchObject({ refreshes: 1, tooEarly: 0 });
  });

  it('follows a 60 s expires_in: refreshes 30 s after the answer, and Exact accepts', async () => {
    await fetch(`${sim.url}/_sim/config`, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ accessTokenTtlMs: 60_000 }),
    });
    try {
      const id = await authorizedConnection('Short-lived');
      const provider = manager.providerFor(id);
      const first = await provider.accessToken();
      await tokenStats(sim.url, { clear: true });
      await clock.advance(29_000);
      expect(await provider.accessToken()).toBe(first);
      await clock.advance(1_000);
      const second = await provider.accessToken();
      expect(second).not.toBe(first);
      expect(await tokenStats(sim.url)).toMatchObject({ refreshes: 1, tooEarly: 0, reused: 0 });
    } finally {
      await fetch(`${sim.url}/_sim/config`, {
        method: 'PATCH',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ accessTokenTtlMs: 600_000 }),
      });
    }
  });

  it('refuses to refresh a token before its refresh window, without asking Exact', async () => {
    const id = await authorizedConnection('Young');
    const provider = manager.providerFor(id);
    const token = await provider.accessToken();
    await tokenStats(sim.url, { clear: true });
    const error = await provider.refreshAfterUnauthorized(token).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenRefreshTooEarlyError);
    expect((error as TokenRefreshTooEarlyError).until).toBeGreaterThan(clock.now());
    expect((await tokenStats(sim.url)).calls).toBe(0);
  });

  it('stops a connection stored with a host that is not Exact: no token leaves, and it needs authorizing', async () => {
    const id = await authorizedConnection('Elsewhere');
    await database.db
      .update(connections)
      .set({ exactBaseUrl: 'http://169.254.169.254' })
      .where(eq(connections.id, id));
    await tokenStats(sim.url, { clear: true });
    await expect(manager.providerFor(id).accessToken()).rejects.toBeInstanceOf(ConnectionNeedsReauthError);
    await expect(manager.providerFor(id).refreshAfterUnauthorized('any')).rejects.toBeInstanceOf(
      ConnectionNeedsReauthError,
    );
    const [row] = await database.db.select().from(connections).where(eq(connections.id, id));
    expect(row).toMatchObject({ status: 'needs_reauth' });
    expect(row?.statusReason).toContain('http://169.254.169.254 is neither one of Exact');
    expect((await tokenStats(sim.url)).calls).toBe(0);
  });

  it('gives up waiting for a refresh held too long by another process, and loses nothing', async () => {
    const id = await authorizedConnection('Slow neighbour');
    await clock.advance(601_000);
    await tokenStats(sim.url, { clear: true });
    const impatient = createTokenManager(
      {
        store: createTokenStore(database.db),
        clock,
        encryptionKey: KEY,
        clientId: 'exact-sim-client',
        clientSecret: 'exact-sim-secret',
        exactBaseUrl: sim.url,
      },
      { lockTimeoutMs: 200 },
    );
    await database.sql.begin(async (tx) => {
      await tx`select 1 from connections where id = ${id} for update`;
      const error = await impatient
        .providerFor(id)
        .accessToken()
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TokenRefreshFailedError);
      expect((error as Error).message).toMatch(/another process holds the token lock/);
    });
    expect((await tokenStats(sim.url)).calls).toBe(0);
    await manager.providerFor(id).accessToken();
    expect(await tokenStats(sim.url)).toMatchObject({ refreshes: 1, reused: 0 });
  });

  it('refreshes while a transaction that calls Exact holds a new row of the connection (a first sync page)', async () => {
    const id = await authorizedConnection('First page');
    await clock.advance(601_000);
    await tokenStats(sim.url, { clear: true });
    const patient = createTokenManager(
      {
        store: createTokenStore(database.db),
        clock,
        encryptionKey: KEY,
        clientId: 'exact-sim-client',
        clientSecret: 'exact-sim-secret',
        exactBaseUrl: sim.url,
      },
      { lockTimeoutMs: 2_000 },
    );
    await database.db.transaction(async (tx) => {
      // The new row's foreign key holds a key-share lock on the connection until this transaction ends.
      await tx.insert(syncState).values({ connectionId: id, entity: 'deleted' });
      await patient.providerFor(id).accessToken();
    });
    expect(await tokenStats(sim.url)).toMatchObject({ refreshes: 1, tooEarly: 0 });
  });

  it('marks the connection needs_reauth when its refresh token was spent elsewhere, and stops there', async () => {
    const id = await authorizedConnection('Raced');
    const { createTokenCipher } = await import('../src/index.ts');
    const [row] = await database.db.select().from(connections).where(eq(connections.id, id));
    const refresh = createTokenCipher(KEY).decrypt(
      row?.refreshTokenEnc ?? '',
      `connection:${id}:refresh_token`,
    );
    await clock.advance(600_000);
    const client = { baseUrl: sim.url, clientId: 'exact-sim-client', clientSecret: 'exact-sim-secret' };
    await refreshAccessToken(client, refresh); // another integration spends it
    await tokenStats(sim.url, { clear: true });
    const provider = manager.providerFor(id);
    await expect(provider.accessToken()).rejects.toBeInstanceOf(ConnectionNeedsReauthError);
    await expect(provider.accessToken()).rejects.toThrow(/needs authorization in Exact/);
    const [after] = await database.db.select().from(connections).where(eq(connections.id, id));
    expect(after).toMatchObject({ status: 'needs_reauth', accessTokenEnc: null, refreshTokenEnc: null });
    expect(after?.statusReason).toMatch(/already been used/);
    expect(await tokenStats(sim.url)).toMatchObject({ calls: 1, reused: 1 });
  });

  it('keeps an idle connection alive past 30 days through the idle refresh, and lets one left too long go', async () => {
    const idle = await authorizedConnection('Quiet shop');
    const forgotten = await authorizedConnection('Forgotten shop');
    await clock.advance(20 * DAY);
    // The schedule runs while `forgotten` is paused in another installation: simulate by refreshing `idle` alone.
    await database.db.update(connections).set({ status: 'pending' }).where(eq(connections.id, forgotten));
    const summary = await manager.refreshIdle({ olderThanMs: DAY });
    await database.db.update(connections).set({ status: 'active' }).where(eq(connections.id, forgotten));
    expect(summary.failed).toEqual([]);
    expect(summary.refreshed).toBeGreaterThanOrEqual(1);
    await clock.advance(15 * DAY);
    await tokenStats(sim.url, { clear: true });

    const alive = await runWorkers(database.sql, 3, () => workerEnv(idle));
    expect(alive.map((r) => r.error ?? r.meStatus)).toEqual([200, 200, 200]);
    expect(await tokenStats(sim.url)).toMatchObject({ refreshes: 1, tooEarly: 0, reused: 0, expired: 0 });

    await tokenStats(sim.url, { clear: true });
    const dead = await runWorkers(database.sql, 3, () => workerEnv(forgotten));
    expect(dead.map((r) => r.error)).toEqual(Array(3).fill('ConnectionNeedsReauthError'));
    const [row] = await database.db.select().from(connections).where(eq(connections.id, forgotten));
    expect(row).toMatchObject({ status: 'needs_reauth' });
    expect(row?.statusReason).toMatch(/expired/);
    // The manager knew the refresh token was past its 30 days: nobody called Exact.
    expect((await tokenStats(sim.url)).calls).toBe(0);
  });
});
