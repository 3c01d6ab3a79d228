import { ENTITY_NAMES, enabledEntities, isEntityEnabled } from '@exact-sync/core';
import {
  countOpenOrders,
  createConnection,
  deleteConnection,
  findConnection,
  listConnections,
  requestFullResync,
  requestReauthorization,
} from '@exact-sync/db';
import { isAllowedExactOrigin } from '@exact-sync/exact';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { updateConnectionAndSecrets } from '../connections/callback-secrets.ts';
import { checkCallbackUrls } from '../connections/callback-urls.ts';
import {
  connectionView,
  createConnectionBody,
  idParams,
  patchConnectionBody,
  patchedConnectionView,
  statusView,
  syncBody,
} from '../connections/connection.schemas.ts';
import type { WithServices } from '../connections/connection-services.ts';
import { connectionStatus, toConnectionView } from '../connections/connection-view.ts';
import { enqueueDeletions, enqueueSyncs } from '../connections/sync-jobs.ts';
import { HttpError, invalidField, notFound } from '../errors.ts';
import { empty, failures, json } from '../openapi/answers.ts';

const tags = ['connections'];

const createdSchema = z
  .object({
    id: z.uuid(),
    authorizeUrl: z
      .url()
      .describe('a signed link a person opens in a browser to authorize the connection in Exact'),
  })
  .meta({ id: 'ConnectionCreated' });
const connectionPageSchema = z
  .object({
    data: z.array(connectionView),
    nextCursor: z.string().nullable().describe('always null: one page'),
  })
  .meta({ id: 'ConnectionPage' });
const syncStartedSchema = z
  .object({ enqueued: z.array(z.string()).describe('the entities (and `deleted`) queued for a run') })
  .meta({ id: 'SyncStarted' });
const authorizeLinkSchema = z.object({ authorizeUrl: z.url() }).meta({ id: 'AuthorizeLink' });
const noConnection = { 404: 'No such connection.' } as const;

