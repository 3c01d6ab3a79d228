import { parseEnv, serviceEnvSchema } from '@exact-sync/core';
import Fastify, { type FastifyInstance } from 'fastify';
import { app } from '../src/app.ts';
import type { ApiConfig } from '../src/config.ts';

/** A complete api configuration for tests: the given database and Redis, everything else fixed. */
export function testConfig(overrides: Record<string, string>): ApiConfig {
  return parseEnv(serviceEnvSchema, {
    REDIS_URL: 'redis://127.0.0.1:6379',
    EXACT_CLIENT_ID: 'exact-sim-client',
    EXACT_CLIENT_SECRET: 'exact-sim-secret',
    TOKEN_ENCRYPTION_KEY: '0f'.repeat(32),
    ADMIN_TOKEN: 'test-admin-token-0123456789',
    LOG_LEVEL: 'silent',
    ...overrides,
  });
}

/** The api mounted without a port, for `inject`. */
export async function buildApp(config: ApiConfig): Promise<FastifyInstance> {
  const instance = Fastify({ logger: false });
  await instance.register(app, { config });
  await instance.ready();
  return instance;
}
