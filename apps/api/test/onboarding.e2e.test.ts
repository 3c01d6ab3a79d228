import { createTokenStore } from '@exact-sync/db';
import { createTokenManager } from '@exact-sync/exact';
import {
  createTestDatabase,
  deleteRedisKeys,
  type RunningProcess,
  startSimulator,
  type TestDatabase,
  testRedisUrl,
  uniqueName,
} from '@exact-sync/testkit';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, testConfig } from './helpers.ts';
import { ADMIN, authorizeThrough, onboard, pathOf, storedTokens } from './onboarding.ts';

const PUBLIC_URL = 'http://api.example.test';
const DAY = 86_400_000;

let db: TestDatabase;
let sim: RunningProcess & { url: string };
let api: FastifyInstance;
let config: ReturnType<typeof testConfig>;
const prefix = uniqueName('onboarding');

const simStats = async () =>
  (
    (await (await fetch(`${sim.url}/_sim/stats`)).json()) as {
      tokens: Record<string, Record<string, number>>;
    }
  ).tokens['exact-sim-client'] ?? {};

const simConfig = async (patch: Record<string, unknown>) => {
  const res = await fetch(`${sim.url}/_sim/config`, {
    method: 'PATCH',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(patch),
  });
  if (!res.ok) throw new Error(`sim config answered ${res.status}`);
};

beforeAll(async () => {
  [db, sim] = await Promise.all([
    createTestDatabase('onboarding'),
    startSimulator({ SIM_CONFIG: JSON.stringify({ items: 5, accounts: 5 }) }),
  ]);
  config = testConfig({
    DATABASE_URL: db.url,
    REDIS_URL: testRedisUrl(),
    REDIS_PREFIX: prefix,
    EXACT_BASE_URL: sim.url,
    PUBLIC_URL,
  });
  api = await buildApp(config);
});

afterAll(async () => {
  await api?.close();
  await sim?.stop();
  await db?.drop();
  await deleteRedisKeys(`{${prefix}}`);
  await deleteRedisKeys(prefix);
});

