import Fastify, { type FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { app } from '../src/app.ts';
import { loggerOptions } from '../src/logger.ts';
import { serverOptions } from '../src/server-options.ts';
import { testConfig } from './helpers.ts';

// The api as server.ts builds it (its options and log settings), logging into this test. Nothing here reaches
// Postgres or Redis: every request below is answered before either would be.
let api: FastifyInstance;
let lines: Array<Record<string, unknown>> = [];
const ADMIN = { authorization: 'Bearer test-admin-token-0123456789' };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

beforeAll(async () => {
  const stream = { write: (line: string) => lines.push(JSON.parse(line)) };
  api = Fastify({ ...serverOptions, logger: { ...loggerOptions('info'), stream } });
  const config = testConfig({
    DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none',
    REDIS_URL: 'redis://127.0.0.1:1',
    EXACT_WEBHOOK_SECRET: 'webhook-secret',
  });
  await api.register(fp(app), { config });
  await api.ready();
});

beforeEach(() => {
  lines = [];
});

afterAll(async () => {
  await api?.close();
});

describe('X-Request-Id', () => {
  it('is the one the caller sent when it is well-formed', async () => {
    for (const id of ['shop-42', 'a1b2c3.d4:e5/f6+g7=', `lb-${'x'.repeat(97)}`]) {
      const res = await api.inject({ url: '/health/live', headers: { 'x-request-id': id } });
      expect(res.headers['x-request-id'], id).toBe(id);
    }
  });

  it('is made anew when the caller sent none, or one that is not well-formed', async () => {
    const seen = new Set<string>();
    for (const id of [undefined, '', 'has space', 'x'.repeat(101), '<script>', 'a,b', 'é']) {
      const res = await api.inject({
        url: '/health/live',
        headers: id === undefined ? {} : { 'x-request-id': id },
      });
      const answered = String(res.headers['x-request-id']);
      expect(answered, String(id)).toMatch(UUID);
      seen.add(answered);
    }
    expect(seen.size).toBe(7);
  });

  it('is on every answer: refusals, validation errors, unknown routes and requests Fastify refuses itself', async () => {
    const answers = [
      await api.inject({ url: '/v1/items', headers: { 'x-request-id': 'r-401' } }),
      await api.inject({
        url: '/v1/connections/nope/status',
        headers: { ...ADMIN, 'x-request-id': 'r-400' },
      }),
      await api.inject({ url: '/no/such/route', headers: { 'x-request-id': 'r-404' } }),
      await api.inject({ url: '/v1/items/%E0%A4%A', headers: { 'x-request-id': 'r-bad-url' } }),
    ];
    expect(answers.map((res) => [res.statusCode, res.headers['x-request-id']])).toEqual([
      [401, 'r-401'],
      [400, 'r-400'],
      [404, 'r-404'],
      [400, 'r-bad-url'],
    ]);
  });

  it('is in every log line of its request, as `requestId`', async () => {
    const res = await api.inject({
      method: 'POST',
      url: '/webhooks/exact',
      headers: { 'x-request-id': 'trace-me-1', 'content-type': 'application/json' },
      payload: `{"HashCode": "${'0'.repeat(64)}", "Content": {"Topic": "Items", "Division": 1}}`,
    });
    expect(res.statusCode).toBe(401);
    const mine = lines.filter((line) => line.requestId === 'trace-me-1').map((line) => line.msg);
    expect(mine).toEqual([
      'incoming request',
      'webhook refused: HashCode does not match',
      'request completed',
    ]);
    expect(lines.filter((line) => line.requestId === undefined)).toEqual([]);
  });
});
