import { type FastifyServerOptions, LogController } from 'fastify';
import { frameworkErrors } from './plugins/errors.plugin.ts';
import { requestIdOf } from './plugins/request-id.plugin.ts';

/** Fastify's options for the api, but its logger (server.ts sets it): limits, timeouts, request ids, early errors. */
export const serverOptions = {
  bodyLimit: 1024 * 1024,
  connectionTimeout: 30_000,
  requestTimeout: 30_000,
  keepAliveTimeout: 72_000,
  forceCloseConnections: 'idle',
  frameworkErrors,
  // Every log line of a request carries its id as `requestId`: the id `X-Request-Id` answers with.
  genReqId: requestIdOf,
  logController: new LogController({ requestIdLogLabel: 'requestId' }),
} satisfies FastifyServerOptions;
