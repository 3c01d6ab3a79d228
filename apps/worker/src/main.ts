import { callbackDeliveryDeps, startCallbackDelivery } from './callbacks/callback-delivery.ts';
import { loadConfig } from './config.ts';
import { startConsumers } from './consumers.ts';
import { createHealthServer } from './health.server.ts';
import { assertHandlersComplete } from './jobs/dispatch.ts';
import { createHandlers } from './jobs/handlers.ts';
import { createLogger } from './logger.ts';
import { startMaintenance } from './maintenance/maintenance-loop.ts';
import { createServices } from './services.ts';
import { startLaneCapacity } from './sync/lane-capacity.ts';

// Refresh tokens are good for 30 days unused; checking every six hours refreshes idle ones long before that.
const IDLE_REFRESH_EVERY_MS = 6 * 3_600_000;
// Order callbacks: up to 8 posts at once per worker, the outbox read every second when nothing wakes it sooner.
const CALLBACK_LOOP = { concurrency: 8, pollMs: 1_000 };
// How often a worker announces itself to the others and sizes the sync jobs it holds (see lane-capacity.ts).
const LANE_CAPACITY_EVERY_MS = 2_000;

async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.LOG_LEVEL);
  const services = createServices(config, log);

  const handlers = createHandlers(services);
  assertHandlersComplete(handlers);
  const consumers = startConsumers({
    connection: services.redis,
    redisPrefix: config.REDIS_PREFIX,
    handlers,
    log,
    observeJob: services.metrics.jobSettled,
  });
  const syncConsumer = consumers.find((c) => c.name === 'sync');
  const laneCapacity = syncConsumer
    ? startLaneCapacity({
        redis: services.redis,
        prefix: config.REDIS_PREFIX,
        worker: syncConsumer,
        everyMs: LANE_CAPACITY_EVERY_MS,
        log,
      })
    : undefined;

  const maintenance = startMaintenance(services, {
    everyMs: config.MAINTENANCE_INTERVAL_MS,
    minSyncIntervalMs: config.SYNC_MIN_INTERVAL_MS,
    idleRefreshEveryMs: IDLE_REFRESH_EVERY_MS,
    divisionCheckEveryMs: config.DIVISION_CHECK_INTERVAL_MS,
  });

  const callbacks = startCallbackDelivery(callbackDeliveryDeps(services), CALLBACK_LOOP);

  const health = createHealthServer({
    sql: services.database.sql,
    redis: services.redis,
    log,
    metrics: services.metrics.registry,
    adminToken: config.ADMIN_TOKEN,
    metricsToken: config.METRICS_TOKEN,
  });
  const address = await health.listen({ port: config.WORKER_PORT, host: config.WORKER_HOST });
  log.info({ address, host: config.WORKER_HOST }, 'worker started');
  console.log(`worker listening on ${address.replace('0.0.0.0', '127.0.0.1')}`);

  let closing = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (closing) return;
    closing = true;
    log.info({ signal }, 'shutting down: finishing jobs in flight');
    const timer = setTimeout(() => process.exit(1), 30_000);
    timer.unref();
    try {
      await maintenance.stop();
      await callbacks.stop();
      await laneCapacity?.stop();
      // Sync jobs still waiting for their turn go back to the queue; runs in progress stop at their next page.
      services.syncLane.close();
      await Promise.all(consumers.map((c) => c.close()));
      await health.close();
      await services.close();
      process.exit(0);
    } catch (error) {
      log.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
