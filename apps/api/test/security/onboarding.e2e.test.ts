import { parseEncryptionKey } from '@exact-sync/exact';
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
import { createLinkSigner } from '../../src/connections/signed-links.ts';
import { buildApp, testConfig } from '../helpers.ts';
import { ADMIN, pathOf, storedTokens } from '../onboarding.ts';

// Attacks on onboarding: a foreign Exact host (it would receive the client secret and the codes), authorize links
// and OAuth states altered or out of date, and an OAuth state replayed with a fresh code from someone else's login
// (the hotfix: a state is taken once).
const PUBLIC_URL = 'http://api.example.test';

let db: TestDatabase;
let sim: RunningProcess & { url: string };
let api: FastifyInstance;
let config: ReturnType<typeof testConfig>;
const prefix = uniqueName('onboarding_attacks');

const create = async (payload: Record<string, unknown>) =>
  api.inject({ method: 'POST', url: '/v1/connections', headers: ADMIN, payload });

/** A code from Exact's consent page, as any person logging in to Exact gets one. */
async function freshCode(state: string): Promise<string> {
  const query = new URLSearchParams({
    client_id: 'exact-sim-client',
    redirect_uri: `${PUBLIC_URL}/v1/oauth/callback`,
    response_type: 'code',
    state,
  });
  const consent = await fetch(`${sim.url}/api/oauth2/auth?${query}`, { redirect: 'manual' });
  return new URL(consent.headers.get('location') ?? '').searchParams.get('code') ?? '';
}

