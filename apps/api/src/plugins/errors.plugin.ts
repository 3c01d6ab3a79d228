import { InvalidCursorError } from '@exact-sync/db';
import {
  ConnectionNotAuthorizableError,
  ConnectionNotFoundError,
  DivisionMismatchError,
  OAuthRequestError,
  TokenRefreshFailedError,
} from '@exact-sync/exact';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { SignedLinkError } from '../connections/signed-links.ts';
import { type FieldError, HttpError, invalidField, invalidFields } from '../errors.ts';

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

const httpAnswer = (e: HttpError): ErrorAnswer => ({
  status: e.statusCode,
  code: e.code,
  message: e.message,
  details: e.details,
});

/**
 * Every error the routes let through, and its answer: the one place where a domain error becomes a status and a
 * code. Routes throw; they never format an error themselves.
 */
const ERROR_MAP: readonly ErrorRule<Error>[] = [
  rule(HttpError, httpAnswer),
  // A cursor is a query parameter: answered like a schema failure that names it.
  rule(InvalidCursorError, (e) => httpAnswer(invalidField('querystring.cursor', e.message))),
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

/** The fields a schema refused, named from where they are (`body`, `querystring`, `params`) down. */
function fieldErrorsOf(error: FastifyError): FieldError[] {
  const where = error.validationContext ?? 'body';
  return (error.validation ?? []).map((v) => ({
    field: [where, ...v.instancePath.split('/').filter(Boolean)].join('.'),
    message: v.message ?? 'is invalid',
  }));
}

const answerTo = (error: Error): ErrorAnswer | undefined =>
  ERROR_MAP.find((r) => error instanceof r.type)?.answer(error);

/** Fastify's code for one of its own 4xx, in the API's style: `FST_ERR_BAD_URL` → `bad_url`. */
const fastifyCode = (error: FastifyError) =>
  (error.code ?? 'bad_request').toLowerCase().replace(/^fst_err_/, '');

/**
 * The answer to what Fastify refuses before any route or hook runs (a path that is not valid percent-encoding, a
 * path parameter past its length limit), in the API's error shape. A server option (`frameworkErrors`), so the
 * composition root passes it to Fastify.
 */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const status = error.statusCode !== undefined && error.statusCode < 500 ? error.statusCode : 400;
  reply
    .code(status)
    .header('x-request-id', request.id)
    .send({ error: { code: fastifyCode(error), message: error.message } });
}

/**
 * The one error handler: validation failures name every bad field, domain errors get their answer from the map
 * above, Fastify's own 4xx (body too large, bad JSON) keep their code, and everything else is a 500 whose details
 * stay in the log.
 */
async function errorsPlugin(app: FastifyInstance): Promise<void> {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const answer = answerTo(
      hasZodFastifySchemaValidationErrors(error) ? invalidFields(fieldErrorsOf(error)) : error,
    );
    if (answer) {
      const { status, ...body } = answer;
      return reply.code(status).send({ error: body });
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      return reply.code(status).send({ error: { code: fastifyCode(error), message: error.message } });
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
