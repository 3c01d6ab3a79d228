import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

/** Why a signed link or OAuth `state` was refused; `code` is the API's error code. */
export class SignedLinkError extends Error {
  override readonly name = 'SignedLinkError';
  constructor(
    readonly code: 'invalid_signature' | 'link_expired' | 'invalid_state' | 'state_expired' | 'state_used',
    message: string,
  ) {
    super(message);
  }
}

export interface LinkSigner {
  /** Query of an authorize link for the connection, valid for `ttlMs`. */
  authorizeQuery(connectionId: string): { exp: string; sig: string };
  /** Throws SignedLinkError unless `sig` was made by `authorizeQuery` for this connection and has not expired. */
  verifyAuthorize(connectionId: string, exp: string, sig: string): void;
  /**
   * An OAuth `state` naming the connection, signed and expiring, with the nonce that makes it single-use: the caller
   * stores the nonce until `expiresAt`, and the callback consumes it.
   */
  state(connectionId: string): { state: string; nonce: string; expiresAt: Date };
  /** The connection and nonce a `state` names; throws SignedLinkError when it is altered or expired. */
  verifyState(state: string): { connectionId: string; nonce: string };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * HMAC-SHA256 signing of authorize links and OAuth states. The key is derived from TOKEN_ENCRYPTION_KEY (HKDF,
 * its own label), so no extra secret is configured and the encryption key itself never signs anything. Each kind
 * of value signs its own purpose, so a link signature can never pass as a state.
 */
export function createLinkSigner(input: {
  encryptionKey: Buffer;
  ttlMs: number;
  now?: () => number;
}): LinkSigner {
  const key = Buffer.from(hkdfSync('sha256', input.encryptionKey, 'exact-sync', 'signed links v1', 32));
  const now = input.now ?? Date.now;
  const sign = (...parts: string[]) => createHmac('sha256', key).update(parts.join('|')).digest('base64url');
  const expiry = () => String(Math.floor((now() + input.ttlMs) / 1000));
  const expired = (exp: string) => !/^\d{1,12}$/.test(exp) || Number(exp) * 1000 <= now();

  return {
    authorizeQuery(connectionId) {
      const exp = expiry();
      return { exp, sig: sign('authorize', connectionId, exp) };
    },
    verifyAuthorize(connectionId, exp, sig) {
      if (!equal(sig, sign('authorize', connectionId, exp))) {
        throw new SignedLinkError('invalid_signature', 'the authorize link is not valid; ask for a new one');
      }
      if (expired(exp)) {
        throw new SignedLinkError('link_expired', 'the authorize link has expired; ask for a new one');
      }
    },
    state(connectionId) {
      const exp = expiry();
      const nonce = randomBytes(18).toString('base64url');
      const state = [connectionId, exp, nonce, sign('state', connectionId, exp, nonce)].join('.');
      return { state, nonce, expiresAt: new Date(Number(exp) * 1000) };
    },
    verifyState(state) {
      const [connectionId = '', exp = '', nonce = '', sig = '', ...rest] = state.split('.');
      if (
        rest.length > 0 ||
        !UUID.test(connectionId) ||
        !equal(sig, sign('state', connectionId, exp, nonce))
      ) {
        throw new SignedLinkError(
          'invalid_state',
          'the OAuth state is not valid; start again from an authorize link',
        );
      }
      if (expired(exp)) {
        throw new SignedLinkError(
          'state_expired',
          'the OAuth state has expired; start again from an authorize link',
        );
      }
      return { connectionId, nonce };
    },
  };
}

function equal(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
