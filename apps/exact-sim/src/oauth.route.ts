import type { IncomingMessage, ServerResponse } from 'node:http';
import { userDivisionOf } from './config.ts';
import { type Reply, readBody, send } from './http.ts';
import type { SimState } from './state.ts';
import type { OAuthFailure } from './tokens.ts';

const oauthError = (failure: OAuthFailure): Reply => ({
  status: failure.status,
  body: { error: failure.error, error_description: failure.description },
  headers: { 'Cache-Control': 'no-store', ...failure.headers },
});

/** `GET /api/oauth2/auth`: the consent page, which here approves at once and redirects with `code` and `state`. */
function authorize(state: SimState, query: URLSearchParams): Reply {
  const clientId = query.get('client_id') ?? '';
  const redirectUri = query.get('redirect_uri') ?? '';
  if (!state.tokens.client(clientId)) {
    return oauthError({ status: 400, error: 'invalid_client', description: 'Unknown client_id.' });
  }
  let target: URL;
  try {
    target = new URL(redirectUri);
  } catch {
    return oauthError({
      status: 400,
      error: 'invalid_request',
      description: 'redirect_uri is missing or not a URL.',
    });
  }
  if (query.get('response_type') !== 'code') {
    return oauthError({
      status: 400,
      error: 'unsupported_response_type',
      description: 'response_type must be code.',
    });
  }
  // Exact's login page lets the person switch to any of their divisions before approving; `sim_division` stands in
  // for that choice (tests onboarding several divisions at once), otherwise the configured user's division.
  const chosen = query.get('sim_division');
  let division = userDivisionOf(state.config);
  if (chosen !== null) {
    const n = Number(chosen);
    if (!Number.isSafeInteger(n) || !state.divisions.has(n)) {
      return oauthError({
        status: 400,
        error: 'invalid_request',
        description: 'sim_division is not a division of this simulator.',
      });
    }
    division = n;
  }
  target.searchParams.set('code', state.tokens.issueCode(clientId, redirectUri, division));
  const clientState = query.get('state');
  if (clientState !== null) target.searchParams.set('state', clientState);
  return { status: 302, headers: { Location: target.toString() } };
}

function credentials(req: IncomingMessage, form: URLSearchParams): { id: string; secret: string } {
  const basic = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
  if (basic) {
    const [id = '', secret = ''] = Buffer.from(basic, 'base64').toString('utf8').split(':');
    return { id: decodeURIComponent(id), secret: decodeURIComponent(secret) };
  }
  return { id: form.get('client_id') ?? '', secret: form.get('client_secret') ?? '' };
}

/** `POST /api/oauth2/token` (form-encoded): authorization_code and refresh_token grants. */
async function token(state: SimState, req: IncomingMessage): Promise<Reply> {
  const form = new URLSearchParams(await readBody(req, 64 * 1024));
  let client: { id: string; secret: string };
  try {
    client = credentials(req, form);
  } catch {
    client = { id: '', secret: '' };
  }
  const known = state.tokens.client(client.id);
  if (!known) return oauthError({ status: 400, error: 'invalid_client', description: 'Unknown client.' });
  if (!state.tokens.countCall(client.id)) {
    return oauthError({
      status: 429,
      error: 'access_denied',
      description: 'Rate limit exceeded: too many token requests for this app today.',
    });
  }
  if (known.clientSecret !== client.secret) {
    return oauthError({ status: 400, error: 'invalid_client', description: 'Client authentication failed.' });
  }
  const grantType = form.get('grant_type');
  const outcome =
    grantType === 'authorization_code'
      ? state.tokens.exchangeCode(client.id, form.get('code') ?? '', form.get('redirect_uri'))
      : grantType === 'refresh_token'
        ? state.tokens.refreshGrant(client.id, form.get('refresh_token') ?? '')
        : null;
  if (outcome === null) {
    return oauthError({
      status: 400,
      error: 'unsupported_grant_type',
      description: 'Unsupported grant_type.',
    });
  }
  if (!outcome.ok) return oauthError(outcome);
  return { status: 200, body: outcome.tokens, headers: { 'Cache-Control': 'no-store' } };
}

export async function handleOAuth(
  state: SimState,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  query: URLSearchParams,
): Promise<void> {
  const method = req.method ?? 'GET';
  if (path === '/api/oauth2/auth' && method === 'GET') return send(res, authorize(state, query));
  if (path === '/api/oauth2/token' && method === 'POST') return send(res, await token(state, req));
  send(
    res,
    oauthError({ status: 405, error: 'invalid_request', description: `${method} is not allowed here.` }),
  );
}
