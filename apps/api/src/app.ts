import type { FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { ApiConfig } from './config.ts';
import authPlugin from './plugins/auth.plugin.ts';
import bullBoardPlugin from './plugins/bull-board.plugin.ts';
import connectionsPlugin from './plugins/connections.plugin.ts';
import databasePlugin from './plugins/database.plugin.ts';
import docsPlugin from './plugins/docs.plugin.ts';
import errorsPlugin from './plugins/errors.plugin.ts';
import metricsPlugin from './plugins/metrics.plugin.ts';
import queuesPlugin from './plugins/queues.plugin.ts';
import requestIdPlugin from './plugins/request-id.plugin.ts';
import securityPlugin from './plugins/security.plugin.ts';
import { adminRoutes } from './routes/admin.route.ts';
import { catalogRoutes } from './routes/catalog.route.ts';
import { healthRoutes } from './routes/health.route.ts';
import { orderRoutes } from './routes/orders.route.ts';
import { priceRoutes } from './routes/prices.route.ts';
import { webhookRoutes } from './routes/webhooks.route.ts';

export interface AppOptions {
  config: ApiConfig;
}

/** The application as a plugin: server.ts listens with it, tests mount it and use `inject`. */
export async function app(instance: FastifyInstance, options: AppOptions): Promise<void> {
  instance.setValidatorCompiler(validatorCompiler);
  instance.setSerializerCompiler(serializerCompiler);
  await instance.register(requestIdPlugin);
  await instance.register(errorsPlugin);
  await instance.register(databasePlugin, { url: options.config.DATABASE_URL });
  await instance.register(authPlugin, {
    adminToken: options.config.ADMIN_TOKEN,
    metricsToken: options.config.METRICS_TOKEN,
    failuresPerMinute: options.config.AUTH_FAILURES_PER_MINUTE,
  });
  await instance.register(queuesPlugin, {
    redisUrl: options.config.REDIS_URL,
    redisPrefix: options.config.REDIS_PREFIX,
    syncReservePerMinute: options.config.SYNC_RESERVE_PER_MINUTE,
    syncReservePerDay: options.config.SYNC_RESERVE_PER_DAY,
  });
  // Security and docs act on routes as they are added, so they come before every route (the docs' own pages too).
  await instance.register(securityPlugin, {
    storefrontPerMinute: options.config.STOREFRONT_RATE_LIMIT_PER_MINUTE,
    redisPrefix: options.config.REDIS_PREFIX,
  });
  await instance.register(docsPlugin);
  await instance.register(healthRoutes);
  await instance.register(orderRoutes, {
    settleMs: options.config.FEED_SETTLE_MS,
    rejectionsPerKeyPerHour: options.config.ORDER_REJECTIONS_PER_KEY_PER_HOUR,
  });
  await instance.register(catalogRoutes, { settleMs: options.config.FEED_SETTLE_MS });
  await instance.register(priceRoutes);
  await instance.register(webhookRoutes, {
    secret: options.config.EXACT_WEBHOOK_SECRET,
    debounceMs: options.config.WEBHOOK_DEBOUNCE_MS,
  });
  await instance.register(connectionsPlugin, { config: options.config });
  await instance.register(metricsPlugin);
  await instance.register(bullBoardPlugin);
  await instance.register(adminRoutes);
}
