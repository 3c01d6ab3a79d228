import { Writable } from 'node:stream';
import {
  createTestDatabase,
  deleteRedisKeys,
  type TestDatabase,
  testRedisUrl,
  uniqueName,
} from '@exact-sync/testkit';
import { sql } from 'drizzle-orm';
import Fastify, { type FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { app } from '../src/app.ts';
import { loggerOptions } from '../src/logger.ts';
import { seedConnection, testConfig } from './helpers.ts';

// An order that passes validation but that the database refuses (a check constraint added here stands for any
// constraint or database fault): the 500's log line names the constraint, never the order's personal data.
const MARK = 'PII-MARK-api';

let db: TestDatabase;
let api: FastifyInstance;
const lines: string[] = [];
const prefix = uniqueName('api_log_safety');

beforeAll(async () => {
  db = await createTestDatabase('api_log_safety');
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  api = Fastify({ logger: { ...loggerOptions('trace'), stream } });
  await api.register(fp(app), {
    config: testConfig({ DATABASE_URL: db.url, REDIS_URL: testRedisUrl(), REDIS_PREFIX: prefix }),
  });
  await api.ready();
  await api.database.db.execute(
    sql`alter table orders add constraint orders_probe check (note is null or note not like '%FAIL%')`,
  );
});

afterAll(async () => {
  await api?.close();
  await deleteRedisKeys(`{${prefix}}`);
  await db?.drop();
});

it('logs a database error by code and constraint, without the values of the row', async () => {
  const { keys } = await seedConnection(api);
  const res = await api.inject({
    method: 'POST',
    url: `/v1/orders?debug=${MARK}-query`,
    headers: { authorization: `Bearer ${keys.b2c}` },
    payload: {
      reference: 'LOG-1',
      customer: {
        name: `${MARK}-name`,
        email: 'pii-mark-api@example.com',
        address: { line1: `${MARK}-line1`, postcode: `${MARK}-pc`, city: `${MARK}-city`, country: 'NL' },
      },
      lines: [{ sku: 'SKU-1', quantity: '1' }],
      note: `${MARK}-note FAIL`,
    },
  });
  expect(res.statusCode).toBe(500);
  expect(res.body).not.toContain(MARK);
  const output = lines.join('');
  expect(output).toContain('"msg":"request failed"');
  expect(output).toContain('"constraint":"orders_probe"');
  expect(output).toContain('"code":"23514"');
  expect(output.toLowerCase()).not.toContain('pii-mark');
});
