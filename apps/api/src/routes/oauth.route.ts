import { enabledEntities, mayAuthorize } from '@exact-sync/core';
import { consumeOAuthState, findConnection, issueOAuthState } from '@exact-sync/db';
import { authorizationUrl, ConnectionNotAuthorizableError } from '@exact-sync/exact';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { connectionReadyPage } from '../connections/callback-page.ts';
import { authorizeQuery, callbackQuery, idParams } from '../connections/connection.schemas.ts';
import type { WithServices } from '../connections/connection-services.ts';
import { SignedLinkError } from '../connections/signed-links.ts';
import { enqueueSyncs } from '../connections/sync-jobs.ts';
import { HttpError, notFound } from '../errors.ts';
import { empty, failures } from '../openapi/answers.ts';

const tags = ['connections'];

/**
 * The browser's part of onboarding: the signed authorize link sends the person to Exact's consent page, and Exact
 * sends them back to the callback with a code and the signed state. Neither route takes the admin token: the
 * signatures authenticate them (a bad one is a SignedLinkError, answered 401 by the error plugin).
 */
export async function oauthRoutes(instance: FastifyInstance, { services }: WithServices): Promise<void> {
  const app = instance.withTypeProvider<ZodTypeProvider>();
  const { db } = app.database;
  const redirectUri = `${services.publicUrl}/v1/oauth/callback`;

  app.get(
    '/v1/connections/:id/authorize',
    {
      config: { access: 'public' },
      schema: {
        tags,
        operationId: 'authorizeConnection',
        summary: "Redirects to Exact's consent page",
        description: 'The signed link of `createConnection`, opened by a person in a browser.',
        params: idParams,
        querystring: authorizeQuery,
        response: {
          302: empty("To Exact's consent page (`Location`)."),
          ...failures({
            401: 'The link is expired or its signature does not match.',
            404: 'No such connection.',
            409: '`connection_already_authorized`: the connection is authorized already.',
          }),
        },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      services.links.verifyAuthorize(id, request.query.exp, request.query.sig);
      const row = await findConnection(db, id);
      if (!row) throw notFound('connection');
      if (!mayAuthorize(row)) throw new ConnectionNotAuthorizableError(id);
      const { state, nonce, expiresAt } = services.links.state(id);
      await issueOAuthState(db, { nonce, connectionId: id, expiresAt });
      const location = authorizationUrl({
        baseUrl: row.exactBaseUrl,
        clientId: services.clientId,
        redirectUri,
        state,
      });
      return reply.code(302).header('Cache-Control', 'no-store').redirect(location);
    },
  );

  app.get(
    '/v1/oauth/callback',
    {
      config: { access: 'public' },
      schema: {
        tags,
        operationId: 'completeAuthorization',
        summary: 'Where Exact sends the person back',
        description: 'Exchanges the code for tokens, finds the division and starts the first sync.',
        querystring: callbackQuery,
        response: {
          200: {
            description: 'Authorized: a page that says so.',
            content: { 'text/html': { schema: z.string() } },
          },
          ...failures({
            400: 'Exact did not authorize the connection, or refused the code.',
            401: 'The state is expired, tampered with or used before.',
            404: 'The connection is gone.',
            409: 'The connection is authorized already, or for another division.',
            502: 'Exact did not answer the code exchange.',
          }),
        },
      },
    },
    async (request, reply) => {
      const { code, state, error } = request.query;
      const { connectionId, nonce } = services.links.verifyState(state);
      // Single use: a state works for the one callback that brings it back first, replays and all.
      if (!(await consumeOAuthState(db, nonce, connectionId))) {
        throw new SignedLinkError(
          'state_used',
          'this OAuth state was already used (or never issued); start again from a new authorize link',
        );
      }
      if (error !== undefined || code === undefined) {
        const reason = error ?? 'no code';
        throw new HttpError(
          400,
          'authorization_denied',
          `Exact did not authorize the connection (${reason})`,
        );
      }
      const { division } = await services.tokens.completeAuthorization({ connectionId, code, redirectUri });
      const row = await findConnection(db, connectionId);
      if (!row) throw notFound('connection');
      const started = row.paused
        ? []
        : await enqueueSyncs(instance, connectionId, enabledEntities(row.entitySettings));
      request.log.info({ connectionId, division, syncs: started.length }, 'connection authorized');
      return reply
        .code(200)
        .header('Cache-Control', 'no-store')
        .type('text/html; charset=utf-8')
        .send(connectionReadyPage({ name: row.name, division, syncStarted: started.length > 0 }));
    },
  );
}
