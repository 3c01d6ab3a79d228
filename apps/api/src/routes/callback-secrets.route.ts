import { findConnection } from '@exact-sync/db';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CALLBACK_SECRET_OVERLAP_MS, rotateChannelSecret } from '../connections/callback-secrets.ts';
import { channelParams } from '../connections/connection.schemas.ts';
import type { WithServices } from '../connections/connection-services.ts';
import { notFound } from '../errors.ts';
import { failures, json } from '../openapi/answers.ts';

const overlapHours = CALLBACK_SECRET_OVERLAP_MS / 3_600_000;

const secretSchema = z
  .object({ secret: z.string().describe('the new signing secret (`whsec_…`): shown only in this answer') })
  .meta({ id: 'CallbackSecret' });

/** The secret a channel's callbacks are signed with: made when its first callbackUrl is set, rotated here. */
export async function callbackSecretRoutes(
  instance: FastifyInstance,
  { services }: WithServices,
): Promise<void> {
  const app = instance.withTypeProvider<ZodTypeProvider>();
  const { db } = app.database;

  app.post(
    '/v1/connections/:id/channels/:channel/callback-secret',
    {
      config: { access: 'operator' },
      schema: {
        tags: ['connections'],
        operationId: 'rotateCallbackSecret',
        summary: `New signing secret for a channel's callbacks (shown only in this answer); the old one keeps signing, second, for ${overlapHours} hours`,
        params: channelParams,
        response: {
          201: json(secretSchema, 'The new secret: store it now.'),
          ...failures({ 404: 'No such connection.' }),
        },
      },
    },
    async (request, reply) => {
      const { id: connectionId, channel } = request.params;
      if (!(await findConnection(db, connectionId))) throw notFound('connection');
      const secret = await rotateChannelSecret(db, services.cipher, { connectionId, channel });
      return reply.code(201).send({ secret });
    },
  );
}
