import { randomBytes } from 'node:crypto';
import { findActiveApiKey } from '@exact-sync/db';
import {
  createTestDatabase,
  deleteRedisKeys,
  type TestDatabase,
  testRedisUrl,
  uniqueName,
} from '@exact-sync/testkit';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildApp, seedConnection, testConfig } from '../helpers.ts';
import { ADMIN } from '../onboarding.ts';

// Every storefront key lookup goes through this repository function: wrapped, it counts them.
vi.mock('@exact-sync/db', async (importOriginal) => {
  const db = await importOriginal<typeof import('@exact-sync/db')>();
  return { ...db, findActiveApiKey: vi.fn(db.findActiveApiKey) };
});
const lookups = vi.mocked(findActiveApiKey);

const ALLOWANCE = 30; // AUTH_FAILURES_PER_MINUTE's default
const ATTACKER = '203.0.113.66';
const SHOP = '198.51.100.20';

let db: TestDatabase;
let api: FastifyInstance;
let shop: Awaited<ReturnType<typeof seedConnection>>;
const prefix = uniqueName('storefront_keys');

const randomKey = () => `exs_${randomBytes(24).toString('base64url')}`;
const asKey = (key: string, remoteAddress: string, url = '/v1/items') =>
  api.inject({ url, remoteAddress, headers: { authorization: `Bearer ${key}` } });
/** How many answers had each status. */
function statuses(codes: number[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const code of codes) counts[code] = (counts[code] ?? 0) + 1;
  return counts;
}

beforeAll(async () => {
  db = await createTestDatabase('api_storefront_keys');
  api = await buildApp(testConfig({ DATABASE_URL: db.url, REDIS_URL: testRedisUrl(), REDIS_PREFIX: prefix }));
  shop = await seedConnection(api);
});

beforeEach(() => {
  lookups.mockClear();
});

afterAll(async () => {
  await api?.close();
  await db?.drop();
  await deleteRedisKeys(`{${prefix}}`);
});

describe('revoked storefront keys', () => {
  it('are refused at once, on every storefront route, also where they were just used', async () => {
    const created = await api.inject({
      method: 'POST',
      url: `/v1/connections/${shop.connectionId}/api-keys`,
      headers: ADMIN,
      payload: { channel: 'b2b' },
    });
    const { id, key } = created.json<{ id: string; key: string }>();
    expect((await asKey(key, SHOP)).statusCode).toBe(200);
    await api.inject({ method: 'DELETE', url: `/v1/api-keys/${id}`, headers: ADMIN });
    for (const url of ['/v1/items', '/v1/stock', '/v1/prices', '/v1/accounts', '/v1/orders']) {
      const res = await asKey(key, SHOP, url);
      expect(res.statusCode, url).toBe(401);
      expect(res.json().error).toEqual({ code: 'unauthorized', message: 'unknown or revoked API key' });
    }
    const order = await api.inject({
      method: 'POST',
      url: '/v1/orders',
      remoteAddress: SHOP,
      headers: { authorization: `Bearer ${key}` },
      payload: { reference: 'R-REVOKED', customer: { code: 'C1' }, lines: [{ sku: 'A', quantity: '1' }] },
    });
    expect(order.statusCode).toBe(401);
    expect(await api.database.sql`select 1 from orders where reference = 'R-REVOKED'`).toHaveLength(0);
  });
});

describe('a flood of unknown keys from one address', () => {
  it(`costs at most ${ALLOWANCE} lookups for 1,000 keys, then 429 with Retry-After`, async () => {
    const answers = await Promise.all(Array.from({ length: 1000 }, () => asKey(randomKey(), ATTACKER)));
    expect(statuses(answers.map((a) => a.statusCode))).toEqual({ 401: ALLOWANCE, 429: 1000 - ALLOWANCE });
    expect(lookups.mock.calls.length).toBeLessThanOrEqual(ALLOWANCE);
    const limited = answers.find((a) => a.statusCode === 429);
    expect(limited?.json()).toEqual({
      error: {
        code: 'rate_limited',
        message: expect.stringMatching(/^too many unknown or revoked API keys/),
      },
    });
    const retryAfter = Number(limited?.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
  });

  it('leaves storefronts elsewhere, known keys and the operator alone', async () => {
    expect((await asKey(shop.keys.b2b, SHOP)).statusCode).toBe(200);
    // Seen active just now: let in from the flooding address too (a shared NAT or proxy), from memory...
    expect((await asKey(shop.keys.b2b, ATTACKER)).statusCode).toBe(200);
    // ...while a key that address never showed valid waits like the guesses.
    expect((await asKey(shop.keys.b2c, ATTACKER)).statusCode).toBe(429);
    const operator = await api.inject({ url: '/v1/connections', remoteAddress: ATTACKER, headers: ADMIN });
    expect(operator.statusCode).toBe(200);
    // ...so only its first request looked it up.
    expect(lookups.mock.calls.length).toBe(1);
  });

  it('refuses bearers that cannot be keys without any lookup, and counts them too', async () => {
    const address = '203.0.113.67';
    const junk = ['exs_short', 'x'.repeat(36), `exs_${'a'.repeat(31)}!`, `${randomKey()}=`, 'Basic-ish'];
    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, i) => asKey(junk[i % junk.length] ?? '', address)),
    );
    expect(lookups).not.toHaveBeenCalled();
    expect(statuses(answers.map((a) => a.statusCode))).toEqual({ 401: ALLOWANCE, 429: 100 - ALLOWANCE });
    expect(answers[0]?.json().error.message).toMatch(/^not a storefront API key/);
  });

  it('counts IPv6 clients by their /64, so rotating addresses within it gains nothing', async () => {
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) => asKey(randomKey(), `2001:db8:7:7::${i.toString(16)}`)),
    );
    expect(lookups.mock.calls.length).toBeLessThanOrEqual(ALLOWANCE);
    expect(answers.filter((a) => a.statusCode === 429)).toHaveLength(200 - ALLOWANCE);
  });
});
