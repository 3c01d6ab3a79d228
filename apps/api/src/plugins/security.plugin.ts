import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import { HttpError } from '../errors.ts';
import { type Access, credentialsOf, hashApiKey, type Refusal } from './auth.plugin.ts';

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

/** A bucket per storefront key (by its hash, so the key itself is not kept); callers without one share their IP's. */
function rateLimitKey(request: FastifyRequest): string {
  const { bearer } = credentialsOf(request);
  return bearer ? `key:${hashApiKey(bearer)}` : `ip:${request.ip}`;
}

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

/** Checks credentials before anything else (validation included), so a caller without them learns nothing. */
function guardFor(app: FastifyInstance, allowed: readonly Access[]) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const refusal = await app.authenticate(request, allowed);
    if (refusal !== undefined) return refuse(reply, refusal);
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
    const allowed = accessOf(route);
    // Resolved onto the route, so the docs name the credentials of the plugins' routes too.
    route.config = {
      ...route.config,
      access: allowed,
      ...(allowed.includes('storefront') && { rateLimit: {} }),
    };
    if (isPage(route.url))
      route.helmet = { contentSecurityPolicy: { useDefaults: false, directives: PAGES } };
    if (!allowed.includes('public')) route.onRequest = [guardFor(app, allowed), ...hooksOf(route)];
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

export default fp(securityPlugin, { name: 'security', dependencies: ['errors', 'auth'] });
