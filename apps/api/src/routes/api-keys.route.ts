import { type ApiKeyRow, createApiKey, findConnection, listApiKeys, revokeApiKey } from '@exact-sync/db';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { apiKeyBody, apiKeyView, idParams } from '../connections/connection.schemas.ts';
import { notFound } from '../errors.ts';
import { newApiKey } from '../plugins/auth.plugin.ts';

const tags = ['api keys'];

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
        summary: 'Create a storefront key (the key is shown only in this answer)',
        params: idParams,
        body: apiKeyBody,
        response: { 201: apiKeyView.extend({ key: z.string() }) },
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
        params: idParams,
        response: { 200: z.object({ data: z.array(apiKeyView), nextCursor: z.string().nullable() }) },
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
      schema: { tags, summary: 'Revoke a storefront key', params: idParams, response: { 204: z.null() } },
    },
    async (request, reply) => {
      if (!(await revokeApiKey(db, request.params.id))) throw notFound('API key');
      return reply.code(204).send(null);
    },
  );
}
