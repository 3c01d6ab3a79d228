import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DIVISION,
  type ExactErrorBody,
  json,
  OTHER_DIVISION,
  type Sim,
  startSim,
  type TokenSet,
} from './helpers.ts';

const CLIENT = { client_id: 'exact-sim-client', client_secret: 'exact-sim-secret' };
const REDIRECT = 'https://shop.example/v1/oauth/callback';

interface OAuthError {
  error: string;
  error_description: string;
}

let sim: Sim;
beforeEach(async () => {
  sim = await startSim();
});
afterEach(async () => {
  await sim.close();
});

function tokenCall(form: Record<string, string>): Promise<Response> {
  return fetch(`${sim.url}/api/oauth2/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
}

async function authorize(extra: Record<string, string> = {}): Promise<string> {
  const query = new URLSearchParams({
    client_id: CLIENT.client_id,
    redirect_uri: REDIRECT,
    response_type: 'code',
    state: 's-42',
    ...extra,
  });
  const response = await fetch(`${sim.url}/api/oauth2/auth?${query}`, { redirect: 'manual' });
  expect(response.status).toBe(302);
  const location = new URL(response.headers.get('location') ?? '');
  expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
  expect(location.searchParams.get('state')).toBe('s-42');
  return location.searchParams.get('code') ?? '';
}

async function login(): Promise<TokenSet> {
  const code = await authorize();
  const response = await tokenCall({
    ...CLIENT,
    grant_type: 'authorization_code',
    code,
    redirect_uri: REDIRECT,
  });
  expect(response.status).toBe(200);
  return json<TokenSet>(response);
}

const refresh = (refreshToken: string) =>
  tokenCall({ ...CLIENT, grant_type: 'refresh_token', refresh_token: refreshToken });

describe('authorization code flow', () => {
  it('auto-approves, redirects with code and state, and exchanges the code once', async () => {
    const code = await authorize();
    const first = await tokenCall({
      ...CLIENT,
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
    });
    const tokens = await json<TokenSet>(first);
    expect(tokens).toMatchObject({ token_type: 'bearer', expires_in: '600' });
    expect(tokens.access_token.length).toBeGreaterThan(20);
    const me = await sim.api(tokens.access_token, 'current/Me?$select=CurrentDivision');
    expect(
      (await json<{ d: { results: Array<{ CurrentDivision: number }> } }>(me)).d.results[0]?.CurrentDivision,
    ).toBe(DIVISION);

    const again = await tokenCall({
      ...CLIENT,
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
    });
    expect(again.status).toBe(400);
    expect((await json<OAuthError>(again)).error).toBe('invalid_grant');
  });

  it('lets the person switch division at login (sim_division) and refuses one the simulator lacks', async () => {
    const code = await authorize({ sim_division: String(OTHER_DIVISION) });
    const tokens = await json<TokenSet>(
      await tokenCall({ ...CLIENT, grant_type: 'authorization_code', code, redirect_uri: REDIRECT }),
    );
    const me = await sim.api(tokens.access_token, 'current/Me?$select=CurrentDivision');
    expect(
      (await json<{ d: { results: Array<{ CurrentDivision: number }> } }>(me)).d.results[0]?.CurrentDivision,
    ).toBe(OTHER_DIVISION);

    const query = new URLSearchParams({
      client_id: CLIENT.client_id,
      redirect_uri: REDIRECT,
      response_type: 'code',
      sim_division: '999999',
    });
    const refused = await fetch(`${sim.url}/api/oauth2/auth?${query}`, { redirect: 'manual' });
    expect(refused.status).toBe(400);
    expect((await json<OAuthError>(refused)).error_description).toContain('sim_division');
  });

  it('refuses an expired authorization code', async () => {
    const code = await authorize();
    await sim.control('POST', '/_sim/clock/advance', { ms: 181_000 });
    const response = await tokenCall({
      ...CLIENT,
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
    });
    expect(response.status).toBe(400);
    expect((await json<OAuthError>(response)).error).toBe('invalid_grant');
  });

  it('answers invalid_client for a wrong secret or unknown client', async () => {
    const code = await authorize();
    const wrong = await tokenCall({
      ...CLIENT,
      client_secret: 'nope',
      grant_type: 'authorization_code',
      code,
    });
    expect(wrong.status).toBe(400);
    expect((await json<OAuthError>(wrong)).error).toBe('invalid_client');
    const unknown = await tokenCall({
      client_id: 'who',
      client_secret: 'x',
      grant_type: 'refresh_token',
      refresh_token: 'x',
    });
    expect((await json<OAuthError>(unknown)).error).toBe('invalid_client');
  });

  it('accepts HTTP Basic client authentication', async () => {
    const code = await authorize();
    const response = await fetch(`${sim.url}/api/oauth2/token`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Authorization: `Basic ${Buffer.from(`${CLIENT.client_id}:${CLIENT.client_secret}`).toString('base64')}`,
      },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: REDIRECT,
      }).toString(),
    });
    expect(response.status).toBe(200);
  });
});

describe('refresh tokens', () => {
  it('refuses a refresh within 570 seconds with Exact body and Reason header, keeping the old token valid', async () => {
    const tokens = await login();
    await sim.control('POST', '/_sim/clock/advance', { ms: 500_000 });
    const early = await refresh(tokens.refresh_token);
    expect(early.status).toBe(400);
    expect(early.headers.get('reason')).toBe('TooEarlyToRefreshTokens');
    expect(await json<OAuthError>(early)).toEqual({
      error: 'access_denied',
      error_description: 'Rate limit exceeded: access_token not expired',
    });
    await sim.control('POST', '/_sim/clock/advance', { ms: 71_000 });
    const late = await refresh(tokens.refresh_token);
    expect(late.status).toBe(200);
  });

  it('rotates: each refresh gives a new refresh token and the spent one is refused', async () => {
    const tokens = await login();
    await sim.control('POST', '/_sim/clock/advance', { ms: 600_000 });
    const rotated = await json<TokenSet>(await refresh(tokens.refresh_token));
    expect(rotated.refresh_token).not.toBe(tokens.refresh_token);
    expect(rotated.expires_in).toBe('600');
    await sim.control('POST', '/_sim/clock/advance', { ms: 600_000 });
    const reused = await refresh(tokens.refresh_token);
    expect(reused.status).toBe(400);
    expect((await json<OAuthError>(reused)).error).toBe('invalid_grant');
    expect((await refresh(rotated.refresh_token)).status).toBe(200);

    const stats = await sim.control<{
      tokens: Record<string, { refreshes: number; reused: number; tooEarly: number }>;
    }>('GET', '/_sim/stats');
    expect(stats.body.tokens['exact-sim-client']).toMatchObject({ refreshes: 2, reused: 1, tooEarly: 0 });
  });

  it('follows a short expires_in: a 60 s token may be refreshed after 30 s, a 6 s one after 3 s', async () => {
    const advance = (ms: number) => sim.control('POST', '/_sim/clock/advance', { ms });
    await sim.control('PATCH', '/_sim/config', { accessTokenTtlMs: 60_000 });
    const tokens = await login();
    expect(tokens.expires_in).toBe('60');
    await advance(29_000);
    expect((await refresh(tokens.refresh_token)).headers.get('reason')).toBe('TooEarlyToRefreshTokens');
    await advance(1_000);
    const rotated = await json<TokenSet>(await refresh(tokens.refresh_token));

    await sim.control('PATCH', '/_sim/config', { accessTokenTtlMs: 6_000 });
    // The rule follows the token issued last (60 s), not the config changed since.
    await advance(3_000);
    expect((await refresh(rotated.refresh_token)).status).toBe(400);
    await advance(27_000);
    const short = await json<TokenSet>(await refresh(rotated.refresh_token));
    expect(short.expires_in).toBe('6');
    await advance(2_500);
    expect((await refresh(short.refresh_token)).status).toBe(400);
    await advance(500);
    expect((await refresh(short.refresh_token)).status).toBe(200);
    const stats = await sim.control<{ tokens: Record<string, { refreshes: number; tooEarly: number }> }>(
      'GET',
      '/_sim/stats',
    );
    expect(stats.body.tokens['exact-sim-client']).toMatchObject({ refreshes: 3, tooEarly: 3 });
  });

  it('keeps an explicitly configured refreshMinAgeMs, whatever the token lives', async () => {
    await sim.control('PATCH', '/_sim/config', { accessTokenTtlMs: 60_000, refreshMinAgeMs: 570_000 });
    const tokens = await login();
    await sim.control('POST', '/_sim/clock/advance', { ms: 100_000 });
    expect((await refresh(tokens.refresh_token)).status).toBe(400);
    await sim.control('PATCH', '/_sim/config', { refreshMinAgeMs: null });
    expect((await refresh(tokens.refresh_token)).status).toBe(200);
  });

  it('expires refresh tokens after 30 days unused', async () => {
    const tokens = await login();
    await sim.control('POST', '/_sim/clock/advance', { ms: 30 * 86_400_000 + 1000 });
    const response = await refresh(tokens.refresh_token);
    expect(response.status).toBe(400);
    const body = await json<OAuthError>(response);
    expect(body.error).toBe('invalid_request');
    expect(body.error_description).toMatch(/^The refresh token expired at \d{4}-\d\d-\d\dT/);
  });

  it('limits token endpoint calls per client per day', async () => {
    await sim.control('PATCH', '/_sim/config', { tokenCallsPerDay: 3 });
    const tokens = await sim.tokens();
    for (let i = 0; i < 3; i++) expect((await refresh(tokens.refresh_token)).status).toBe(400);
    const limited = await refresh(tokens.refresh_token);
    expect(limited.status).toBe(429);
    const stats = await sim.control<{ tokenCalls: number }>('GET', '/_sim/stats');
    expect(stats.body.tokenCalls).toBe(4);
    await sim.control('POST', '/_sim/clock/advance', { ms: 86_400_000 });
    expect((await refresh(tokens.refresh_token)).status).toBe(200);
  });
});

describe('access tokens on API calls', () => {
  it('answers 401 with Exact body and WWW-Authenticate once the token expired', async () => {
    const token = await sim.token();
    expect((await sim.api(token, `${DIVISION}/system/Divisions`)).status).toBe(200);
    await sim.control('POST', '/_sim/clock/advance', { ms: 600_000 });
    const expired = await sim.api(token, `${DIVISION}/system/Divisions`);
    expect(expired.status).toBe(401);
    expect(expired.headers.get('www-authenticate')).toBe('Bearer');
    expect(await json<ExactErrorBody>(expired)).toEqual({
      error: { code: '', message: { lang: '', value: 'Access token expired' } },
    });
  });

  it('counts the 401s on expired tokens per client', async () => {
    const token = await sim.token();
    await sim.control('POST', '/_sim/clock/advance', { ms: 600_000 });
    expect((await sim.api(token, `${DIVISION}/system/Divisions`)).status).toBe(401);
    expect((await sim.api(token, 'current/Me')).status).toBe(401);
    const stats = await sim.control<{ tokens: Record<string, { unauthorized: number }> }>(
      'GET',
      '/_sim/stats',
    );
    expect(stats.body.tokens['exact-sim-client']).toMatchObject({ unauthorized: 2 });
  });

  it('answers 401 without a token or with an unknown one', async () => {
    const none = await fetch(`${sim.url}/api/v1/${DIVISION}/system/Divisions`);
    expect(none.status).toBe(401);
    expect((await json<ExactErrorBody>(none)).error.message.value).toMatch(/missing or invalid/);
    expect((await sim.api('made-up', 'current/Me')).status).toBe(401);
  });
});
