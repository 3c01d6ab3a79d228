import Fastify from 'fastify';
import { app } from './app.ts';
import { loadConfig } from './config.ts';
import { loggerOptions } from './logger.ts';
import { serverOptions } from './server-options.ts';

async function main(): Promise<void> {
  const config = loadConfig();
  const server = Fastify({ logger: loggerOptions(config.LOG_LEVEL), ...serverOptions });
  await server.register(app, { config });

  let closing = false;
  const shutdown = (signal: string): void => {
    if (closing) return;
    closing = true;
    server.log.info({ signal }, 'shutting down');
    const timer = setTimeout(() => process.exit(1), 15_000);
    timer.unref();
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        server.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));

  const address = await server.listen({ port: config.API_PORT, host: config.API_HOST });
  server.log.info({ address, host: config.API_HOST }, 'api listening');
  console.log(`api listening on ${address.replace('0.0.0.0', '127.0.0.1')}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
