import {
  createTestDatabase,
  deleteRedisKeys,
  type TestDatabase,
  testRedisUrl,
  uniqueName,
} from '@exact-sync/testkit';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, seedConnection, testConfig } from '../helpers.ts';
import { ADMIN } from '../onboarding.ts';

// Attack: an operator (or whoever holds the admin token) points a channel's callbackUrl into the service's own
// network, so that the worker's order callbacks probe or reach internal services (SSRF).
const PUBLIC_HOOK = 'https://93.184.215.14/orders';
const INTERNAL: ReadonlyArray<readonly [url: string, reason: RegExp]> = [
  [
    'https://127.0.0.1/hook',
    /^127\.0\.0\.1 \(loopback\) is not a public address \(unless CALLBACK_ALLOW_PRIVATE=true\)$/,
  ],
  ['https://10.20.30.40:8443/hook', /^10\.20\.30\.40 \(private-use\)/],
  ['https://169.254.169.254/latest/meta-data/', /^169\.254\.169\.254 \(link-local\)/],
  ['https://[::1]/hook', /^::1 \(loopback\)/],
  ['https://[::ffff:192.168.1.1]/hook', /\(IPv4-mapped private-use\)/],
  // A name is resolved (here through /etc/hosts) and judged by its addresses.
  [
    'https://localhost/hook',
    /^host localhost resolves to (127\.0\.0\.1|::1) \(loopback\), not a public address/,
  ],
  ['http://93.184.215.14/hook', /^must be an https:\/\/ URL \(unless CALLBACK_ALLOW_HTTP=true\)$/],
];

let db: TestDatabase;
let strict: FastifyInstance;
let lenient: FastifyInstance;
let connectionId: string;
const prefix = uniqueName('callbacks');

const patch = (api: FastifyInstance, channels: Record<string, unknown>) =>
  api.inject({
    method: 'PATCH',
    url: `/v1/connections/${connectionId}`,
    headers: ADMIN,
    payload: { channels },
  });
const storedChannels = async () =>
  (await strict.inject({ url: '/v1/connections', headers: ADMIN }))
    .json<{ data: { id: string; channels: unknown }[] }>()
    .data.find((c) => c.id === connectionId)?.channels;

beforeAll(async () => {
  db = await createTestDatabase('api_callback_targets');
  const base = { DATABASE_URL: db.url, REDIS_URL: testRedisUrl(), REDIS_PREFIX: prefix };
  [strict, lenient] = await Promise.all([
    buildApp(testConfig(base)),
    buildApp(testConfig({ ...base, CALLBACK_ALLOW_HTTP: 'true', CALLBACK_ALLOW_PRIVATE: 'true' })),
  ]);
  ({ connectionId } = await seedConnection(strict, {
    b2b: { callbackUrl: PUBLIC_HOOK },
    b2c: { defaultAccountCode: 'CONSUMERS', callbackUrl: PUBLIC_HOOK },
  }));
});

afterAll(async () => {
  await Promise.all([strict?.close(), lenient?.close()]);
  await db?.drop();
  await deleteRedisKeys(`{${prefix}}`);
});

describe('channel callback URLs', () => {
  it.each(INTERNAL)('are refused when they point inward: %s', async (url, reason) => {
    const before = await storedChannels();
    const res = await patch(strict, { b2b: { callbackUrl: url } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({
      code: 'validation_failed',
      details: [{ field: 'body.channels.b2b.callbackUrl', message: expect.stringMatching(reason) }],
    });
    expect(await storedChannels()).toEqual(before);
  });

  it('name the channel, and refuse a host that does not resolve', async () => {
    const b2c = await patch(strict, { b2c: { defaultAccountCode: 'WEB', callbackUrl: 'https://10.0.0.1/' } });
    expect(b2c.json().error.details).toEqual([
      { field: 'body.channels.b2c.callbackUrl', message: expect.stringMatching(/private-use/) },
    ]);
    const nowhere = await patch(lenient, { b2b: { callbackUrl: 'https://callbacks.invalid/hook' } });
    expect(nowhere.statusCode).toBe(400);
    expect(nowhere.json().error.details[0].message).toMatch(/^host callbacks\.invalid does not resolve/);
  });

  it('are taken when https and public', async () => {
    for (const url of [PUBLIC_HOOK, 'https://[2606:4700::6810:84e5]:8443/orders?shop=nl']) {
      const res = await patch(strict, { b2b: { callbackUrl: url } });
      expect(res.statusCode, url).toBe(200);
      expect(res.json().channels.b2b).toEqual({ callbackUrl: url });
    }
  });

  it.each(INTERNAL)('are taken with CALLBACK_ALLOW_HTTP and CALLBACK_ALLOW_PRIVATE: %s', async (url) => {
    const res = await patch(lenient, { b2b: { callbackUrl: url } });
    expect(res.statusCode).toBe(200);
    expect(res.json().channels.b2b).toEqual({ callbackUrl: url });
  });
});
