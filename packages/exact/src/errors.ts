/**
 * The errors the Exact client throws. Each has a stable `name` so workers and the API can map them without
 * `instanceof` across module copies. Messages carry Exact's own text and the endpoint, never a token.
 */

/** Base of every error that carries an HTTP status from Exact. */
class ExactHttpError extends Error {
  override readonly name: string = 'ExactHttpError';
  constructor(
    message: string,
    /** HTTP status Exact answered. */
    readonly status: number,
    /** The endpoint (`service/Entity`) that answered. */
    readonly endpoint: string,
  ) {
    super(message);
  }
}

/** 400 (and other unexpected 4xx): Exact refused the request; `message` is Exact's text. Permanent. */
export class ExactValidationError extends ExactHttpError {
  override readonly name = 'ExactValidationError';
}

/** 401: the access token was refused even after one refresh. */
export class ExactAuthError extends ExactHttpError {
  override readonly name = 'ExactAuthError';
}

/** 403: not allowed (missing rights, or an endpoint Exact blocked after too many errors). */
export class ExactForbiddenError extends ExactHttpError {
  override readonly name = 'ExactForbiddenError';
}

/** 404: the record or endpoint does not exist. */
export class ExactNotFoundError extends ExactHttpError {
  override readonly name = 'ExactNotFoundError';
}

/** 429 that reached a caller which cannot wait (calls outside the governor, e.g. `current/Me`). */
export class ExactRateLimitedError extends ExactHttpError {
  override readonly name = 'ExactRateLimitedError';
  constructor(
    message: string,
    endpoint: string,
    /** Epoch ms when Exact's window resets, from the headers (else the next minute boundary). */
    readonly until: number,
  ) {
    super(message, 429, endpoint);
  }
}

/** 5xx or an unreadable success body. Ambiguous for POSTs: the request may have been applied. */
export class ExactServerError extends ExactHttpError {
  override readonly name = 'ExactServerError';
}

/** Timeout, connection reset or refused: no answer. Ambiguous for POSTs. */
export class ExactNetworkError extends Error {
  override readonly name = 'ExactNetworkError';
  constructor(
    message: string,
    readonly endpoint: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * A 2xx whose body does not have the shape Exact documents. Ambiguous: a POST that got one was probably applied.
 */
export class UnexpectedBodyError extends Error {
  override readonly name = 'UnexpectedBodyError';
}

/** Why the governor refused a call. */
export type BudgetReason = 'minute' | 'day' | 'pacing' | 'orders-waiting';

/** The rate budget has no call for this lane before `until` (epoch ms). A sync job should be delayed until then. */
export class BudgetExhaustedError extends Error {
  override readonly name = 'BudgetExhaustedError';
  constructor(
    readonly until: number,
    readonly reason: BudgetReason,
  ) {
    super(`Exact rate budget exhausted (${reason}) until ${new Date(until).toISOString()}`);
  }
}

/** The error guard holds this endpoint until `until`, so Exact's hourly error block is never reached. */
export class EndpointGuardedError extends Error {
  override readonly name = 'EndpointGuardedError';
  constructor(
    readonly endpoint: string,
    readonly until: number,
  ) {
    super(`Endpoint ${endpoint} paused after repeated errors until ${new Date(until).toISOString()}`);
  }
}

/**
 * True when the outcome of the request is unknown (5xx, timeout, reset, an unreadable 2xx): look a POST up before
 * repeating it.
 * @internal the worker looks an order up after any earlier attempt instead; tests use this
 */
export function isAmbiguous(err: unknown): boolean {
  return (
    err instanceof ExactServerError || err instanceof ExactNetworkError || err instanceof UnexpectedBodyError
  );
}

/** True when repeating the same request cannot succeed (400, 403, 404 and other validation refusals). */
export function isPermanent(err: unknown): boolean {
  return (
    err instanceof ExactValidationError ||
    err instanceof ExactForbiddenError ||
    err instanceof ExactNotFoundError
  );
}
