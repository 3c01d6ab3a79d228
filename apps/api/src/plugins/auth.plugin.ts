import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Channel } from '@exact-sync/core';
import { findActiveApiKey } from '@exact-sync/db';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { unauthorized } from '../errors.ts';

export interface Storefront {
  readonly keyId: string;
  readonly connectionId: string;
  readonly channel: Channel;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** preHandler: the operator's ADMIN_TOKEN as bearer, or as the password of Basic auth (browser pages). */
    requireAdmin(request: FastifyRequest): Promise<void>;
    /** preHandler: a storefront API key as bearer; sets `request.storefront`. */
    requireStorefront(request: FastifyRequest): Promise<void>;
  }
  interface FastifyRequest {
    storefront?: Storefront;
  }
}

const sha256 = (value: string): Buffer => createHash('sha256').update(value).digest();

/** Compares secrets in constant time (hashing first makes the lengths equal). */
function secretsEqual(given: string, expected: string): boolean {
  return timingSafeEqual(sha256(given), sha256(expected));
}

/** A new storefront key: shown once, stored as its SHA-256 hash. */
export function newApiKey(): { key: string; hash: string; prefix: string } {
  const key = `exs_${randomBytes(24).toString('base64url')}`;
  return { key, hash: hashApiKey(key), prefix: key.slice(0, 10) };
}

export function hashApiKey(key: string): string {
  return sha256(key).toString('hex');
}

function credentials(request: FastifyRequest): { bearer?: string; basicPassword?: string } {
  const header = request.headers.authorization ?? '';
  const [scheme, value = ''] = header.split(' ', 2);
  if (scheme?.toLowerCase() === 'bearer') return { bearer: value.trim() };
  if (scheme?.toLowerCase() === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString();
    return { basicPassword: decoded.slice(decoded.indexOf(':') + 1) };
  }
  return {};
}

async function authPlugin(app: FastifyInstance, options: { adminToken: string }): Promise<void> {
  app.decorateRequest('storefront', undefined);

  app.decorate('requireAdmin', async (request: FastifyRequest) => {
    const { bearer, basicPassword } = credentials(request);
    const given = bearer ?? basicPassword;
    if (given === undefined || !secretsEqual(given, options.adminToken)) {
      throw unauthorized('an operator token is required');
    }
  });

  app.decorate('requireStorefront', async (request: FastifyRequest) => {
    const { bearer } = credentials(request);
    if (!bearer) throw unauthorized('a storefront API key is required');
    const row = await findActiveApiKey(app.database.db, hashApiKey(bearer));
    if (!row) throw unauthorized('unknown or revoked API key');
    request.storefront = { keyId: row.id, connectionId: row.connectionId, channel: row.channel };
  });
}

export default fp(authPlugin, { name: 'auth', dependencies: ['database'] });