/** Operator routes of a connection's lifecycle (the OAuth steps live in oauth.route.ts). */
export async function connectionRoutes(instance: FastifyInstance, { services }: WithServices): Promise<void> {
  const app = instance.withTypeProvider<ZodTypeProvider>();
  const { db } = app.database;

  const authorizeUrl = (id: string): string => {
    const { exp, sig } = services.links.authorizeQuery(id);
    return `${services.publicUrl}/v1/connections/${id}/authorize?${new URLSearchParams({ exp, sig })}`;
  };

  async function find(id: string) {
    const row = await findConnection(db, id);
    if (!row) throw notFound('connection');
    return row;
  }

  app.post(
    '/v1/connections',
    {
      config: { access: 'operator' },
      schema: {
        tags,
        operationId: 'createConnection',
        summary: 'Create a connection; a person opens authorizeUrl to authorize it in Exact',
        body: createConnectionBody,
        response: { 201: json(createdSchema, 'Created, waiting to be authorized in Exact.') },
      },
    },
    async (request, reply) => {
      const { name, division, exactBaseUrl } = request.body;
      if (exactBaseUrl !== undefined && !isAllowedExactOrigin(exactBaseUrl, services.defaultExactBaseUrl)) {
        throw invalidField(
          'body.exactBaseUrl',
          `must be one of Exact's country sites (https://start.exactonline.nl, .be, .de, .co.uk, .com, .es, .fr) or ${services.defaultExactBaseUrl}`,
        );
      }
      const row = await createConnection(db, {
        name,
        division,
        exactBaseUrl: exactBaseUrl ?? services.defaultExactBaseUrl,
      });
      return reply.code(201).send({ id: row.id, authorizeUrl: authorizeUrl(row.id) });
    },
  );

  app.get(
    '/v1/connections',
    {
      config: { access: 'operator' },
      schema: {
        tags,
        operationId: 'listConnections',
        summary: 'Every connection',
        response: { 200: json(connectionPageSchema, 'The connections.') },
      },
    },
    async () => {
      const rows = await listConnections(db);
      return { data: rows.map(toConnectionView), nextCursor: null };
    },
  );

  app.get(
    '/v1/connections/:id/status',
    {
      config: { access: 'operator' },
      schema: {
        tags,
        operationId: 'getConnectionStatus',
        summary: 'Sync progress per entity, the rate budget, order counts and callbacks of a connection',
        params: idParams,
        response: { 200: json(statusView, 'The connection and how it is doing.'), ...failures(noConnection) },
      },
    },
    async (request) => {
      const status = await connectionStatus(
        { db, governor: services.governor, now: Date.now(), plannedInterval: app.plannedSyncInterval },
        request.params.id,
      );
      if (!status) throw notFound('connection');
      return status;
    },
  );

  app.patch(
    '/v1/connections/:id',
    {
      config: { access: 'operator' },
      schema: {
        tags,
        operationId: 'updateConnection',
        summary: 'Rename, pause or resume a connection; set its channels and freshness targets',
        params: idParams,
        body: patchConnectionBody,
        response: {
          200: json(
            patchedConnectionView,
            'Changed (with the signing secret of a channel given its first callbackUrl).',
          ),
          ...failures(noConnection),
        },
      },
    },
    async (request) => {
      const { id } = request.params;
      await checkCallbackUrls(request.body.channels, services.callbackPolicy);
      const before = await find(id);
      const { row, callbackSecrets } = await updateConnectionAndSecrets(
        db,
        services.cipher,
        id,
        request.body,
      );
      if (!row) throw notFound('connection');
      const running = row.paused === false && row.status === 'active';
      if (before.paused && running) {
        await enqueueSyncs(instance, id, enabledEntities(row.entitySettings));
        await enqueueDeletions(instance, id);
      }
      // An entity switched on again re-reads its dataset in full: deletions made while it was off were not followed.
      const switchedOn = ENTITY_NAMES.filter(
        (e) => !isEntityEnabled(before.entitySettings, e) && isEntityEnabled(row.entitySettings, e),
      );
      if (switchedOn.length > 0) {
        await requestFullResync(db, id, switchedOn);
        if (running && !before.paused) await enqueueSyncs(instance, id, switchedOn);
      }
      return { ...toConnectionView(row), ...(callbackSecrets && { callbackSecrets }) };
    },
  );

  app.delete(
    '/v1/connections/:id',
    {
      config: { access: 'operator' },
      schema: {
        tags,
        operationId: 'deleteConnection',
        summary: 'Delete a connection with its synced data and keys',
        params: idParams,
        querystring: z.object({ force: z.enum(['true', 'false']).optional() }),
        response: {
          204: empty('Deleted.'),
          ...failures({
            ...noConnection,
            409: '`open_orders`: orders not yet in Exact would be dropped (add `?force=true`).',
          }),
        },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      await find(id);
      const open = request.query.force === 'true' ? 0 : await countOpenOrders(db, id);
      if (open > 0) {
        throw new HttpError(
          409,
          'open_orders',
          `the connection has ${open} order(s) not yet in Exact; deleting it drops them (add ?force=true)`,
        );
      }
      await deleteConnection(db, id);
      // Its keys are gone: other api processes hear of it through Postgres, this one forgets at once.
      app.apiKeys.clear();
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/v1/connections/:id/sync',
    {
      config: { access: 'operator' },
      schema: {
        tags,
        operationId: 'startSync',
        summary:
          'Sync now (full: re-read everything and tombstone what is gone); without entities, the deletions too',
        params: idParams,
        body: syncBody,
        response: {
          202: json(syncStartedSchema, 'Queued.'),
          ...failures({
            ...noConnection,
            409: 'The connection is not authorized, needs re-authorization, or is paused; or a named entity is disabled.',
            503: '`queue_unavailable`: the job queue (Redis) is unreachable.',
          }),
        },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const row = await find(id);
      if (row.status !== 'active') {
        const code = row.status === 'pending' ? 'connection_not_authorized' : 'connection_needs_reauth';
        throw new HttpError(409, code, `the connection is ${row.status}; authorize it in Exact first`);
      }
      if (row.paused)
        throw new HttpError(409, 'connection_paused', 'the connection is paused; resume it first');
      const disabled = (request.body?.entities ?? []).filter((e) => !isEntityEnabled(row.entitySettings, e));
      if (disabled.length > 0) {
        throw new HttpError(
          409,
          'entity_disabled',
          `the connection does not sync ${disabled.join(', ')}; enable it first (PATCH entities.<name>.enabled)`,
        );
      }
      const entities = request.body?.entities ?? enabledEntities(row.entitySettings);
      const enqueued: string[] = await enqueueSyncs(instance, id, entities, request.body?.full ?? false);
      if (!request.body?.entities && (await enqueueDeletions(instance, id))) enqueued.push('deleted');
      if (enqueued.length === 0) {
        throw new HttpError(
          503,
          'queue_unavailable',
          'the job queue (Redis) is unreachable; try again shortly',
        );
      }
      return reply.code(202).send({ enqueued });
    },
  );

  app.post(
    '/v1/connections/:id/reauthorize',
    {
      config: { access: 'operator' },
      schema: {
        tags,
        operationId: 'reauthorizeConnection',
        summary:
          'A new authorize link; the connection keeps its tokens until the new authorization completes',
        params: idParams,
        response: { 200: json(authorizeLinkSchema, 'The link a person opens.'), ...failures(noConnection) },
      },
    },
    async (request) => {
      const row = await find(request.params.id);
      await requestReauthorization(db, row.id);
      return { authorizeUrl: authorizeUrl(row.id) };
    },
  );
}
