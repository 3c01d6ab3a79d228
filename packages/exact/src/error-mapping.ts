import {
  ExactAuthError,
  ExactForbiddenError,
  ExactNotFoundError,
  ExactServerError,
  ExactValidationError,
} from './errors.ts';
import { exactErrorMessage } from './odata.ts';

/** Parses a body as JSON; undefined when it is empty or not JSON (Exact's 429s and some 5xx have no JSON). */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

const MAX_MESSAGE = 500;

/** Exact's own message, else a short, single-line excerpt of the body (Exact never echoes our token). */
function describe(body: string): string {
  const message = exactErrorMessage(parseJsonBody(body));
  if (message !== null) return message.slice(0, MAX_MESSAGE);
  const excerpt = body.replace(/\s+/g, ' ').trim().slice(0, 200);
  return excerpt === '' ? '(no message)' : excerpt;
}

/**
 * Maps a non-2xx answer (other than 429, which the governor handles) to the client's typed errors. Any 4xx that is
 * not 401/403/404 is a validation refusal; anything else unexpected is a server error, ambiguous for POSTs.
 */
export function errorForResponse(status: number, body: string, method: string, endpoint: string): Error {
  const text = describe(body);
  const where = `${method} ${endpoint}`;
  if (status === 401)
    return new ExactAuthError(`Exact refused the access token (${where}): ${text}`, status, endpoint);
  if (status === 403) return new ExactForbiddenError(`Exact forbids ${where}: ${text}`, status, endpoint);
  if (status === 404)
    return new ExactNotFoundError(`Exact found nothing at ${where}: ${text}`, status, endpoint);
  if (status >= 400 && status < 500) return new ExactValidationError(text, status, endpoint);
  return new ExactServerError(`Exact answered ${status} to ${where}: ${text}`, status, endpoint);
}
