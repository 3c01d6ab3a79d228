import { createHmac, randomBytes } from 'node:crypto';
import type { Channel } from '@exact-sync/core';

/** The header that carries a callback's signatures: `t=<unix seconds>,v1=<hex>[,v1=<hex>]`. */
export const SIGNATURE_HEADER = 'x-exact-sync-signature';

/**
 * A new signing secret for a channel's callbacks: `whsec_` and 32 random bytes (base64url). The HMAC key is the
 * whole string, as the storefront receives it.
 */
export function generateCallbackSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

/**
 * What a stored secret's encryption is bound to (AES-GCM additional data): its connection, its channel and that it
 * is a callback secret, so a ciphertext copied to another row, or to a token column, does not decrypt.
 */
export function callbackSecretContext(connectionId: string, channel: Channel): string {
  return `connection:${connectionId}:${channel}:callback_secret`;
}

/**
 * The value of `X-Exact-Sync-Signature` for a body sent at `timestamp` (unix seconds): Stripe's scheme, a hex
 * HMAC-SHA256 over `<timestamp>.<body>` per secret. The first secret is the current one; during a rotation the
 * previous one signs as well, so a receiver that still has the old secret accepts the callback too.
 */
export function signatureHeader(input: {
  body: string;
  timestamp: number;
  secrets: readonly string[];
}): string {
  const signed = `${input.timestamp}.${input.body}`;
  const signatures = input.secrets.map(
    (secret) => `v1=${createHmac('sha256', secret).update(signed, 'utf8').digest('hex')}`,
  );
  return [`t=${input.timestamp}`, ...signatures].join(',');
}
