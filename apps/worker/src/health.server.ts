import { pingDatabase } from '@exact-sync/db';
import { pingRedis } from '@exact-sync/queues';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type postgres from 'postgres';

export interface HealthDeps {
  sql: postgres.Sql;
  redis: Redis;
  log: Logger;
}

/** The worker's small HTTP server: liveness, and readiness that needs both Postgres and Redis. */
export function createHealthServer(deps: HealthDeps): FastifyInstance {
  const loggerInstance: FastifyBaseLogger = deps.log.child({ component: 'health' });
  const app = Fastify({ loggerInstance, disableRequestLogging: true });
  app.get('/health/live', async () => ({ status: 'ok' }));
  app.get('/health/ready', async (_request, reply) => {
    const [postgresOk, redisOk] = await Promise.all([pingDatabase(deps.sql), pingRedis(deps.redis)]);
    const ok = postgresOk && redisOk;
    return reply
      .code(ok ? 200 : 503)
      .send({ status: ok ? 'ok' : 'unavailable', postgres: postgresOk, redis: redisOk });
  });
  return app;
}
