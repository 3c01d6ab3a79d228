import { z } from 'zod';

/** One refused field of a request, as the 400 `validation_failed` lists them. */
const fieldErrorSchema = z
  .object({
    field: z.string().describe('where the field is: `body.lines.2.sku`, `querystring.limit`, `params.id`'),
    message: z.string().describe('why it was refused'),
  })
  .meta({ id: 'FieldError' });

const errorCode = z.string().describe('stable, for programs to branch on: `not_found`, `order_conflict`, …');
const errorMessage = z.string().describe('for people: what went wrong and what to do');

/** Every error answer: `{"error": {"code", "message", "details"?}}`. */
const errorSchema = z
  .object({
    error: z.object({
      code: errorCode,
      message: errorMessage,
      details: z.unknown().optional().describe('more about the error, when the code has more to say'),
    }),
  })
  .meta({ id: 'Error', description: 'An error: a stable `code` and a message for people.' });

/** A 400: the error shape, with every refused field in `details` when the input broke a rule. */
const validationErrorSchema = z
  .object({
    error: z.object({
      code: errorCode.describe(
        '`validation_failed` when a field broke a rule (then `details` lists every one); otherwise the ' +
          'reason the request could not be read (e.g. `invalid_json`)',
      ),
      message: errorMessage,
      details: z.array(fieldErrorSchema).optional().describe('every refused field, with its reason'),
    }),
  })
  .meta({ id: 'ValidationError', description: 'A request that broke the input rules.' });

/** A JSON answer: its schema (named, so it is a component of the document) and what it means. */
export function json<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { 'application/json': { schema } } };
}

/** An answer without a body (204; or a redirect, whose target is in `Location`). */
export function empty(description: string) {
  return z.null().describe(description);
}

const FAILURES = {
  400: 'The request broke the input rules: `validation_failed` names every bad field in `details`.',
  401: 'Credentials missing, unknown or revoked (`unauthorized`).',
  403: 'This key may not read this (`forbidden`).',
  404: 'Not found (`not_found`).',
  409: 'In conflict with the current state.',
  422: 'Well-formed, but not something this service can do now.',
  429: 'Too many requests: wait `Retry-After` seconds (`rate_limited`).',
  502: 'Exact Online did not answer as it should.',
  503: 'A service this request needs is unavailable: try again shortly.',
} as const;
export type FailureStatus = keyof typeof FAILURES;

/** An error answer: the error shape (with field details for a 400) and what it means on this route. */
export function failure(status: FailureStatus, description: string = FAILURES[status]) {
  return json(status === 400 ? validationErrorSchema : errorSchema, description);
}

/**
 * The error answers of a route, each with what it means there: `true` takes the usual words for the status.
 * `failures({ 404: 'No such order for this key', 409: true })`.
 */
export function failures<L extends Partial<Record<FailureStatus, string | true>>>(list: L) {
  const entries = Object.entries(list).map(([status, text]) => {
    const code = Number(status) as FailureStatus;
    return [status, failure(code, typeof text === 'string' ? text : FAILURES[code])] as const;
  });
  return Object.fromEntries(entries) as { [S in keyof L]: ReturnType<typeof failure> };
}
