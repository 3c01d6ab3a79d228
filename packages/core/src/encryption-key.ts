const KEY_BYTES = 32;
const HEX = /^[0-9a-fA-F]{64}$/;
// 32 bytes are 43 base64 characters and one `=` of padding; one alphabet or the other, never a mix.
const BASE64 = /^[A-Za-z0-9+/]{43}=?$/;
const BASE64URL = /^[A-Za-z0-9_-]{43}=?$/;

/** Why a TOKEN_ENCRYPTION_KEY is refused, and how to make a good one. It never repeats the value. */
export const ENCRYPTION_KEY_RULE =
  'must be 32 random bytes, as 64 hex characters or as base64 / base64url (padding optional, nothing else: no ' +
  'spaces or line breaks); make one with `openssl rand -hex 32`';

/**
 * The 32 bytes of a TOKEN_ENCRYPTION_KEY, or undefined when the value is not exactly that: 64 hex characters, or
 * the canonical base64 or base64url of 32 bytes. The one definition of the format, for the boot-time check of the
 * environment and for the cipher that uses the key.
 */
export function decodeEncryptionKey(value: string): Buffer | undefined {
  if (HEX.test(value)) return Buffer.from(value, 'hex');
  const alphabet = BASE64.test(value) ? 'base64' : BASE64URL.test(value) ? 'base64url' : undefined;
  if (alphabet === undefined) return undefined;
  const bytes = Buffer.from(value, alphabet);
  // Buffer.from ignores the unused low bits of the last character: only the canonical spelling is taken.
  const canonical = bytes.toString(alphabet).replace(/=+$/, '') === value.replace(/=$/, '');
  return bytes.length === KEY_BYTES && canonical ? bytes : undefined;
}
