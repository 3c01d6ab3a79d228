import { InvalidCursorError } from '@exact-sync/db';
import {
  ConnectionNotAuthorizableError,
  ConnectionNotFoundError,
  DivisionMismatchError,
  OAuthRequestError,
  TokenRefreshFailedError,
} from '@exact-sync/exact';
import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { SignedLinkError } from '../connections/signed-links.ts';
import { HttpError } from '../errors.ts';

interface FieldError {
  field: string;
  message: string;
}

/** The status and body of an error answer. */
interface ErrorAnswer {
  status: number;
  code: string;
  message: string;
  details?: unknown;
}

interface ErrorRule<E extends Error> {
  type: abstract new (...args: never[]) => E;
  answer: (error: E) => ErrorAnswer;
}

const rule = <E extends Error>(
  type: ErrorRule<E>['type'],
  answer: ErrorRule<E>['answer'],
): ErrorRule<Error> => ({ type, answer: (error) => answer(error as E) });

/**
 * Every error the routes let through, and its answer: the one place where a domain error becomes a status and a
 * code. Routes throw; they never format an error themselves.
 */
const ERROR_MAP: readonly ErrorRule<Error>[] = [
  rule(HttpError, (e) => ({ status: e.statusCode, code: e.code, message: e.message, details: e.details })),
  // A cursor is a query parameter: answered like a schema failure that names it.
  rule(InvalidCursorError, (e) => ({
    status: 400,
    code: 'validation_failed',
    message: `querystring.cursor: ${e.message}`,
    details: [{ field: 'querystring.cursor', message: e.message }],
  })),
  // Authorize links and OAuth states: the signature is the credential, so a bad one is a 401 with its own code.
  rule(SignedLinkError, (e) => ({ status: 401, code: e.code, message: e.message })),
  // The rest can only come from finishing an authorization: answers a person in the browser can act on.
  rule(ConnectionNotFoundError, () => ({ status: 404, code: 'not_found', message: 'connection not found' })),
  rule(ConnectionNotAuthorizableError, (e) => ({
    status: 409,
    code: 'connection_already_authorized',
    message: e.message,
  })),
  rule(DivisionMismatchError, (e) => ({ status: 409, code: 'division_mismatch', message: e.message })),
  rule(OAuthRequestError, (e) => ({
    status: 400,
    code: 'code_exchange_failed',
    message: `Exact refused the authorization (${e.error}); start again from a new authorize link`,
  })),
  rule(TokenRefreshFailedError, (e) => ({
    status: 502,
    code: 'exact_unavailable',
    message: `could not finish the authorization: ${e.message}`,
  })),
];

const answerTo = (error: Error): ErrorAnswer | undefined =>
  ERROR_MAP.find((r) => error instanceof r.type)?.answer(error);

/**
 * The one error handler: validation failures name every bad field, domain errors get their answer from the map
 * above, Fastify's own 4xx (body too large, bad JSON) keep their code, and everything else is a 500 whose details
 * stay in the log.
 */
async function errorsPlugin(app: FastifyInstance): Promise<void> {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (hasZodFastifySchemaValidationErrors(error)) {
      const where = error.validationContext ?? 'body';
      const details: FieldError[] = error.validation.map((v) => ({
        field: [where, ...v.instancePath.split('/').filter(Boolean)].join('.'),
        message: v.message ?? 'is invalid',
      }));
      const summary = details.map((d) => `${d.field}: ${d.message}`).join('; ');
      return reply.code(400).send({ error: { code: 'validation_failed', message: summary, details } });
    }
    const answer = answerTo(error);
    if (answer) {
      const { status, ...body } = answer;
      return reply.code(status).send({ error: body });
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const code = (error.code ?? 'bad_request').toLowerCase().replace(/^fst_err_/, '');
      return reply.code(status).send({ error: { code, message: error.message } });
    }
    request.log.error({ err: error }, 'request failed');
    return reply.code(500).send({ error: { code: 'internal', message: 'internal error' } });
  });

  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({
      error: { code: 'not_found', message: `no route ${request.method} ${request.url.split('?')[0]}` },
    }),
  );
}

export default fp(errorsPlugin, { name: 'errors' });
