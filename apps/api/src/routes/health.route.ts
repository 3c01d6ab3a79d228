import { pingDatabase } from '@exact-sync/db';
import type { FastifyInstance } from 'fastify';

/**
 * Liveness says the process serves HTTP. Readiness needs Postgres only: orders are accepted without Redis, since
 * Postgres is the source of truth and the reconciler enqueues what Redis missed.
 */
export async function healthRoutes(app: FastifyInstance): Promise<void> {
  app.get('/health/live', { config: { access: 'public' }, schema: { hide: true } }, async () => ({
    status: 'ok',
  }));
  app.get(
    '/health/ready',
    { config: { access: 'public' }, schema: { hide: true } },
    async (_request, reply) => {
      const postgres = await pingDatabase(app.database.sql);
      return reply.code(postgres ? 200 : 503).send({ status: postgres ? 'ok' : 'unavailable', postgres });
    },
  );
}
