import { OAuthRequestError, TokenRefreshFailedError } from './token-errors.ts';

/** The app's registration in Exact and the host it talks to. */
export interface OAuthClient {
  /** E.g. `https://start.exactonline.nl` or the simulator; no trailing slash needed. */
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  /** Per request; default 15 s. */
  timeoutMs?: number;
}

/** A token response, with `expires_in` (a string in Exact's answer) turned into milliseconds. */
export interface OAuthTokens {
  accessToken: string;
  refreshToken: string;
  expiresInMs: number;
}

/** What to do after Exact refused a token request. */
export type OAuthFailureKind = 'too_early' | 'reauth' | 'other';

const DEFAULT_TIMEOUT_MS = 15_000;
const trim = (url: string): string => url.replace(/\/+$/, '');

/** Exact's consent page for this app; `state` comes back unchanged to the redirect URI. */
export function authorizationUrl(input: {
  baseUrl: string;
  clientId: string;
  redirectUri: string;
  state: string;
}): string {
  const query = new URLSearchParams({
    client_id: input.clientId,
    redirect_uri: input.redirectUri,
    response_type: 'code',
    state: input.state,
  });
  return `${trim(input.baseUrl)}/api/oauth2/auth?${query}`;
}

/** Exchanges an authorization code (valid about 3 minutes, single use) for tokens. */
export function exchangeAuthorizationCode(
  client: OAuthClient,
  input: { code: string; redirectUri: string },
): Promise<OAuthTokens> {
  return tokenRequest(client, {
    grant_type: 'authorization_code',
    code: input.code,
    redirect_uri: input.redirectUri,
  });
}

/** Spends a refresh token for a new access token and a new refresh token. */
export function refreshAccessToken(client: OAuthClient, refreshToken: string): Promise<OAuthTokens> {
  return tokenRequest(client, { grant_type: 'refresh_token', refresh_token: refreshToken });
}

/**
 * Tells a refusal that a person must fix (spent or expired refresh token) from a refresh asked for before the
 * token's refresh window (Exact's 570-of-600-seconds rule).
 */
export function classifyOAuthFailure(error: OAuthRequestError): OAuthFailureKind {
  if (/TooEarlyToRefreshTokens/i.test(error.reason ?? '')) return 'too_early';
  if (error.error === 'access_denied' && /not expired/i.test(error.description)) return 'too_early';
  if (error.error === 'invalid_grant') return 'reauth';
  if (error.error === 'invalid_request' && /refresh token/i.test(error.description)) return 'reauth';
  return 'other';
}

/** `current/Me`: the division the authorizing user works in. Not counted against Exact's limits. */
export async function fetchCurrentDivision(input: {
  baseUrl: string;
  accessToken: string;
  timeoutMs?: number;
}): Promise<number> {
  const url = `${trim(input.baseUrl)}/api/v1/current/Me?$select=CurrentDivision`;
  const res = await send('current/Me', url, {
    headers: { Accept: 'application/json', Authorization: `Bearer ${input.accessToken}` },
    signal: AbortSignal.timeout(input.timeoutMs ?? DEFAULT_TIMEOUT_MS),
  });
  const body = res.body;
  if (!res.ok)
    throw new OAuthRequestError(res.status, 'current_me_failed', 'current/Me was refused', undefined);
  const d = isRecord(body) ? body.d : undefined;
  const record = isRecord(d) && Array.isArray(d.results) ? d.results[0] : d;
  const division = isRecord(record) ? record.CurrentDivision : undefined;
  if (typeof division !== 'number' || !Number.isSafeInteger(division) || division <= 0) {
    throw new TokenRefreshFailedError('current/Me answered without a CurrentDivision');
  }
  return division;
}

async function tokenRequest(client: OAuthClient, params: Record<string, string>): Promise<OAuthTokens> {
  const form = new URLSearchParams({
    ...params,
    client_id: client.clientId,
    client_secret: client.clientSecret,
  });
  const res = await send('token', `${trim(client.baseUrl)}/api/oauth2/token`, {
    method: 'POST',
    headers: { Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
    signal: AbortSignal.timeout(client.timeoutMs ?? DEFAULT_TIMEOUT_MS),
  });
  const body = res.body;
  if (res.status === 429 || res.status >= 500) {
    throw new TokenRefreshFailedError(`Exact's token endpoint answered ${res.status}`);
  }
  if (!res.ok) {
    const error = isRecord(body) && typeof body.error === 'string' ? body.error : 'unknown_error';
    const description =
      isRecord(body) && typeof body.error_description === 'string'
        ? body.error_description.slice(0, 300)
        : '';
    throw new OAuthRequestError(res.status, error, description, res.reason);
  }
  return parseTokens(body);
}

function parseTokens(body: unknown): OAuthTokens {
  if (!isRecord(body)) throw new TokenRefreshFailedError('unreadable token response from Exact');
  const { access_token: accessToken, refresh_token: refreshToken } = body;
  const expiresIn = Number(body.expires_in);
  if (typeof accessToken !== 'string' || typeof refreshToken !== 'string' || !accessToken || !refreshToken) {
    throw new TokenRefreshFailedError('token response from Exact without access_token or refresh_token');
  }
  if (!Number.isFinite(expiresIn) || expiresIn <= 0) {
    throw new TokenRefreshFailedError('token response from Exact without a valid expires_in');
  }
  return { accessToken, refreshToken, expiresInMs: expiresIn * 1000 };
}

interface Answer {
  status: number;
  ok: boolean;
  reason: string | undefined;
  body: unknown;
}

async function send(what: string, url: string, init: RequestInit): Promise<Answer> {
  try {
    const res = await fetch(url, init);
    const text = await res.text();
    return {
      status: res.status,
      ok: res.ok,
      reason: res.headers.get('reason') ?? undefined,
      body: parseJson(text),
    };
  } catch (error) {
    const cause = error instanceof Error ? error.name : 'error';
    throw new TokenRefreshFailedError(`no answer from Exact's ${what} endpoint (${cause})`);
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
