/**
 * Writes the OpenAPI documents (`apps/api/openapi/<audience>.json`) from the app itself, without a server, Postgres
 * or Redis: the documents come from the routes alone. Run it (`pnpm openapi`) after changing a route or a schema,
 * then `pnpm --filter @exact-sync/client generate`; tests fail while either is stale.
 */
import { writeFileSync } from 'node:fs';
import { parseEnv, serviceEnvSchema } from '@exact-sync/core';
import Fastify from 'fastify';
import fp from 'fastify-plugin';
import { app } from '../src/app.ts';
import { DOCUMENTS_DIR, documentFiles } from './openapi-files.ts';

// Nothing is reached at these addresses; the settings only have to be valid.
const config = parseEnv(serviceEnvSchema, {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none',
  REDIS_URL: 'redis://127.0.0.1:1',
  EXACT_CLIENT_ID: 'openapi',
  EXACT_CLIENT_SECRET: 'openapi',
  TOKEN_ENCRYPTION_KEY: '00'.repeat(32),
  ADMIN_TOKEN: 'openapi-document-only',
  LOG_LEVEL: 'silent',
});

const instance = Fastify({ logger: false });
await instance.register(fp(app), { config });
await instance.ready();
for (const [name, text] of Object.entries(documentFiles(instance))) {
  writeFileSync(new URL(name, DOCUMENTS_DIR), text);
  console.log(`wrote apps/api/openapi/${name}`);
}
await instance.close();
