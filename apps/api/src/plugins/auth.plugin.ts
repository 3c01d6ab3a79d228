import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { type Channel, withTimeout } from '@exact-sync/core';
import { API_KEYS_CHANNEL, findActiveApiKey } from '@exact-sync/db';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { type ApiKeyCache, createApiKeyCache } from '../auth/api-key-cache.ts';
import { createAuthFailures } from '../auth/auth-failures.ts';
import { unauthorized } from '../errors.ts';

/**
 * Who may call a route: anyone (`public`), a storefront API key, the operator's ADMIN_TOKEN, or the scraper's
 * read-only METRICS_TOKEN (`metrics`, which only /metrics allows).
 */
export type Access = 'public' | 'storefront' | 'operator' | 'metrics';
/** A route's access rule: one kind of caller, or several (e.g. storefronts follow their orders, operators all). */
type RouteAccess = Access | readonly Access[];

/** Why a request's credentials were refused: 401, or 429 while its address has sent too many unknown keys. */
export type Refusal =
  | { status: 401; message: string }
  | { status: 429; message: string; retryAfterSeconds: number };

export interface Storefront {
  readonly keyId: string;
  readonly connectionId: string;
  readonly channel: Channel;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Required on every route: the security plugin refuses to start with a route that does not declare it. */
    access?: RouteAccess;
  }
  interface FastifyInstance {
    /**
     * Checks the request's credentials against the callers a route allows; answers why they are refused, or
     * undefined when they are accepted (then `request.storefront` is set if a storefront key was accepted).
     */
    authenticate(request: FastifyRequest, allowed: readonly Access[]): Promise<Refusal | undefined>;
    /** The active storefront keys this process knows (see `createApiKeyCache`). */
    apiKeys: ApiKeyCache;
  }
  interface FastifyRequest {
    /** Set when a storefront key authenticated the request; on a route open to operators too, unset for them. */
    storefront?: Storefront;
  }
}

const sha256 = (value: string): Buffer => createHash('sha256').update(value).digest();

/** Compares secrets in constant time (hashing first makes the lengths equal). */
function secretsEqual(given: string, expected: string): boolean {
  return timingSafeEqual(sha256(given), sha256(expected));
}

/** What every storefront key looks like (see newApiKey): anything else is refused without a lookup. */
const API_KEY_SHAPE = /^exs_[A-Za-z0-9_-]{32}$/;

/** A new storefront key: shown once, stored as its SHA-256 hash. */
export function newApiKey(): { key: string; hash: string; prefix: string } {
  const key = `exs_${randomBytes(24).toString('base64url')}`;
  return { key, hash: hashApiKey(key), prefix: key.slice(0, 10) };
}

function hashApiKey(key: string): string {
  return sha256(key).toString('hex');
}

/** What an Authorization header carries: a bearer token, or the password of Basic auth (browser pages). */
interface Credentials {
  bearer?: string;
  basicPassword?: string;
}

/** The one reader of the Authorization header. */
function credentialsOf(request: FastifyRequest): Credentials {
  const [scheme = '', value = ''] = (request.headers.authorization ?? '').split(' ', 2);
  if (scheme.toLowerCase() === 'bearer') return value.trim() ? { bearer: value.trim() } : {};
  if (scheme.toLowerCase() === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString();
    return { basicPassword: decoded.slice(decoded.indexOf(':') + 1) };
  }
  return {};
}

/** The storefront a request was authenticated as; on a storefront route the security plugin made sure of one. */
export function storefrontOf(request: FastifyRequest): Storefront {
  if (!request.storefront) throw unauthorized('a storefront API key is required');
  return request.storefront;
}

/** What a caller without acceptable credentials is told, by the callers the route allows. */
function missing(allowed: readonly Access[]): string {
  if (allowed.includes('metrics')) return 'the metrics token or an operator token is required';
  if (!allowed.includes('storefront')) return 'an operator token is required';
  if (!allowed.includes('operator')) return 'a storefront API key is required';
  return 'an API key or the operator token is required';
}

