/** An error the API answers with a 4xx and a stable code; anything else becomes a 500 without details. */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new HttpError(404, 'not_found', `${what} not found`);
export const unauthorized = (message = 'missing or invalid credentials') =>
  new HttpError(401, 'unauthorized', message);

/** One refused field of a request: where it is (`body.lines.0.sku`) and why. */
export interface FieldError {
  field: string;
  message: string;
}

/** The 400 of every validation failure: each bad field named with its reason, in the message and in `details`. */
export const invalidFields = (details: FieldError[]) =>
  new HttpError(400, 'validation_failed', details.map((d) => `${d.field}: ${d.message}`).join('; '), details);

/** A 400 shaped like a schema validation failure, for rules a schema cannot state (e.g. ones from config). */
export const invalidField = (field: string, message: string) => invalidFields([{ field, message }]);
