import { randomUUID } from 'node:crypto';
import { type Job, UnrecoverableError } from 'bullmq';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { processorFor } from '../src/jobs/dispatch.ts';
import type { HandlerMap } from '../src/jobs/handler.ts';

const MARK = 'PII-MARK-Jane-Doe';

/** Shaped like Drizzle's DrizzleQueryError around postgres.js's PostgresError: both quote the row's values. */
function drizzleError(): Error {
  const cause = new Error(`value too long for type character varying(20): "${MARK}"`);
  Object.assign(cause, {
    name: 'PostgresError',
    code: '22001',
    detail: `Failing row contains (${MARK}).`,
    table_name: 'accounts',
    routine: 'varchar',
  });
  const error = new Error(`Failed query: insert into "accounts" ("name") values ($1)\nparams: ${MARK}`, {
    cause,
  });
  Object.assign(error, { query: 'insert into "accounts" ("name") values ($1)', params: [MARK] });
  return error;
}

/** The sync queue's processor with one handler that throws `error`. */
function failingWith(error: Error): (job: Job) => Promise<void> {
  const handlers = {
    'sync.entity': async () => {
      throw error;
    },
  } as unknown as HandlerMap;
  return processorFor('sync', handlers, pino({ level: 'silent' }));
}

const job = {
  name: 'sync.entity',
  id: '1',
  data: { connectionId: randomUUID(), entity: 'accounts' },
  attemptsMade: 0,
  opts: {},
} as unknown as Job;

async function thrown(run: Promise<void>): Promise<Error> {
  try {
    await run;
  } catch (error) {
    return error as Error;
  }
  throw new Error('the processor did not throw');
}

describe('a failed job as BullMQ keeps it', () => {
  it("carries no value of the query or the row in its reason or stack, only Postgres' code and names", async () => {
    const error = await thrown(failingWith(drizzleError())(job));
    expect(error.message).toBe(
      'database error 22001 in table accounts (varchar); query: insert into "accounts" ("name") values ($1)',
    );
    expect(`${error.message}\n${error.stack}`).not.toContain(MARK);
    expect(error.stack).toContain('dispatch.test.ts');
    // The original stays as the cause, for the worker's log, which names a Postgres error by its codes only.
    expect(error.cause).toBeInstanceOf(Error);
  });

  it('stays unrecoverable, so BullMQ does not retry what can never succeed', async () => {
    const unrecoverable = new UnrecoverableError(`Failed query: select 1\nparams: ${MARK}`);
    const error = await thrown(failingWith(unrecoverable)(job));
    expect(error).toBeInstanceOf(UnrecoverableError);
    expect(error.message).toBe('Failed query: select 1\nparams: [not logged]');
  });

  it('passes a harmless error on as it is', async () => {
    const plain = new Error('Exact answered 503 on sync/CRM/Accounts');
    expect(await thrown(failingWith(plain)(job))).toBe(plain);
  });
});
