import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import { HttpError } from '../errors.ts';
import { hashApiKey } from './auth.plugin.ts';

/** Who may call a route: nobody needs a key for `public` ones; `either` takes the admin token or a storefront key. */
export type RouteAccess = 'public' | 'storefront' | 'either' | 'operator';

// Signatures authenticate the OAuth steps and Exact's webhook; health probes and the docs are open by design.
const PUBLIC = [
  /^\/health\//,
  /^\/docs(\/|$)/,
  /^\/v1\/oauth\/callback$/,
  /^\/v1\/connections\/:id\/authorize$/,
];
const PUBLIC_EXACT = new Set(['POST /webhooks/exact']);
const STOREFRONT = new Set(['/v1/orders', '/v1/items', '/v1/stock', '/v1/prices', '/v1/accounts']);
// Storefronts follow their own orders; operators see every channel's.
const EITHER = new Set(['GET /v1/orders', 'GET /v1/orders/:id', 'HEAD /v1/orders', 'HEAD /v1/orders/:id']);

/** The access rule of a route, from its method and URL pattern (as Fastify registers it). */
export function routeAccess(method: string, url: string): RouteAccess {
  const key = `${method.toUpperCase()} ${url}`;
  if (PUBLIC_EXACT.has(key) || PUBLIC.some((pattern) => pattern.test(url))) return 'public';
  if (EITHER.has(key)) return 'either';
  if (STOREFRONT.has(url)) return 'storefront';
  return 'operator';
}

// Browser pages (docs, operator page, Bull Board, the OAuth callback page) carry inline styles, and Bull Board loads
// its fonts from Google; the JSON API needs none of that, so only those routes get the looser style rules.
const STRICT = {
  defaultSrc: ["'self'"],
  baseUri: ["'self'"],
  objectSrc: ["'none'"],
  frameAncestors: ["'none'"],
  formAction: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  scriptSrc: ["'self'"],
  scriptSrcAttr: ["'none'"],
  styleSrc: ["'self'"],
  fontSrc: ["'self'"],
  // The api is often reached over plain HTTP inside a network; upgrading would break its pages there.
  upgradeInsecureRequests: null,
};
const PAGES = {
  ...STRICT,
  styleSrc: ["'self'", "'unsafe-inline'", 'https://fonts.googleapis.com'],
  fontSrc: ["'self'", 'data:', 'https://fonts.gstatic.com'],
};
const isPage = (url: string) => /^\/(admin|docs)(\/|$)/.test(url) || url === '/v1/oauth/callback';

const bearerOf = (request: FastifyRequest): string | undefined => {
  const [scheme, value] = (request.headers.authorization ?? '').split(' ', 2);
  return scheme?.toLowerCase() === 'bearer' && value?.trim() ? value.trim() : undefined;
};

/** A bucket per storefront key (by its hash, so the key itself is not kept); callers without one share their IP's. */
function rateLimitKey(request: FastifyRequest): string {
  const bearer = bearerOf(request);
  return bearer ? `key:${hashApiKey(bearer)}` : `ip:${request.ip}`;
}

/**
 * Sent rather than thrown, because Bull Board's routes have an error handler of their own. Pages ask for Basic auth,
 * so a browser prompts for the operator token (as the password).
 */
function refuse(reply: FastifyReply, message: string): FastifyReply {
  if (isPage(reply.request.routeOptions.url ?? ''))
    reply.header('www-authenticate', 'Basic realm="exact-sync"');
  return reply
    .code(401)
    .header('cache-control', 'no-store')
    .send({ error: { code: 'unauthorized', message } });
}

/**
 * Default deny, before validation: every route that is not public wants credentials. Operator routes (any route
 * not listed above, so a new one is closed until someone opens it) check the admin token here; storefront routes
 * check that a key is given and look it up themselves, since they need its connection and channel.
 */
function guardFor(app: FastifyInstance, access: RouteAccess) {
  if (access === 'operator') {
    return async (request: FastifyRequest, reply: FastifyReply) => {
      try {
        await app.requireAdmin(request);
      } catch {
        return refuse(reply, 'an operator token is required');
      }
    };
  }
  const message =
    access === 'storefront'
      ? 'a storefront API key is required'
      : 'an API key or the operator token is required';
  return async (request: FastifyRequest, reply: FastifyReply) => {
    if (!bearerOf(request)) return refuse(reply, message);
  };
}

const hooksOf = (route: RouteOptions) => [route.onRequest ?? []].flat();

/**
 * Security headers on every answer (helmet), credentials on every route that is not public, and a per-key request
 * limit on the storefront routes. The limit is counted in memory in each api process: N replicas allow a key N times
 * the limit, which suits its purpose (stopping a runaway client) and keeps Redis off the order path, since orders
 * are accepted without Redis.
 */
async function securityPlugin(app: FastifyInstance, options: { storefrontPerMinute: number }): Promise<void> {
  // Registered before helmet and rate-limit, whose own onRoute hooks read what this one sets.
  app.addHook('onRoute', (route: RouteOptions) => {
    const config = (route.config ?? {}) as Record<string, unknown>;
    if (isPage(route.url))
      config.helmet = { contentSecurityPolicy: { useDefaults: false, directives: PAGES } };
    const [method = 'GET'] = [route.method].flat();
    const access = routeAccess(method, route.url);
    if (access !== 'public') route.onRequest = [guardFor(app, access), ...hooksOf(route)];
    if (access === 'storefront' || access === 'either') config.rateLimit = {};
    route.config = config;
  });
  await app.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: STRICT },
  });
  await app.register(rateLimit, {
    global: false,
    max: options.storefrontPerMinute,
    timeWindow: 60_000,
    keyGenerator: rateLimitKey,
    errorResponseBuilder: (_request, context) =>
      new HttpError(
        429,
        'rate_limited',
        `more than ${context.max} requests a minute with this API key; retry in ${context.after}`,
      ),
  });
}

export default fp(securityPlugin, { name: 'security', dependencies: ['errors'] });
