import { describe, expect, it } from 'vitest';
import { ConfigError, parseEnv, serviceEnvSchema } from '../src/index.ts';

const valid = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/exact_sync',
  REDIS_URL: 'redis://127.0.0.1:6379',
  EXACT_CLIENT_ID: 'client',
  EXACT_CLIENT_SECRET: 'secret',
  TOKEN_ENCRYPTION_KEY: 'a'.repeat(64),
  ADMIN_TOKEN: 'admin-token-0123456789',
};

describe('parseEnv', () => {
  it('applies the defaults of the interface', () => {
    const env = parseEnv(serviceEnvSchema, valid);
    expect(env.EXACT_BASE_URL).toBe('https://start.exactonline.nl');
    expect(env.API_PORT).toBe(3000);
    expect(env.SYNC_RESERVE_PER_MINUTE).toBe(10);
    expect(env.SYNC_RESERVE_PER_DAY).toBe(300);
  });

  it('lists every bad variable with its reason, and never echoes a secret', () => {
    const bad = {
      ...valid,
      DATABASE_URL: 'mysql://x',
      ADMIN_TOKEN: 'short-secret',
      TOKEN_ENCRYPTION_KEY: undefined,
      API_PORT: '99999',
    };
    let message = '';
    try {
      parseEnv(serviceEnvSchema, bad);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      message = (error as Error).message;
    }
    expect(message).toContain('DATABASE_URL: must be a postgres:// URL');
    expect(message).toContain('ADMIN_TOKEN: must be at least 16 characters');
    expect(message).toContain('TOKEN_ENCRYPTION_KEY: is required');
    expect(message).toContain('API_PORT:');
    expect(message).not.toContain('short-secret');
  });

  it('treats empty variables as unset', () => {
    expect(parseEnv(serviceEnvSchema, { ...valid, PUBLIC_URL: '' }).PUBLIC_URL).toBeUndefined();
  });
});
