import { describe, expect, it } from 'vitest';
import { createAuthFailures } from '../../src/auth/auth-failures.ts';

function limiter(perMinute = 3) {
  let now = 1_000_000;
  const failures = createAuthFailures({ perMinute, now: () => now });
  return {
    /** One authentication with a key that is not found; answers the seconds to wait (0: it was looked up). */
    unknown: (ip: string, key = `k${Math.random()}`) => {
      const attempt = failures.attempt(ip, key);
      attempt.settle(false);
      return attempt.retryAfterSeconds;
    },
    found: (ip: string, key: string) => {
      const attempt = failures.attempt(ip, key);
      attempt.settle(true);
      return attempt.retryAfterSeconds;
    },
    attempt: failures.attempt,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('failed storefront authentications per address', () => {
  it('look up perMinute unknown keys, then answer the seconds to the end of the window', () => {
    const l = limiter(3);
    expect([1, 2, 3].map(() => l.unknown('203.0.113.7'))).toEqual([0, 0, 0]);
    expect(l.unknown('203.0.113.7')).toBe(60);
    l.advance(45_500);
    expect(l.unknown('203.0.113.7')).toBe(15);
    // Another address has its own allowance.
    expect(l.unknown('198.51.100.1')).toBe(0);
    l.advance(14_500);
    expect(l.unknown('203.0.113.7')).toBe(0);
  });

  it('take the try before the lookup, so parallel requests cannot overrun the allowance', () => {
    const l = limiter(2);
    const inFlight = [1, 2, 3, 4].map((i) => l.attempt('203.0.113.7', `key-${i}`));
    expect(inFlight.map((a) => a.retryAfterSeconds)).toEqual([0, 0, 60, 60]);
  });

  it('give the try back when the key was found, and let known keys through a throttled address', () => {
    const l = limiter(2);
    for (let i = 0; i < 10; i++) expect(l.found('203.0.113.7', 'good-key')).toBe(0);
    expect([l.unknown('203.0.113.7'), l.unknown('203.0.113.7'), l.unknown('203.0.113.7')]).toEqual([
      0, 0, 60,
    ]);
    // Seen active before: looked up (revocation included), whoever else sends from that address.
    expect(l.found('203.0.113.7', 'good-key')).toBe(0);
    // A good key never seen before waits like any other.
    expect(l.found('203.0.113.7', 'new-key')).toBe(60);
  });

  it('forget a known key as soon as a lookup does not find it (revoked), and count it', () => {
    const l = limiter(1);
    expect(l.found('203.0.113.7', 'key')).toBe(0);
    expect(l.unknown('203.0.113.7', 'key')).toBe(0);
    expect(l.unknown('203.0.113.7', 'key')).toBe(60);
  });

  it('count IPv6 clients by their /64 and IPv4-mapped clients by their IPv4 address', () => {
    const l = limiter(2);
    expect(l.unknown('2001:db8:1:2::1')).toBe(0);
    expect(l.unknown('2001:db8:1:2:ffff:ffff:ffff:ffff')).toBe(0);
    expect(l.unknown('2001:0db8:0001:0002:abcd::9')).toBe(60);
    expect(l.unknown('2001:db8:1:3::1')).toBe(0);
    expect(l.unknown('::ffff:203.0.113.7')).toBe(0);
    expect(l.unknown('203.0.113.7')).toBe(0);
    expect(l.unknown('::ffff:203.0.113.7')).toBe(60);
  });
});