describe('onboarding a connection through HTTP', () => {
  it('goes from POST /v1/connections to a ready connection with its first sync queued', async () => {
    const created = await api.inject({
      method: 'POST',
      url: '/v1/connections',
      headers: ADMIN,
      payload: { name: 'Fiets & Co' },
    });
    expect(created.statusCode).toBe(201);
    const { id, authorizeUrl } = created.json<{ id: string; authorizeUrl: string }>();
    expect(authorizeUrl).toMatch(new RegExp(`^${PUBLIC_URL}/v1/connections/${id}/authorize\\?exp=\\d+&sig=`));

    const toExact = await api.inject({ method: 'GET', url: pathOf(authorizeUrl) });
    expect(toExact.statusCode).toBe(302);
    const consentUrl = new URL(String(toExact.headers.location));
    expect(`${consentUrl.origin}${consentUrl.pathname}`).toBe(`${sim.url}/api/oauth2/auth`);
    expect(Object.fromEntries(consentUrl.searchParams)).toMatchObject({
      client_id: 'exact-sim-client',
      redirect_uri: `${PUBLIC_URL}/v1/oauth/callback`,
      response_type: 'code',
    });

    const callback = await authorizeThrough(api, authorizeUrl);
    expect(callback.statusCode).toBe(200);
    expect(callback.body).toContain('Connection ready');
    expect(callback.body).toContain('Fiets &#38; Co');

    const status = await api.inject({ url: `/v1/connections/${id}/status`, headers: ADMIN });
    expect(status.statusCode).toBe(200);
    expect(status.json()).toMatchObject({
      id,
      name: 'Fiets & Co',
      status: 'active',
      needsReauth: false,
      statusReason: null,
      paused: false,
      division: 100001,
      entities: { items: { phase: 'initial', cursor: '0', records: 0, lastSuccessAt: null } },
      budget: { minute: { limit: 60, used: { sync: 0, order: 0 } }, day: { limit: 5000 } },
      orders: {
        accepted: 0,
        submitting: 0,
        submitted: 0,
        rejected: 0,
        failed: 0,
        partly_delivered: 0,
        delivered: 0,
        invoiced: 0,
        cancelled: 0,
      },
    });
    expect(status.body).not.toMatch(/access_?token"|refresh_?token"|Enc"/i);

    const jobs = await Promise.all(
      ['items', 'stock', 'prices', 'accounts'].map(async (e) =>
        api.queues.sync.getJob((await api.queues.sync.getDeduplicationJobId(`sync:${id}:${e}`)) ?? ''),
      ),
    );
    expect(jobs.map((j) => j?.data)).toEqual(
      ['items', 'stock', 'prices', 'accounts'].map((entity) => ({ connectionId: id, entity })),
    );
  });

  it("keeps a division given at creation, once current/Me confirms it is the user's", async () => {
    await simConfig({ userDivision: 100002 });
    try {
      // The simulator is let in as a host because it is the configured EXACT_BASE_URL.
      const { id, callback } = await onboard(api, {
        name: 'Second division',
        division: 100002,
        exactBaseUrl: sim.url,
      });
      expect(callback.statusCode).toBe(200);
      const status = await api.inject({ url: `/v1/connections/${id}/status`, headers: ADMIN });
      expect(status.json()).toMatchObject({ status: 'active', division: 100002 });
    } finally {
      await simConfig({ userDivision: 0 });
    }
  });

  it("refuses tokens of a user in another division and keeps the connection's own", async () => {
    const { id } = await onboard(api, { name: 'Division check' });
    const before = await storedTokens(api, id);
    const link = await api.inject({
      method: 'POST',
      url: `/v1/connections/${id}/reauthorize`,
      headers: ADMIN,
    });
    await simConfig({ userDivision: 100002 });
    try {
      const callback = await authorizeThrough(api, link.json().authorizeUrl);
      expect(callback.statusCode).toBe(409);
      expect(JSON.parse(callback.body).error).toMatchObject({
        code: 'division_mismatch',
        message: expect.stringMatching(/division 100002.*division 100001/),
      });
    } finally {
      await simConfig({ userDivision: 0 });
    }
    expect(await storedTokens(api, id)).toEqual(before);
    const status = await api.inject({ url: `/v1/connections/${id}/status`, headers: ADMIN });
    expect(status.json()).toMatchObject({ status: 'active', division: 100001 });
  });

  // Moves the simulator's clock by a month: keep this test last.
  it('shows needs_reauth when a connection was left idle past 30 days, stops its work, and re-authorizes', async () => {
    const { id } = await onboard(api, { name: 'Left alone' });
    await fetch(`${sim.url}/_sim/clock/advance`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ ms: 31 * DAY }),
    });
    const worker = createTokenManager({
      store: createTokenStore(api.database.db),
      clock: { now: () => Date.now() + 31 * DAY },
      encryptionKey: config.TOKEN_ENCRYPTION_KEY,
      clientId: config.EXACT_CLIENT_ID,
      clientSecret: config.EXACT_CLIENT_SECRET,
      exactBaseUrl: config.EXACT_BASE_URL,
    });
    const before = await simStats();
    await expect(worker.providerFor(id).accessToken()).rejects.toMatchObject({
      name: 'ConnectionNeedsReauthError',
    });
    await expect(worker.providerFor(id).accessToken()).rejects.toMatchObject({ status: 'needs_reauth' });
    expect((await simStats()).calls ?? 0).toBe(before.calls ?? 0);

    const status = await api.inject({ url: `/v1/connections/${id}/status`, headers: ADMIN });
    expect(status.json()).toMatchObject({ status: 'needs_reauth', needsReauth: true });
    expect(status.json().statusReason).toMatch(/expired/);
    const sync = await api.inject({ method: 'POST', url: `/v1/connections/${id}/sync`, headers: ADMIN });
    expect(sync.statusCode).toBe(409);
    expect(sync.json().error.code).toBe('connection_needs_reauth');

    const again = await api.inject({
      method: 'POST',
      url: `/v1/connections/${id}/reauthorize`,
      headers: ADMIN,
    });
    expect(again.statusCode).toBe(200);
    const callback = await authorizeThrough(api, again.json().authorizeUrl);
    expect(callback.statusCode).toBe(200);
    const after = await api.inject({ url: `/v1/connections/${id}/status`, headers: ADMIN });
    expect(after.json()).toMatchObject({ status: 'active', needsReauth: false, statusReason: null });
  });
});
