import helmet from '@fastify/helmet';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import { createStorefrontLimit, type StorefrontLimit } from '../auth/storefront-limit.ts';
import type { Access, Refusal } from './auth.plugin.ts';

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

/**
 * Sent rather than thrown, because Bull Board's routes have an error handler of their own. Pages ask for Basic auth,
 * so a browser prompts for the operator token (as the password).
 */
function refuse(reply: FastifyReply, refusal: Refusal): FastifyReply {
  const { message } = refusal;
  if (refusal.status === 429) {
    return reply
      .code(429)
      .header('retry-after', String(refusal.retryAfterSeconds))
      .send({ error: { code: 'rate_limited', message } });
  }
  if (isPage(reply.request.routeOptions.url ?? ''))
    reply.header('www-authenticate', 'Basic realm="exact-sync"');
  return reply
    .code(401)
    .header('cache-control', 'no-store')
    .send({ error: { code: 'unauthorized', message } });
}

// Routes that plugins of others register, and that therefore cannot declare their access: Swagger UI's pages are
// public, Bull Board (its static files included) is the operator's.
const PLUGIN_ROUTES: ReadonlyArray<[RegExp, Access]> = [
  [/^\/docs(\/|$)/, 'public'],
  [/^\/admin\/queues(\/|$)/, 'operator'],
];

/** The callers a route allows, from its `config.access` or, for the plugins' routes, from its URL. */
function accessOf(route: RouteOptions): readonly Access[] {
  const declared = route.config?.access ?? PLUGIN_ROUTES.find(([pattern]) => pattern.test(route.url))?.[1];
  if (declared === undefined) {
    const methods = [route.method].flat().join(',');
    throw new Error(`route ${methods} ${route.url} declares no access: set config.access on it`);
  }
  return [declared].flat();
}

/**
 * Counts a storefront key's request and says where the key stands in `RateLimit-*` headers (on every answer to it,
 * a 429 included); over the limit, the request is refused.
 */
async function limitStorefront(
  limit: StorefrontLimit,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<Refusal | undefined> {
  if (!request.storefront) return undefined;
  const state = await limit.hit(request.storefront.keyId);
  reply.header('ratelimit-limit', String(state.limit));
  reply.header('ratelimit-remaining', String(state.remaining));
  reply.header('ratelimit-reset', String(state.resetSeconds));
  if (state.allowed) return undefined;
  const message = `more than ${state.limit} requests a minute with this API key; retry in ${state.resetSeconds} s`;
  return { status: 429, message, retryAfterSeconds: state.resetSeconds };
}

/**
 * Checks credentials before anything else (validation included), so a caller without them learns nothing; then a
 * storefront key's request limit.
 */
function guardFor(app: FastifyInstance, allowed: readonly Access[], limit: StorefrontLimit) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const refusal =
      (await app.authenticate(request, allowed)) ?? (await limitStorefront(limit, request, reply));
    if (refusal !== undefined) return refuse(reply, refusal);
  };
}

const hooksOf = (route: RouteOptions) => [route.onRequest ?? []].flat();

interface SecurityOptions {
  /** STOREFRONT_RATE_LIMIT_PER_MINUTE: requests per storefront key and minute, over all storefront routes. */
  storefrontPerMinute: number;
  redisPrefix: string;
}

/**
 * Security headers on every answer (helmet), credentials on every route that is not public, and a per-key request
 * limit on the storefront routes: one count per key over all of them, shared by every api process through Redis,
 * and per process while Redis does not answer (see `createStorefrontLimit`), since orders are accepted without
 * Redis.
 */
async function securityPlugin(app: FastifyInstance, options: SecurityOptions): Promise<void> {
  const limit = createStorefrontLimit({
    redis: app.redis,
    prefix: options.redisPrefix,
    perMinute: options.storefrontPerMinute,
    onFallback: (fallback, error) =>
      fallback
        ? app.log.warn({ err: error }, 'storefront request limits counted per process: Redis does not answer')
        : app.log.info('storefront request limits counted in Redis again'),
  });
  // Registered before helmet, whose own onRoute hook reads what this one sets.
  app.addHook('onRoute', (route: RouteOptions) => {
    const allowed = accessOf(route);
    // Resolved onto the route, so the docs name the credentials of the plugins' routes too.
    route.config = { ...route.config, access: allowed };
    if (isPage(route.url))
      route.helmet = { contentSecurityPolicy: { useDefaults: false, directives: PAGES } };
    if (!allowed.includes('public')) route.onRequest = [guardFor(app, allowed, limit), ...hooksOf(route)];
  });
  await app.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: STRICT },
  });
}

export default fp(securityPlugin, { name: 'security', dependencies: ['errors', 'auth', 'queues'] });