beforeAll(async () => {
  [db, sim] = await Promise.all([
    createTestDatabase('onboarding_attacks'),
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

describe('onboarding under attack', () => {
  it("refuses any Exact host but Exact's country sites and the configured one, since the client secret goes there", async () => {
    const foreign = [
      'http://start.exactonline.nl',
      'https://start.exactonline.nl.evil.example',
      'https://169.254.169.254',
      'http://10.0.0.5:8080',
      'https://example.com',
    ];
    for (const exactBaseUrl of foreign) {
      const res = await create({ name: 'Foreign', exactBaseUrl });
      expect(res.statusCode, exactBaseUrl).toBe(400);
      expect(res.json().error).toMatchObject({
        code: 'validation_failed',
        details: [{ field: 'body.exactBaseUrl', message: expect.stringMatching(/country sites/) }],
      });
    }
    const list = await api.inject({ url: '/v1/connections', headers: ADMIN });
    expect(list.json().data.filter((c: { name: string }) => c.name === 'Foreign')).toEqual([]);
    for (const host of ['https://start.exactonline.de', 'https://start.exactonline.co.uk']) {
      expect((await create({ name: 'Allowed', exactBaseUrl: host })).statusCode, host).toBe(201);
    }
  });

  it('takes a state once: a replay with a fresh code from another login is refused and the tokens stay', async () => {
    const created = await api.inject({
      method: 'POST',
      url: '/v1/connections',
      headers: ADMIN,
      payload: { name: 'Replay target' },
    });
    const { id, authorizeUrl } = created.json<{ id: string; authorizeUrl: string }>();
    const toExact = await api.inject({ method: 'GET', url: pathOf(authorizeUrl) });
    const state = new URL(String(toExact.headers.location)).searchParams.get('state') ?? '';
    const first = await api.inject(`/v1/oauth/callback?code=${await freshCode(state)}&state=${state}`);
    expect(first.statusCode).toBe(200);
    const before = await storedTokens(api, id);

    // Someone who captured the state logs in to Exact themselves and brings their own code back with it.
    const replay = await api.inject(`/v1/oauth/callback?code=${await freshCode(state)}&state=${state}`);
    expect(replay.statusCode).toBe(401);
    expect(replay.json().error).toMatchObject({ code: 'state_used', message: expect.stringMatching(/new/) });
    expect(await storedTokens(api, id)).toEqual(before);

    // The authorize link made at creation still has a valid signature, but a live connection is not re-authorized
    // from it: only a link asked for with POST /reauthorize may replace its tokens.
    const again = await api.inject({ method: 'GET', url: pathOf(authorizeUrl) });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('connection_already_authorized');
    expect(await storedTokens(api, id)).toEqual(before);
  });

  it('refuses tampered and expired authorize links', async () => {
    const created = await api.inject({
      method: 'POST',
      url: '/v1/connections',
      headers: ADMIN,
      payload: { name: 'Tamper' },
    });
    const { id, authorizeUrl } = created.json<{ id: string; authorizeUrl: string }>();
    const url = new URL(authorizeUrl);
    const sig = url.searchParams.get('sig') ?? '';
    const exp = url.searchParams.get('exp') ?? '';

    const forged = await api.inject(`/v1/connections/${id}/authorize?exp=${Number(exp) + 86_400}&sig=${sig}`);
    expect(forged.statusCode).toBe(401);
    expect(forged.json().error.code).toBe('invalid_signature');

    const past = createLinkSigner({
      encryptionKey: parseEncryptionKey(config.TOKEN_ENCRYPTION_KEY),
      ttlMs: 15 * 60_000,
      now: () => Date.now() - 20 * 60_000,
    }).authorizeQuery(id);
    const expired = await api.inject(`/v1/connections/${id}/authorize?exp=${past.exp}&sig=${past.sig}`);
    expect(expired.statusCode).toBe(401);
    expect(expired.json().error).toMatchObject({
      code: 'link_expired',
      message: expect.stringMatching(/new one/),
    });

    const missing = await api.inject(`/v1/connections/${id}/authorize?exp=${exp}`);
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.details).toEqual([expect.objectContaining({ field: 'querystring.sig' })]);
  });

  it('refuses tampered, expired or missing OAuth states, and codes Exact does not know', async () => {
    const { id, authorizeUrl } = (
      await api.inject({ method: 'POST', url: '/v1/connections', headers: ADMIN, payload: { name: 'State' } })
    ).json<{ id: string; authorizeUrl: string }>();
    const issuedState = async () => {
      const toExact = await api.inject({ method: 'GET', url: pathOf(authorizeUrl) });
      return new URL(String(toExact.headers.location)).searchParams.get('state') ?? '';
    };
    const signer = createLinkSigner({
      encryptionKey: parseEncryptionKey(config.TOKEN_ENCRYPTION_KEY),
      ttlMs: 60_000,
    });
    const good = signer.state(id).state;
    const [, exp, nonce, sig] = good.split('.');
    const other = '00000000-0000-4000-8000-000000000000';

    const tampered = await api.inject(
      `/v1/oauth/callback?code=x&state=${[other, exp, nonce, sig].join('.')}`,
    );
    expect(tampered.statusCode).toBe(401);
    expect(tampered.json().error.code).toBe('invalid_state');

    const old = createLinkSigner({
      encryptionKey: parseEncryptionKey(config.TOKEN_ENCRYPTION_KEY),
      ttlMs: 60_000,
      now: () => Date.now() - 120_000,
    }).state(id).state;
    const expired = await api.inject(`/v1/oauth/callback?code=x&state=${old}`);
    expect(expired.statusCode).toBe(401);
    expect(expired.json().error.code).toBe('state_expired');

    const missing = await api.inject('/v1/oauth/callback?code=x');
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.details[0].field).toBe('querystring.state');

    // Signed with the right key, but never issued through an authorize link: refused like a replay.
    const neverIssued = await api.inject(`/v1/oauth/callback?code=x&state=${good}`);
    expect(neverIssued.statusCode).toBe(401);
    expect(neverIssued.json().error.code).toBe('state_used');

    const badCode = await api.inject(`/v1/oauth/callback?code=not-a-code&state=${await issuedState()}`);
    expect(badCode.statusCode).toBe(400);
    expect(badCode.json().error.code).toBe('code_exchange_failed');

    const denied = await api.inject(`/v1/oauth/callback?error=access_denied&state=${await issuedState()}`);
    expect(denied.statusCode).toBe(400);
    expect(denied.json().error.code).toBe('authorization_denied');

    const status = await api.inject({ url: `/v1/connections/${id}/status`, headers: ADMIN });
    expect(status.json()).toMatchObject({ status: 'pending', tokens: null });
  });
});
