import { randomBytes } from 'node:crypto';
import { parseEnv, serviceEnvSchema } from '@exact-sync/core';
import { describe, expect, it } from 'vitest';
import {
  createTokenCipher,
  InvalidEncryptionKeyError,
  parseEncryptionKey,
  TokenDecryptionError,
} from '../src/index.ts';

const hexKey = 'a1'.repeat(32);

describe('token encryption', () => {
  it('accepts the key as 64 hex characters, base64 or base64url, padded or not, and the same bytes each way', () => {
    const bytes = randomBytes(32);
    const spellings = [
      bytes.toString('hex'),
      bytes.toString('hex').toUpperCase(),
      bytes.toString('base64'),
      bytes.toString('base64').replace(/=$/, ''),
      bytes.toString('base64url'),
      `${bytes.toString('base64url')}=`,
    ];
    for (const key of spellings) expect(parseEncryptionKey(key), key).toEqual(bytes);
    // The keys of the demo and the tests.
    expect(parseEncryptionKey('ab'.repeat(32))).toHaveLength(32);
    expect(parseEncryptionKey(`${'00'.repeat(31)}ff`)).toHaveLength(32);
  });

  it('refuses anything else without repeating it, and says how to make a key', () => {
    const b64 = randomBytes(32).toString('base64');
    const bad = [
      '',
      'abc',
      randomBytes(31).toString('hex'),
      randomBytes(33).toString('hex'),
      randomBytes(31).toString('base64'),
      randomBytes(33).toString('base64'),
      randomBytes(33).toString('base64url'),
      'g'.repeat(64),
      `${randomBytes(32).toString('hex').slice(0, 63)}z`,
      ` ${randomBytes(32).toString('hex')}`,
      `${randomBytes(32).toString('hex')}\n`,
      `${b64.slice(0, 20)} ${b64.slice(20)}`,
      `${b64.slice(0, 42)}!=`,
      `${b64.slice(0, 42)}==`,
      // The two base64 alphabets mixed.
      `+_${b64.slice(2)}`,
    ];
    for (const key of bad) {
      let caught: unknown;
      try {
        parseEncryptionKey(key);
      } catch (error) {
        caught = error;
      }
      expect(caught, JSON.stringify(key)).toBeInstanceOf(InvalidEncryptionKeyError);
      const message = (caught as Error).message;
      expect(message).toContain('openssl rand -hex 32');
      if (key.trim()) expect(message).not.toContain(key.trim());
    }
    expect(() => parseEncryptionKey(randomBytes(31))).toThrow(InvalidEncryptionKeyError);
  });

  it('accepts exactly the keys the environment check at boot accepts', () => {
    const bytes = randomBytes(32);
    const env = {
      DATABASE_URL: 'postgres://127.0.0.1/x',
      REDIS_URL: 'redis://127.0.0.1',
      EXACT_CLIENT_ID: 'client',
      EXACT_CLIENT_SECRET: 'secret',
      ADMIN_TOKEN: 'admin-token-0123456789',
    };
    const keys = [
      bytes.toString('hex'),
      bytes.toString('base64'),
      bytes.toString('base64url'),
      'z'.repeat(64),
      randomBytes(33).toString('base64url'),
      ` ${bytes.toString('base64')}`,
    ];
    for (const key of keys) {
      const atBoot = serviceEnvSchema.safeParse({ ...env, TOKEN_ENCRYPTION_KEY: key }).success;
      let byCipher = true;
      try {
        parseEncryptionKey(key);
      } catch {
        byCipher = false;
      }
      expect(byCipher, JSON.stringify(key)).toBe(atBoot);
    }
    expect(() => parseEnv(serviceEnvSchema, { ...env, TOKEN_ENCRYPTION_KEY: keys[0] })).not.toThrow();
  });

  it('round-trips a token and never stores it in the clear', () => {
    const cipher = createTokenCipher(hexKey);
    const token = 'access-token-value-123';
    const stored = cipher.encrypt(token, 'connection:1:access_token');
    expect(stored).not.toContain(token);
    expect(stored.startsWith('v1.')).toBe(true);
    expect(cipher.encrypt(token, 'connection:1:access_token')).not.toBe(stored);
    expect(cipher.decrypt(stored, 'connection:1:access_token')).toBe(token);
  });

  it('refuses a value altered, moved to another connection, or read with another key', () => {
    const cipher = createTokenCipher(hexKey);
    const stored = cipher.encrypt('secret-refresh-token', 'connection:1:refresh_token');
    const [v, iv, body = '', tag] = stored.split('.');
    const flipped = `${body.slice(0, -2)}${body.endsWith('AA') ? 'AB' : 'AA'}`;
    const attempts = [
      () => cipher.decrypt([v, iv, flipped, tag].join('.'), 'connection:1:refresh_token'),
      () => cipher.decrypt(stored, 'connection:2:refresh_token'),
      () => createTokenCipher('b2'.repeat(32)).decrypt(stored, 'connection:1:refresh_token'),
      () => cipher.decrypt('plain-text', 'connection:1:refresh_token'),
      // Node would check only the bytes given (down to 4) if the tag length were not pinned.
      ...[4, 8, 12, 15].map(
        (bytes) => () =>
          cipher.decrypt(
            [
              v,
              iv,
              body,
              Buffer.from(tag ?? '', 'base64url')
                .subarray(0, bytes)
                .toString('base64url'),
            ].join('.'),
            'connection:1:refresh_token',
          ),
      ),
      () => cipher.decrypt([v, iv, body, `${tag}AA`].join('.'), 'connection:1:refresh_token'),
    ];
    for (const attempt of attempts) {
      expect(attempt).toThrow(TokenDecryptionError);
      expect(attempt).not.toThrow(/secret-refresh-token/);
    }
  });
});
