import type { FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { ApiConfig } from './config.ts';
import databasePlugin from './plugins/database.plugin.ts';
import errorsPlugin from './plugins/errors.plugin.ts';
import { healthRoutes } from './routes/health.route.ts';

export interface AppOptions {
  config: ApiConfig;
}

/** The application as a plugin: server.ts listens with it, tests mount it and use `inject`. */
export async function app(instance: FastifyInstance, options: AppOptions): Promise<void> {
  instance.setValidatorCompiler(validatorCompiler);
  instance.setSerializerCompiler(serializerCompiler);
  await instance.register(errorsPlugin);
  await instance.register(databasePlugin, { url: options.config.DATABASE_URL });
  await instance.register(healthRoutes);
}
