import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { callbackSecretContext, generateCallbackSecret, signatureHeader } from '../src/signature.ts';

// What a storefront does with the header, written from the README rather than from the code under test.
function verify(header: string, body: string, secret: string): boolean {
  const parts = header.split(',').map((p) => p.split('='));
  const t = parts.find(([k]) => k === 't')?.[1];
  const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
  return parts.some(([k, v]) => k === 'v1' && v === expected);
}

describe('callback signatures', () => {
  it('signs the timestamp and the raw body with each secret, the current one first', () => {
    const body = '{"id":"e1","status":"submitted"}';
    const header = signatureHeader({ body, timestamp: 1_700_000_000, secrets: ['whsec_new', 'whsec_old'] });
    expect(header).toMatch(/^t=1700000000,v1=[0-9a-f]{64},v1=[0-9a-f]{64}$/);
    expect(verify(header, body, 'whsec_new')).toBe(true);
    expect(verify(header, body, 'whsec_old')).toBe(true);
    expect(verify(header, body, 'whsec_other')).toBe(false);
    expect(verify(header, body.replace('submitted', 'rejected'), 'whsec_new')).toBe(false);
    // The time is signed too: a replay with a fresher timestamp does not verify.
    expect(verify(header.replace('1700000000', '1700000999'), body, 'whsec_new')).toBe(false);
  });

  it('makes long random secrets, and binds their encryption to the connection and channel', () => {
    const a = generateCallbackSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(generateCallbackSecret()).not.toBe(a);
    expect(callbackSecretContext('c1', 'b2b')).not.toBe(callbackSecretContext('c1', 'b2c'));
    expect(callbackSecretContext('c1', 'b2b')).not.toBe(callbackSecretContext('c2', 'b2b'));
  });
});
