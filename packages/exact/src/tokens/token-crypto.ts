import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { decodeEncryptionKey } from '@exact-sync/core';
import { InvalidEncryptionKeyError, TokenDecryptionError } from './token-errors.ts';

const ALGORITHM = 'aes-256-gcm';
const VERSION = 'v1';
const IV_BYTES = 12;
// Pinned on both sides: without it, Node checks only as many tag bytes as the stored value carries (down to 4), so
// a forger would need to guess 32 bits, not 128.
const TAG_BYTES = 16;

/**
 * Reads TOKEN_ENCRYPTION_KEY: 64 hex characters or the base64 / base64url of 32 bytes, as the boot-time check of
 * the environment accepts it. The error never repeats the value.
 */
export function parseEncryptionKey(value: string | Buffer): Buffer {
  const bytes = Buffer.isBuffer(value) ? value : decodeEncryptionKey(value);
  if (bytes?.length !== 32) throw new InvalidEncryptionKeyError();
  return bytes;
}

/** Encrypts and decrypts the secrets stored in Postgres: OAuth tokens, callback signing secrets. */
export interface TokenCipher {
  /** `context` is bound into the ciphertext (AES-GCM additional data): a value copied to another row fails. */
  encrypt(plain: string, context: string): string;
  decrypt(stored: string, context: string): string;
}

/**
 * AES-256-GCM with a random 96-bit IV per value and a 128-bit tag. Stored as `v1.<iv>.<ciphertext>.<tag>`
 * (base64url), so a later key or algorithm change can tell old values apart.
 */
export function createTokenCipher(key: string | Buffer): TokenCipher {
  const secret = parseEncryptionKey(key);
  return {
    encrypt(plain, context) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv(ALGORITHM, secret, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(Buffer.from(context));
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      const parts = [iv, body, cipher.getAuthTag()].map((b) => b.toString('base64url'));
      return [VERSION, ...parts].join('.');
    },
    decrypt(stored, context) {
      const [version, iv, body, tag, ...rest] = stored.split('.');
      if (version !== VERSION || iv === undefined || body === undefined || tag === undefined || rest.length) {
        throw new TokenDecryptionError(context);
      }
      const ivBytes = Buffer.from(iv, 'base64url');
      const tagBytes = Buffer.from(tag, 'base64url');
      if (ivBytes.length !== IV_BYTES || tagBytes.length !== TAG_BYTES)
        throw new TokenDecryptionError(context);
      try {
        const decipher = createDecipheriv(ALGORITHM, secret, ivBytes, { authTagLength: TAG_BYTES });
        decipher.setAAD(Buffer.from(context));
        decipher.setAuthTag(tagBytes);
        return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString(
          'utf8',
        );
      } catch {
        throw new TokenDecryptionError(context);
      }
    },
  };
}
