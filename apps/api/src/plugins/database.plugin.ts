import { type DatabaseHandle, openDatabase } from '@exact-sync/db';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyInstance {
    database: DatabaseHandle;
  }
}

/** Opens the Postgres pool for the routes and closes it with the server. */
async function databasePlugin(app: FastifyInstance, options: { url: string }): Promise<void> {
  const handle = openDatabase(options.url, { applicationName: 'exact-sync-api' });
  app.decorate('database', handle);
  app.addHook('onClose', async () => handle.close());
}

export default fp(databasePlugin, { name: 'database' });
