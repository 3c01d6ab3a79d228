import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ApiRequest, ApiRoute } from './api-types.ts';
import { crudRoutes } from './crud.route.ts';
import { divisionRoutes, meReply } from './divisions.route.ts';
import { COUNTED_ERRORS, errorBudgetKey } from './error-budget.ts';
import { BodyTooLargeError, exactError, type Reply, readBody, send } from './http.ts';
import { ODataError } from './odata.ts';
import { orderRoutes } from './orders.route.ts';
import type { SimState } from './state.ts';
import { syncRoutes } from './sync.route.ts';
import type { AccessGrant } from './tokens.ts';
import { webhookRoutes } from './webhooks.route.ts';

const ROUTES = new Map<string, ApiRoute>(
  [...syncRoutes, ...crudRoutes, ...orderRoutes, ...webhookRoutes, ...divisionRoutes].map((r) => [
    r.name.toLowerCase(),
    r,
  ]),
);
const MAX_BODY = 10 * 1024 * 1024;

/** The canonical name of an endpoint (`sync/logistics/items` → `sync/Logistics/Items`), if there is one. */
export function routeName(endpoint: string): string | undefined {
  return ROUTES.get(endpoint.toLowerCase())?.name;
}
const BLOCKED_MESSAGE =
  'Too many errors: this endpoint is blocked for your app in this division because it produced too many errors in the last hour.';

type Auth = { ok: true; grant: AccessGrant } | { ok: false; clientId: string | null; reply: Reply };

function authenticate(state: SimState, header: string | undefined): Auth {
  const challenge = { 'WWW-Authenticate': 'Bearer' };
  const token = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')?.[1];
  const found = token ? state.tokens.resolve(token) : undefined;
  if (!found)
    return {
      ok: false,
      clientId: null,
      reply: exactError(401, 'Access token is missing or invalid.', challenge),
    };
  if (found.expired) {
    return {
      ok: false,
      clientId: found.grant.clientId,
      reply: exactError(401, 'Access token expired', challenge),
    };
  }
  return { ok: true, grant: found.grant };
}

/** `Entity(key)` → name and key; the key is only allowed on the last segment. */
function splitKey(path: string): { name: string; key: string | null } {
  const match = /^(.*?)\((.*)\)$/.exec(path);
  return match ? { name: match[1] ?? '', key: match[2] ?? '' } : { name: path, key: null };
}

async function dispatch(
  state: SimState,
  route: ApiRoute | undefined,
  name: string,
  api: ApiRequest | null,
): Promise<Reply> {
  if (!route) return exactError(404, `Resource not found for the segment '${name.slice(0, 200)}'.`);
  if (!api) return exactError(403, 'Forbidden: you have no access to this division.');
  const handler = route.handlers[api.method];
  if (!handler) return exactError(405, `The method ${api.method} is not allowed on this endpoint.`);
  try {
    return await handler(state, api);
  } catch (error) {
    if (error instanceof ODataError) return exactError(400, error.message);
    state.logger.error({ err: error, endpoint: route.name }, 'handler failed');
    return exactError(500, 'An internal error occurred.');
  }
}

/** `current/Me`: authenticated, never counted, no rate headers. */
function me(state: SimState, req: IncomingMessage, query: URLSearchParams, baseUrl: string): Reply {
  const auth = authenticate(state, req.headers.authorization);
  const reply = auth.ok ? meReply(state, auth.grant, baseUrl, query.get('$select')) : auth.reply;
  const clientId = auth.ok ? auth.grant.clientId : auth.clientId;
  state.stats.record(clientId, null, 'current/Me', (req.method ?? 'GET').toUpperCase(), reply.status);
  return reply;
}

/**
 * Everything under `/api/v1/`: authentication, then (for division URLs) Exact's limits in the order a client
 * meets them: rate windows (429, not counted), the error-budget block, the endpoint itself; and the faults.
 */
export async function handleApi(
  state: SimState,
  req: IncomingMessage,
  res: ServerResponse,
  rest: string,
  query: URLSearchParams,
  baseUrl: string,
): Promise<void> {
  const method = (req.method ?? 'GET').toUpperCase();
  if (/^current\/me$/i.test(rest)) return send(res, me(state, req, query, baseUrl));
  const match = /^(\d{1,9})\/(.+)$/.exec(rest);
  if (!match) {
    state.stats.record(null, null, rest.slice(0, 100), method, 404);
    return send(res, exactError(404, `Resource not found for the segment '${rest.slice(0, 200)}'.`));
  }
  const division = Number(match[1]);
  const { name, key } = splitKey(match[2] ?? '');
  const route = ROUTES.get(name.toLowerCase());
  const endpoint = route?.name ?? name.toLowerCase();
  const faults = state.faults;
  const faulty = faults.applies(route?.scope ?? 'other');
  if (faulty && faults.current.latencyMs > 0) await sleep(faults.current.latencyMs);
  let body = '';
  if (method !== 'GET' && method !== 'DELETE' && method !== 'HEAD') {
    try {
      body = await readBody(req, MAX_BODY);
    } catch (error) {
      if (error instanceof BodyTooLargeError)
        return send(res, exactError(413, 'The request body is too large.'));
      return;
    }
  }
  const record = (clientId: string | null, status: number): void =>
    state.stats.record(clientId, division, endpoint, method, status);

  const auth = authenticate(state, req.headers.authorization);
  if (!auth.ok) {
    record(auth.clientId, 401);
    if (auth.clientId !== null) {
      state.errors.record(errorBudgetKey(auth.clientId, division, endpoint), state.clock.now(), state.config);
    }
    return send(res, auth.reply);
  }
  const clientId = auth.grant.clientId;
  const now = state.clock.now();
  if (faulty && faults.roll(faults.current.headerless429Rate)) {
    record(clientId, 429);
    return send(res, { status: 429 });
  }
  const countDaily = !(method === 'POST' && route?.scope === 'orders') || state.config.ordersCountDaily;
  const decision = state.limiter.take(clientId, division, countDaily, now, state.config);
  if (!decision.allowed) {
    record(clientId, 429);
    return send(res, { status: 429, headers: decision.headers });
  }
  const budgetKey = errorBudgetKey(clientId, division, endpoint);
  let reply: Reply;
  let headers = decision.headers;
  if (state.errors.blocked(budgetKey, now)) {
    reply = exactError(403, BLOCKED_MESSAGE);
  } else if (faulty && faults.roll(faults.current.serverErrorRate)) {
    reply = exactError(
      faults.serverErrorStatus(),
      'The service is temporarily unavailable (simulated fault).',
    );
    headers = {};
  } else {
    const store = state.divisions.get(division);
    if (store) state.foreign.catchUp(store, now, state.config);
    const api: ApiRequest | null = store
      ? { method, division, store, clientId, key, query, body, baseUrl }
      : null;
    reply = state.drops.refusal(endpoint, query) ?? (await dispatch(state, route, name, api));
    if (COUNTED_ERRORS.has(reply.status)) state.errors.record(budgetKey, now, state.config);
  }
  record(clientId, reply.status);
  if (method === 'POST' && reply.status < 300 && faulty && faults.roll(faults.current.resetAfterPostRate)) {
    req.socket.destroy();
    return;
  }
  send(res, { ...reply, headers: { ...headers, ...reply.headers } });
}
