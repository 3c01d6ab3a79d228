import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { InvalidEncryptionKeyError, TokenDecryptionError } from './token-errors.ts';

const ALGORITHM = 'aes-256-gcm';
const VERSION = 'v1';
const IV_BYTES = 12;

/**
 * Reads TOKEN_ENCRYPTION_KEY: 64 hex characters or the base64 of 32 bytes. The error never repeats the value.
 */
export function parseEncryptionKey(value: string | Buffer): Buffer {
  if (Buffer.isBuffer(value)) {
    if (value.length !== 32) throw new InvalidEncryptionKeyError();
    return value;
  }
  if (/^[0-9a-fA-F]{64}$/.test(value)) return Buffer.from(value, 'hex');
  const bytes = /^[A-Za-z0-9+/_-]+={0,2}$/.test(value) ? Buffer.from(value, 'base64') : Buffer.alloc(0);
  if (bytes.length !== 32) throw new InvalidEncryptionKeyError();
  return bytes;
}

/** Encrypts and decrypts token values stored in Postgres. */
export interface TokenCipher {
  /** `context` is bound into the ciphertext (AES-GCM additional data): a value copied to another row fails. */
  encrypt(plain: string, context: string): string;
  decrypt(stored: string, context: string): string;
}

/**
 * AES-256-GCM with a random 96-bit IV per value. Stored as `v1.<iv>.<ciphertext>.<tag>` (base64url), so a later
 * key or algorithm change can tell old values apart.
 */
export function createTokenCipher(key: string | Buffer): TokenCipher {
  const secret = parseEncryptionKey(key);
  return {
    encrypt(plain, context) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv(ALGORITHM, secret, iv);
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
      try {
        const decipher = createDecipheriv(ALGORITHM, secret, Buffer.from(iv, 'base64url'));
        decipher.setAAD(Buffer.from(context));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString(
          'utf8',
        );
      } catch {
        throw new TokenDecryptionError(context);
      }
    },
  };
}
