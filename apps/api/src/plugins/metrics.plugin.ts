import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { createStateMetrics } from '../metrics/state-metrics.ts';

/**
 * Prometheus metrics at `/metrics`, for the scraper's METRICS_TOKEN or the admin token: the process's own, and the state every process shares
 * (budgets, queues, sync progress, orders, connections), read at scrape time. The api exports that state once for
 * the whole installation, however many workers run; workers export only their own calls and jobs.
 */
async function metricsPlugin(app: FastifyInstance): Promise<void> {
  // Its own registry, so several apps in one process (tests) never share or clash over metrics.
  const registry = new Registry();
  registry.setDefaultLabels({ app: 'api' });
  collectDefaultMetrics({ register: registry });
  const state = createStateMetrics(registry, {
    db: app.database.db,
    queues: app.queues,
    governor: app.governor,
    now: () => Date.now(),
    onError: (source, error) => app.log.warn({ source, err: error }, 'metrics source'),
  });

  const route = { config: { access: ['metrics', 'operator'] }, schema: { hide: true } } as const;
  app.get('/metrics', route, async (_request, reply) => {
    await state.refresh();
    return reply.type(registry.contentType).send(await registry.metrics());
  });
}

export default fp(metricsPlugin, { name: 'metrics', dependencies: ['database', 'queues', 'auth'] });
