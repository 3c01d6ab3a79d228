import { openDatabase } from '@exact-sync/db';
import { workerRedis } from '@exact-sync/queues';
import { pino } from 'pino';
import { loadConfig } from './config.ts';
import { startConsumers } from './consumers.ts';
import { createHealthServer } from './health.server.ts';
import { assertHandlersComplete } from './jobs/dispatch.ts';
import { createHandlers } from './jobs/handlers.ts';

async function main(): Promise<void> {
  const config = loadConfig();
  const log = pino({ level: config.LOG_LEVEL, base: { app: 'worker' } });
  const database = openDatabase(config.DATABASE_URL, { applicationName: 'exact-sync-worker' });
  const redis = workerRedis(config.REDIS_URL);

  const handlers = createHandlers();
  assertHandlersComplete(handlers);
  const consumers = startConsumers({ connection: redis, redisPrefix: config.REDIS_PREFIX, handlers, log });

  const health = createHealthServer({ sql: database.sql, redis, log });
  const address = await health.listen({ port: config.WORKER_PORT, host: '0.0.0.0' });
  log.info({ address }, 'worker started');
  console.log(`worker listening on ${address.replace('0.0.0.0', '127.0.0.1')}`);

  let closing = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (closing) return;
    closing = true;
    log.info({ signal }, 'shutting down: finishing jobs in flight');
    const timer = setTimeout(() => process.exit(1), 30_000);
    timer.unref();
    try {
      await Promise.all(consumers.map((c) => c.close()));
      await health.close();
      await database.close();
      redis.disconnect();
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
