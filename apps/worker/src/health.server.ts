import { pingDatabase } from '@exact-sync/db';
import { pingRedis } from '@exact-sync/queues';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type postgres from 'postgres';
import type { Registry } from 'prom-client';
import { mayScrape } from './scrape-auth.ts';

export interface HealthDeps {
  sql: postgres.Sql;
  redis: Redis;
  log: Logger;
  /** Served at `/metrics` to callers with the admin token or the metrics token. */
  metrics: Registry;
  adminToken: string;
  /** METRICS_TOKEN: the scraper's read-only token; unset, only the admin token scrapes. */
  metricsToken?: string | undefined;
}

/**
 * The worker's small HTTP server: liveness, readiness that needs both Postgres and Redis, and Prometheus metrics
 * behind the metrics token or the admin token.
 */
export function createHealthServer(deps: HealthDeps): FastifyInstance {
  const loggerInstance: FastifyBaseLogger = deps.log.child({ component: 'health' });
  const app = Fastify({ loggerInstance, logController: new LogController({ disableRequestLogging: true }) });
  app.get('/health/live', async () => ({ status: 'ok' }));
  app.get('/health/ready', async (_request, reply) => {
    const [postgresOk, redisOk] = await Promise.all([pingDatabase(deps.sql), pingRedis(deps.redis)]);
    const ok = postgresOk && redisOk;
    return reply
      .code(ok ? 200 : 503)
      .send({ status: ok ? 'ok' : 'unavailable', postgres: postgresOk, redis: redisOk });
  });
  app.get('/metrics', async (request, reply) => {
    const tokens = { admin: deps.adminToken, metrics: deps.metricsToken };
    if (!mayScrape(request.headers.authorization, tokens)) {
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer, Basic realm="exact-sync"')
        .send({
          error: { code: 'unauthorized', message: 'the metrics token or an operator token is required' },
        });
    }
    return reply.type(deps.metrics.contentType).send(await deps.metrics.metrics());
  });
  return app;
}
