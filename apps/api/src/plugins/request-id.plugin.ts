import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/** The `X-Request-Id` taken as given: 1–100 characters that are safe in a header, a log line and a URL. */
const WELL_FORMED = /^[A-Za-z0-9._~:@+/=-]{1,100}$/;

/**
 * A request's id: the caller's `X-Request-Id` when it is well-formed (so a storefront, a proxy or a load balancer can
 * follow its request into our logs), otherwise a new UUID. Several headers of that name arrive joined by ", " and are
 * therefore refused like any other malformed one.
 */
export function requestIdOf(request: IncomingMessage): string {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && WELL_FORMED.test(given) ? given : randomUUID();
}

/**
 * Gives every request its id (Fastify binds it to the request's logger, so every log line of the request carries
 * it) and sends it back in `X-Request-Id` on every answer. The composition root also passes `requestIdOf` to Fastify
 * as `genReqId`, for what it answers before any plugin runs.
 */
async function requestIdPlugin(app: FastifyInstance): Promise<void> {
  app.setGenReqId(requestIdOf);
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
}

export default fp(requestIdPlugin, { name: 'request-id' });