interface AuthOptions {
  adminToken: string;
  /** METRICS_TOKEN: accepted only where a route allows `metrics`; unset, only the operator scrapes. */
  metricsToken?: string | undefined;
  /** AUTH_FAILURES_PER_MINUTE: unknown, revoked or malformed storefront keys looked up per address and minute. */
  failuresPerMinute: number;
}

/**
 * How long an active key is served from memory. Revocations are heard at once (LISTEN); this bounds how long a
 * revocation could go unheard should the listening connection break without reconnecting. POST /v1/orders checks
 * the key again in the statement that writes the order, so an order is never taken on a revoked key.
 */
const KEY_TTL_MS = 5_000;
const LISTEN_WAIT_MS = 2_000;

const refused = (message: string): Refusal => ({ status: 401, message });

/**
 * Who a request comes from. The operator shows ADMIN_TOKEN as bearer, or as the password of Basic auth (so a
 * browser can open the pages); the scraper shows METRICS_TOKEN the same ways; a storefront shows its API key as
 * bearer, which fixes its connection and channel.
 */
async function authPlugin(app: FastifyInstance, options: AuthOptions): Promise<void> {
  app.decorateRequest('storefront', undefined);
  const failures = createAuthFailures({ perMinute: options.failuresPerMinute });
  const keys = createApiKeyCache({
    lookup: (keyHash) => findActiveApiKey(app.database.db, keyHash),
    ttlMs: KEY_TTL_MS,
  });
  app.decorate('apiKeys', keys);
  // A connection of its own, reconnected by postgres.js, which calls `onlisten` again (the cache starts afresh,
  // since notifications may have been missed meanwhile). Until it listens, every request looks its key up.
  const listening = app.database.sql
    .listen(
      API_KEYS_CHANNEL,
      () => keys.clear(),
      () => keys.setLive(true),
    )
    .catch((error: unknown) => {
      app.log.warn({ err: error }, 'not listening for revoked API keys: every request looks its key up');
      return undefined;
    });
  // Boot waits a little for it, so the first requests are served from memory already; never for long, since the
  // api starts while Postgres does not answer.
  await withTimeout(listening, LISTEN_WAIT_MS, () => undefined);
  app.addHook('onClose', async () => {
    keys.setLive(false);
    // The pool may be closed already, and with it the listening connection.
    await (await listening)?.unlisten().catch(() => undefined);
  });

  app.decorate('authenticate', async (request: FastifyRequest, allowed: readonly Access[]) => {
    const { bearer, basicPassword } = credentialsOf(request);
    const secret = bearer ?? basicPassword;
    if (allowed.includes('operator') && secret !== undefined && secretsEqual(secret, options.adminToken)) {
      return undefined;
    }
    const { metricsToken } = options;
    if (
      allowed.includes('metrics') &&
      secret !== undefined &&
      metricsToken &&
      secretsEqual(secret, metricsToken)
    ) {
      return undefined;
    }
    if (!allowed.includes('storefront') || bearer === undefined) return refused(missing(allowed));
    // Before any lookup: an address guessing keys is stopped here, at no cost to the database.
    const keyHash = hashApiKey(bearer);
    const attempt = failures.attempt(request.ip, keyHash);
    const wait = attempt.retryAfterSeconds;
    if (wait > 0) {
      const message = `too many unknown or revoked API keys from this address; retry in ${wait} s`;
      return { status: 429, message, retryAfterSeconds: wait };
    }
    if (!API_KEY_SHAPE.test(bearer)) return refused('not a storefront API key (they look like exs_…)');
    const key = await keys.find(keyHash);
    attempt.settle(key !== undefined);
    if (!key) return refused('unknown or revoked API key');
    request.storefront = { keyId: key.id, connectionId: key.connectionId, channel: key.channel };
    return undefined;
  });
}

export default fp(authPlugin, { name: 'auth', dependencies: ['database'] });
