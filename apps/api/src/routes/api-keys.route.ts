import { type ApiKeyRow, createApiKey, findConnection, listApiKeys, revokeApiKey } from '@exact-sync/db';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { apiKeyBody, apiKeyView, idParams } from '../connections/connection.schemas.ts';
import { notFound } from '../errors.ts';
import { empty, failures, json } from '../openapi/answers.ts';
import { newApiKey } from '../plugins/auth.plugin.ts';

const tags = ['api keys'];

const createdKeySchema = apiKeyView
  .extend({ key: z.string().describe('the key itself: shown only in this answer') })
  .meta({ id: 'ApiKeyCreated' });
const apiKeyPageSchema = z
  .object({ data: z.array(apiKeyView), nextCursor: z.string().nullable().describe('always null: one page') })
  .meta({ id: 'ApiKeyPage' });

const toView = (row: ApiKeyRow) => ({
  id: row.id,
  channel: row.channel,
  prefix: row.keyPrefix,
  createdAt: row.createdAt.toISOString(),
  revokedAt: row.revokedAt?.toISOString() ?? null,
});

/** Storefront keys: created per connection and channel, shown once, stored hashed, revoked at once. */
export async function apiKeyRoutes(instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<ZodTypeProvider>();
  const { db } = app.database;

  async function assertConnection(id: string): Promise<void> {
    if (!(await findConnection(db, id))) throw notFound('connection');
  }

  app.post(
    '/v1/connections/:id/api-keys',
    {
      config: { access: 'operator' },
      schema: {
        tags,
        operationId: 'createApiKey',
        summary: 'Create a storefront key (the key is shown only in this answer)',
        params: idParams,
        body: apiKeyBody,
        response: {
          201: json(createdKeySchema, 'Created: store the key now.'),
          ...failures({ 404: 'No such connection.' }),
        },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      await assertConnection(id);
      const made = newApiKey();
      const row = await createApiKey(db, {
        connectionId: id,
        channel: request.body.channel,
        keyHash: made.hash,
        keyPrefix: made.prefix,
      });
      return reply.code(201).send({ ...toView(row), key: made.key });
    },
  );

  app.get(
    '/v1/connections/:id/api-keys',
    {
      config: { access: 'operator' },
      schema: {
        tags,
        operationId: 'listApiKeys',
        summary: "A connection's storefront keys (without the keys themselves)",
        params: idParams,
        response: {
          200: json(apiKeyPageSchema, 'The keys, revoked ones included.'),
          ...failures({ 404: 'No such connection.' }),
        },
      },
    },
    async (request) => {
      await assertConnection(request.params.id);
      const rows = await listApiKeys(db, request.params.id);
      return { data: rows.map(toView), nextCursor: null };
    },
  );

  app.delete(
    '/v1/api-keys/:id',
    {
      config: { access: 'operator' },
      schema: {
        tags,
        operationId: 'revokeApiKey',
        summary: 'Revoke a storefront key',
        params: idParams,
        response: {
          204: empty('Revoked: the key is refused from now on.'),
          ...failures({ 404: 'No such key.' }),
        },
      },
    },
    async (request, reply) => {
      if (!(await revokeApiKey(db, request.params.id))) throw notFound('API key');
      // Other api processes hear of it through Postgres (API_KEYS_CHANNEL); this one forgets at once.
      app.apiKeys.clear();
      return reply.code(204).send(null);
    },
  );
}
