import { Writable } from 'node:stream';
import { openDatabase } from '@exact-sync/db';
import { ExactValidationError } from '@exact-sync/exact';
import { createTestDatabase, type TestDatabase } from '@exact-sync/testkit';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createLogger } from '../src/logger.ts';

// Real errors from Postgres (through Drizzle and straight from postgres.js) and from the Exact client, all quoting
// a customer's data, logged every way the worker logs errors at its most talkative level.
const MARK = 'PII-MARK-jane.doe@example.com';

let testDb: TestDatabase;
let handle: ReturnType<typeof openDatabase>;

beforeAll(async () => {
  testDb = await createTestDatabase('worker_log_safety');
  handle = openDatabase(testDb.url, { max: 1 });
  await handle.sql`create table pii_probe (note text constraint pii_probe_note check (note not like '%FAIL%'))`;
});

afterAll(async () => {
  await handle?.close();
  await testDb?.drop();
});

async function caught(run: () => Promise<unknown>): Promise<Error> {
  try {
    await run();
  } catch (error) {
    if (error instanceof Error) return error;
  }
  throw new Error('expected an error');
}

it('logs database and Exact errors by code, constraint, status and endpoint, never the data they quote', async () => {
  const lines: string[] = [];
  const log = createLogger(
    'trace',
    new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    }),
  );
  const violation = await caught(() =>
    handle.db.execute(sql`insert into pii_probe values (${`${MARK} FAIL`})`),
  );
  const badInput = await caught(() => handle.sql`select ${MARK}::int`);
  const exact = new ExactValidationError(`Description '${MARK}' is too long.`, 400, 'salesorder/SalesOrders');
  // The detail Postgres gives is what must stay out: the whole row.
  expect(JSON.stringify(violation.cause, Object.getOwnPropertyNames(violation.cause))).toContain(MARK);

  for (const error of [violation, badInput, exact]) {
    log.error({ err: error }, 'job failed');
    log.warn(error);
    log.info({ error, orderId: 'o-1' });
    log.debug({ err: error });
  }
  log.warn({ err: violation.message }, 'as text');
  log.info({ order: { customer: { name: MARK }, note: MARK, email: MARK } }, 'a whole order');

  const output = lines.join('');
  expect(lines.length).toBe(14);
  expect(output).not.toContain(MARK);
  expect(output).toContain('"constraint":"pii_probe_note"');
  expect(output).toContain('"code":"23514"');
  expect(output).toContain('"code":"22P02"');
  expect(output).toContain('"status":400,"endpoint":"salesorder/SalesOrders"');
});
