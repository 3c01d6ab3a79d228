import { describe, expect, it } from 'vitest';
import { argsForLog, errorForLog, errorSummary, fieldsForLog } from '../src/index.ts';

const MARK = 'PII-MARK-Jane-Doe';

/** Shaped like postgres.js's PostgresError: its message and detail quote the row. */
function postgresError(): Error {
  const error = new Error(`value too long: "${MARK}"`);
  Object.assign(error, {
    name: 'PostgresError',
    code: '23514',
    severity: 'ERROR',
    detail: `Failing row contains (${MARK}, jane@example.com).`,
    where: `SQL function with ${MARK}`,
    constraint_name: 'orders_note_check',
    table_name: 'orders',
    column_name: 'note',
    routine: 'ExecConstraints',
  });
  return error;
}

/** Shaped like Drizzle's DrizzleQueryError: every parameter in its message, the Postgres error as its cause. */
function drizzleError(): Error {
  const error = new Error(`Failed query: insert into "orders" ("note") values ($1)\nparams: ${MARK}`, {
    cause: postgresError(),
  });
  Object.assign(error, { query: 'insert into "orders" ("note") values ($1)', params: [MARK] });
  return error;
}

/** Shaped like the Exact client's ExactValidationError: Exact's message can echo the order. */
function exactError(): Error {
  const error = new Error(`Description: '${MARK}' is not valid.`);
  Object.assign(error, { name: 'ExactValidationError', status: 400, endpoint: 'salesorder/salesorders' });
  return error;
}

const text = (value: unknown) => JSON.stringify(value);

describe('errorForLog', () => {
  it('keeps a Postgres error to its code, constraint, table, column and routine', () => {
    expect(errorForLog(postgresError())).toEqual({
      type: 'PostgresError',
      code: '23514',
      constraint: 'orders_note_check',
      table: 'orders',
      column: 'note',
      routine: 'ExecConstraints',
    });
  });

  it("keeps Drizzle's wrapper to its query text (placeholders, not values) and its cause", () => {
    const logged = errorForLog(drizzleError());
    expect(logged).toMatchObject({
      type: 'DrizzleQueryError',
      query: 'insert into "orders" ("note") values ($1)',
      cause: { type: 'PostgresError', constraint: 'orders_note_check' },
    });
    expect(text(logged)).not.toContain(MARK);
  });

  it("keeps an Exact error to its type, status and endpoint, without Exact's message", () => {
    const logged = errorForLog(exactError());
    expect(logged).toMatchObject({
      type: 'ExactValidationError',
      status: 400,
      endpoint: 'salesorder/salesorders',
    });
    expect(text(logged)).not.toContain(MARK);
  });

  it('keeps other errors, minus the input a JSON syntax error quotes, and follows causes', () => {
    let syntax: unknown;
    try {
      JSON.parse(`${MARK} is not JSON`);
    } catch (error) {
      syntax = error;
    }
    const logged = errorForLog(new Error('could not submit', { cause: syntax }));
    expect(logged).toMatchObject({
      type: 'Error',
      message: 'could not submit',
      cause: { type: 'SyntaxError' },
    });
    expect(text(logged)).not.toContain(MARK);
    expect(text(errorForLog(new TypeError('x is undefined')))).toContain('x is undefined');
  });

  it('leaves what is not an error alone', () => {
    expect(errorForLog('text')).toBe('text');
    expect(errorForLog({ a: 1 })).toEqual({ a: 1 });
  });
});

describe('fieldsForLog and argsForLog', () => {
  it('apply the rules to every field of a line, whatever its key, and to query parameters in strings', () => {
    const fields = fieldsForLog({ error: drizzleError(), err: drizzleError().message, orderId: 'o-1' });
    expect(text(fields)).not.toContain(MARK);
    expect(fields.orderId).toBe('o-1');
    expect(fields.err).toContain('Failed query: insert into "orders"');
  });

  it("give an error logged on its own its type as the message (a logger would use the error's message)", () => {
    const error = exactError();
    expect(argsForLog([error])).toEqual([{ err: error }, 'ExactValidationError']);
    expect(argsForLog([{ err: error }])).toEqual([{ err: error }, 'ExactValidationError']);
    expect(argsForLog([{ err: error }, 'order failed'])).toEqual([{ err: error }, 'order failed']);
    expect(text(argsForLog([drizzleError().message]))).not.toContain(MARK);
    expect(argsForLog([{ a: 1 }])).toEqual([{ a: 1 }]);
  });
});

describe('errorSummary', () => {
  it("says a Postgres error by its code and names, and Drizzle's wrapper by its cause and query text", () => {
    expect(errorSummary(postgresError())).toBe(
      'database error 23514 on constraint orders_note_check in table orders column note (ExecConstraints)',
    );
    const summary = errorSummary(drizzleError());
    expect(summary).toContain('database error 23514 on constraint orders_note_check');
    expect(summary).toContain('query: insert into "orders" ("note") values ($1)');
    expect(summary).not.toContain(MARK);
  });

  it("keeps Exact's message, which says what to fix, and cuts what JSON.parse quotes of its input", () => {
    expect(errorSummary(exactError())).toBe(`Description: '${MARK}' is not valid.`);
    const syntax = new SyntaxError(`Unexpected token in JSON at position 3: "{${MARK}"`);
    expect(errorSummary(syntax)).not.toContain(MARK);
    expect(errorSummary('plain text')).toBe('plain text');
  });
});
