/**
 * What a log line may say about an error. Logs travel further than the database (shipped, kept, read by more
 * people), so they carry no personal data and no secret:
 * - a Postgres error by its code, constraint, table, column and routine: its message, detail and `where` can quote
 *   any value of the row (`Failing row contains (…)`), and Drizzle's wrapper quotes every parameter of the query;
 * - an error of Exact's API by its status and endpoint: Exact's message can echo what was sent, e.g. a customer's
 *   name (the order keeps that message as its `statusReason`, where the storefront reads it);
 * - any other error by its type, message and stack, with a query's parameters cut out of the text and JSON syntax
 *   errors without the excerpt of the input they quote.
 * Errors are recognized by their stable `name` and fields, so this module imports neither postgres.js, Drizzle nor
 * the Exact client.
 */
interface LoggedError {
  type: string;
  message?: string;
  code?: string;
  constraint?: string;
  table?: string;
  column?: string;
  routine?: string;
  status?: number;
  endpoint?: string;
  query?: string;
  stack?: string;
  cause?: LoggedError;
}

const MAX_DEPTH = 4;
const MAX_TEXT = 1_000;

type Fields = Record<string, unknown>;

const textOf = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value.slice(0, MAX_TEXT) : undefined;

/** The stack's frames without its first line, which repeats the message. */
const framesOf = (stack: unknown): string | undefined =>
  typeof stack === 'string'
    ? textOf(
        stack
          .split('\n')
          .filter((line) => line.trimStart().startsWith('at '))
          .join('\n'),
      )
    : undefined;

/** Drizzle's "Failed query: …\nparams: …" without the parameters, wherever that text turns up. */
function withoutQueryParams(text: string): string {
  const at = text.indexOf('\nparams: ');
  return at < 0 ? text : `${text.slice(0, at)}\nparams: [not logged]`;
}

const isPostgresError = (e: Error & Fields) => e.name === 'PostgresError' && typeof e.code === 'string';
const isDrizzleQueryError = (e: Error & Fields) =>
  typeof e.query === 'string' && 'params' in e && e.message.startsWith('Failed query');
const isExactHttpError = (e: Error & Fields) =>
  e.name.startsWith('Exact') && typeof e.status === 'number' && typeof e.endpoint === 'string';

function describe(error: Error & Fields, depth: number): LoggedError {
  const stack = framesOf(error.stack);
  if (isPostgresError(error)) {
    return {
      type: 'PostgresError',
      code: textOf(error.code),
      constraint: textOf(error.constraint_name),
      table: textOf(error.table_name),
      column: textOf(error.column_name),
      routine: textOf(error.routine),
    };
  }
  const cause =
    depth < MAX_DEPTH && error.cause instanceof Error
      ? describe(error.cause as Error & Fields, depth + 1)
      : undefined;
  if (isDrizzleQueryError(error)) {
    return { type: 'DrizzleQueryError', query: textOf(error.query), stack, cause };
  }
  if (isExactHttpError(error)) {
    return { type: error.name, status: Number(error.status), endpoint: textOf(error.endpoint), stack, cause };
  }
  let message = withoutQueryParams(error.message);
  // JSON.parse quotes the input it choked on.
  if (error.name === 'SyntaxError') message = message.replace(/"[\s\S]*"/, '"…"');
  return { type: error.name, message: textOf(message), code: textOf(error.code), stack, cause };
}

const postgresSummary = (e: Error & Fields): string =>
  [
    `database error ${textOf(e.code) ?? '?'}`,
    textOf(e.constraint_name) && `on constraint ${textOf(e.constraint_name)}`,
    textOf(e.table_name) && `in table ${textOf(e.table_name)}`,
    textOf(e.column_name) && `column ${textOf(e.column_name)}`,
    textOf(e.routine) && `(${textOf(e.routine)})`,
  ]
    .filter(Boolean)
    .join(' ');

/**
 * An error as one line of text that is kept beside the data (a failed job's reason in BullMQ, a dataset's last
 * error in the sync state): a Postgres error by its code and names, Drizzle's wrapper by its cause and its query's
 * text without the parameters, anything else by its message without a query's parameters or a JSON excerpt.
 * Exact's own message stays: it says what to fix, and the operator sees it beside the record it is about.
 */
export function errorSummary(error: unknown): string {
  if (!(error instanceof Error)) return String(error).slice(0, MAX_TEXT);
  const e = error as Error & Fields;
  if (isPostgresError(e)) return postgresSummary(e);
  if (isDrizzleQueryError(e)) {
    const cause = e.cause instanceof Error ? errorSummary(e.cause) : 'no cause';
    return `${cause}; query: ${(textOf(e.query) ?? '').slice(0, 200)}`;
  }
  const message = withoutQueryParams(e.message);
  return (e.name === 'SyntaxError' ? message.replace(/"[\s\S]*"/, '"…"') : message).slice(0, MAX_TEXT);
}

/** An error as logs may carry it (see the module comment); anything else unchanged. */
export function errorForLog(value: unknown): unknown {
  return value instanceof Error ? describe(value as Error & Fields, 0) : value;
}

/** A log line's top-level fields with the rules above applied to every error and string among them. */
export function fieldsForLog(fields: Record<string, unknown>): Record<string, unknown> {
  const safe: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    safe[key] = typeof value === 'string' ? withoutQueryParams(value) : errorForLog(value);
  }
  return safe;
}

/**
 * The arguments of a logger call with the rules above applied: an error logged on its own gets its type as the
 * message (a logger would use the error's message), and message strings lose a query's parameters.
 */
export function argsForLog(args: readonly unknown[]): unknown[] {
  const [first, second, ...rest] = args;
  const message = typeof second === 'string' ? withoutQueryParams(second) : second;
  if (first instanceof Error) return [{ err: first }, message ?? first.name, ...rest];
  if (typeof first === 'string') return [withoutQueryParams(first), ...args.slice(1)];
  const err = first !== null && typeof first === 'object' && 'err' in first ? first.err : undefined;
  if (err instanceof Error && message === undefined) return [first, err.name, ...rest];
  return args.length < 2 ? [...args] : [first, message, ...rest];
}

/**
 * Keys redacted wherever they appear in a logged object (one level down for `*.`): credentials, and the personal
 * fields of an order, should an order or a request body ever be logged whole. `address` and `body` only one level
 * down: at the top of a line, `address` is where a server listens.
 */
export const LOG_REDACT_PATHS: readonly string[] = [
  'req.headers.authorization',
  'req.headers.cookie',
  ...['access_token', 'refresh_token', 'key', 'secret', 'token', 'password'].map((k) => `*.${k}`),
  ...['customer', 'email', 'note'].flatMap((k) => [k, `*.${k}`]),
  '*.address',
  '*.body',
];
