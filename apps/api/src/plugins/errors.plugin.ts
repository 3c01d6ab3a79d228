import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { HttpError } from '../errors.ts';

interface FieldError {
  field: string;
  message: string;
}

/**
 * The one error handler: validation failures name every bad field, HttpErrors keep their code, Fastify's own 4xx
 * (body too large, bad JSON) keep theirs, and everything else is a 500 whose details stay in the log.
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
    if (error instanceof HttpError) {
      const body = { code: error.code, message: error.message, details: error.details };
      return reply.code(error.statusCode).send({ error: body });
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
