import { CHANNELS, type Channel, parseEnv, serviceEnvSchema } from '@exact-sync/core';
import { apiKeys, type ChannelsSettings, connections } from '@exact-sync/db';
import Fastify, { type FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { app } from '../src/app.ts';
import type { ApiConfig } from '../src/config.ts';
import { newApiKey } from '../src/plugins/auth.plugin.ts';
import { frameworkErrors } from '../src/plugins/errors.plugin.ts';

/** A complete api configuration for tests: the given database and Redis, everything else fixed. */
export function testConfig(overrides: Record<string, string>): ApiConfig {
  return parseEnv(serviceEnvSchema, {
    REDIS_URL: 'redis://127.0.0.1:6379',
    EXACT_CLIENT_ID: 'exact-sim-client',
    EXACT_CLIENT_SECRET: 'exact-sim-secret',
    TOKEN_ENCRYPTION_KEY: '0f'.repeat(32),
    ADMIN_TOKEN: 'test-admin-token-0123456789',
    LOG_LEVEL: 'silent',
    // Route tests read what they just wrote; the feed settle window has its own test.
    FEED_SETTLE_MS: '0',
    ...overrides,
  });
}

/** The api mounted without a port, for `inject`. */
export async function buildApp(config: ApiConfig): Promise<FastifyInstance> {
  const instance = Fastify({ logger: false, frameworkErrors });
  await instance.register(fp(app), { config });
  await instance.ready();
  return instance;
}

/** A connection row and a storefront key per channel, written straight to the database. */
export async function seedConnection(
  instance: FastifyInstance,
  channels: ChannelsSettings = { b2c: { defaultAccountCode: 'CONSUMERS' } },
): Promise<{ connectionId: string; keys: Record<Channel, string>; keyIds: Record<Channel, string> }> {
  const { db } = instance.database;
  const [connection] = await db
    .insert(connections)
    .values({
      name: 'Test shop',
      exactBaseUrl: 'http://127.0.0.1:1',
      division: 100001,
      status: 'active',
      channels,
    })
    .returning({ id: connections.id });
  if (!connection) throw new Error('no connection');
  const keys = {} as Record<Channel, string>;
  const keyIds = {} as Record<Channel, string>;
  for (const channel of CHANNELS) {
    const made = newApiKey();
    const [row] = await db
      .insert(apiKeys)
      .values({ connectionId: connection.id, channel, keyHash: made.hash, keyPrefix: made.prefix })
      .returning({ id: apiKeys.id });
    if (!row) throw new Error('no key');
    keys[channel] = made.key;
    keyIds[channel] = row.id;
  }
  return { connectionId: connection.id, keys, keyIds };
}

/**
 * Waits, if need be, until the current minute has at least `ms` left, for a test that counts requests in the
 * storefront limit's window (a minute of the clock): a new window mid-test would start the count afresh.
 */
export async function awayFromMinuteEdge(ms = 10_000): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < ms) await new Promise((resolve) => setTimeout(resolve, left + 50));
}
