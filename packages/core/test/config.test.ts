import { randomBytes } from 'node:crypto';
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

  it('takes TOKEN_ENCRYPTION_KEY as 32 bytes in hex, base64 or base64url, padded or not', () => {
    const bytes = randomBytes(32);
    for (const key of [
      bytes.toString('hex'),
      bytes.toString('base64'),
      bytes.toString('base64').replace(/=$/, ''),
      bytes.toString('base64url'),
      `${bytes.toString('base64url')}=`,
      'ab'.repeat(32),
    ]) {
      expect(parseEnv(serviceEnvSchema, { ...valid, TOKEN_ENCRYPTION_KEY: key }).TOKEN_ENCRYPTION_KEY).toBe(
        key,
      );
    }
  });

  it('refuses any other TOKEN_ENCRYPTION_KEY at boot, says how to make one, and never echoes it', () => {
    const hex = randomBytes(32).toString('hex');
    for (const key of [
      randomBytes(31).toString('hex'),
      randomBytes(33).toString('base64'),
      'x'.repeat(64),
      `${hex} `,
      `${hex.slice(0, 30)} ${hex.slice(30)}`,
      `${randomBytes(32).toString('base64').slice(0, 43)}*`,
    ]) {
      let message = '';
      try {
        parseEnv(serviceEnvSchema, { ...valid, TOKEN_ENCRYPTION_KEY: key });
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message, JSON.stringify(key)).toContain('TOKEN_ENCRYPTION_KEY: must be 32 random bytes');
      expect(message).toContain('openssl rand -hex 32');
      expect(message).not.toContain(key.trim());
    }
  });

  it('takes an optional METRICS_TOKEN of 16+ characters that is not the ADMIN_TOKEN', () => {
    expect(parseEnv(serviceEnvSchema, valid).METRICS_TOKEN).toBeUndefined();
    const token = 'metrics-token-0123456789';
    expect(parseEnv(serviceEnvSchema, { ...valid, METRICS_TOKEN: token }).METRICS_TOKEN).toBe(token);
    expect(() => parseEnv(serviceEnvSchema, { ...valid, METRICS_TOKEN: 'short' })).toThrow(
      'METRICS_TOKEN: must be at least 16 characters',
    );
    expect(() => parseEnv(serviceEnvSchema, { ...valid, METRICS_TOKEN: valid.ADMIN_TOKEN })).toThrow(
      'METRICS_TOKEN: must differ from ADMIN_TOKEN',
    );
  });

  it('listens on loopback unless API_HOST / WORKER_HOST say otherwise, and refuses what is no address', () => {
    const env = parseEnv(serviceEnvSchema, valid);
    expect([env.API_HOST, env.WORKER_HOST]).toEqual(['127.0.0.1', '127.0.0.1']);
    for (const host of ['0.0.0.0', '::', 'api.internal']) {
      expect(parseEnv(serviceEnvSchema, { ...valid, API_HOST: host, WORKER_HOST: host }).API_HOST).toBe(host);
    }
    expect(() => parseEnv(serviceEnvSchema, { ...valid, WORKER_HOST: 'http://0.0.0.0:3001' })).toThrow(
      'WORKER_HOST: must be an IP address or a host name',
    );
  });

  it('keeps callback URLs to https and public addresses unless a flag is exactly true', () => {
    const env = parseEnv(serviceEnvSchema, valid);
    expect([env.CALLBACK_ALLOW_HTTP, env.CALLBACK_ALLOW_PRIVATE, env.AUTH_FAILURES_PER_MINUTE]).toEqual([
      false,
      false,
      30,
    ]);
    const open = parseEnv(serviceEnvSchema, {
      ...valid,
      CALLBACK_ALLOW_HTTP: 'true',
      CALLBACK_ALLOW_PRIVATE: 'true',
    });
    expect([open.CALLBACK_ALLOW_HTTP, open.CALLBACK_ALLOW_PRIVATE]).toEqual([true, true]);
    expect(() => parseEnv(serviceEnvSchema, { ...valid, CALLBACK_ALLOW_PRIVATE: 'yes' })).toThrow(
      'CALLBACK_ALLOW_PRIVATE: must be true or false',
    );
  });

  it('retries callbacks from 10 s on unless CALLBACK_RETRY_BASE_MS says otherwise, never below 10 ms', () => {
    expect(parseEnv(serviceEnvSchema, valid).CALLBACK_RETRY_BASE_MS).toBe(10_000);
    expect(
      parseEnv(serviceEnvSchema, { ...valid, CALLBACK_RETRY_BASE_MS: '20' }).CALLBACK_RETRY_BASE_MS,
    ).toBe(20);
    expect(() => parseEnv(serviceEnvSchema, { ...valid, CALLBACK_RETRY_BASE_MS: '5' })).toThrow(
      'CALLBACK_RETRY_BASE_MS',
    );
  });
});
