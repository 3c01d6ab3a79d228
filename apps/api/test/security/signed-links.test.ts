import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createLinkSigner, SignedLinkError } from '../../src/connections/signed-links.ts';

const key = randomBytes(32);
const id = randomUUID();

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    return error instanceof SignedLinkError ? error.code : 'other';
  }
}

describe('signed authorize links', () => {
  const signer = createLinkSigner({ encryptionKey: key, ttlMs: 15 * 60_000 });

  it('accepts its own link for its connection only', () => {
    const { exp, sig } = signer.authorizeQuery(id);
    expect(codeOf(() => signer.verifyAuthorize(id, exp, sig))).toBeUndefined();
    expect(codeOf(() => signer.verifyAuthorize(randomUUID(), exp, sig))).toBe('invalid_signature');
    expect(codeOf(() => signer.verifyAuthorize(id, String(Number(exp) + 3600), sig))).toBe(
      'invalid_signature',
    );
    // A different last character (replacing it by a fixed one would leave one signature in 64 unchanged).
    const tampered = `${sig.slice(0, -1)}${sig.endsWith('A') ? 'B' : 'A'}`;
    expect(codeOf(() => signer.verifyAuthorize(id, exp, tampered))).not.toBeUndefined();
  });

  it('refuses a link past its time, and links signed with another key', () => {
    const past = createLinkSigner({
      encryptionKey: key,
      ttlMs: 15 * 60_000,
      now: () => Date.now() - 16 * 60_000,
    });
    const old = past.authorizeQuery(id);
    expect(codeOf(() => signer.verifyAuthorize(id, old.exp, old.sig))).toBe('link_expired');
    const other = createLinkSigner({ encryptionKey: randomBytes(32), ttlMs: 60_000 }).authorizeQuery(id);
    expect(codeOf(() => signer.verifyAuthorize(id, other.exp, other.sig))).toBe('invalid_signature');
  });
});

describe('signed OAuth state', () => {
  const signer = createLinkSigner({ encryptionKey: key, ttlMs: 15 * 60_000 });

  it('names the connection and the nonce it was made with, and differs every time', () => {
    const { state, nonce, expiresAt } = signer.state(id);
    expect(signer.verifyState(state)).toEqual({ connectionId: id, nonce });
    expect(signer.state(id).state).not.toBe(state);
    expect(expiresAt.getTime()).toBeGreaterThan(Date.now() + 14 * 60_000);
  });

  it('refuses a state altered, re-pointed at another connection, expired, or made of a link signature', () => {
    const [, exp, nonce, sig] = signer.state(id).state.split('.');
    expect(codeOf(() => signer.verifyState([randomUUID(), exp, nonce, sig].join('.')))).toBe('invalid_state');
    expect(codeOf(() => signer.verifyState([id, exp, 'other', sig].join('.')))).toBe('invalid_state');
    expect(codeOf(() => signer.verifyState('garbage'))).toBe('invalid_state');
    const link = signer.authorizeQuery(id);
    expect(codeOf(() => signer.verifyState([id, link.exp, '', link.sig].join('.')))).toBe('invalid_state');
    const past = createLinkSigner({ encryptionKey: key, ttlMs: 60_000, now: () => Date.now() - 120_000 });
    expect(codeOf(() => signer.verifyState(past.state(id).state))).toBe('state_expired');
  });
});
