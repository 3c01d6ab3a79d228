import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  createTokenCipher,
  InvalidEncryptionKeyError,
  parseEncryptionKey,
  TokenDecryptionError,
} from '../src/index.ts';

const hexKey = 'a1'.repeat(32);

describe('token encryption', () => {
  it('accepts the key as 64 hex characters or as base64 of 32 bytes, and the same bytes either way', () => {
    const bytes = randomBytes(32);
    expect(parseEncryptionKey(bytes.toString('hex'))).toEqual(bytes);
    expect(parseEncryptionKey(bytes.toString('base64'))).toEqual(bytes);
  });

  it('refuses keys of the wrong size without repeating them', () => {
    for (const bad of ['abc', 'a1'.repeat(31), randomBytes(16).toString('base64'), '']) {
      let caught: unknown;
      try {
        parseEncryptionKey(bad);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(InvalidEncryptionKeyError);
      if (bad) expect((caught as Error).message).not.toContain(bad);
    }
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
    ];
    for (const attempt of attempts) {
      expect(attempt).toThrow(TokenDecryptionError);
      expect(attempt).not.toThrow(/secret-refresh-token/);
    }
  });
});
