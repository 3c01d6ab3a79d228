import { syncDedup } from '@exact-sync/core';
import { connectionsOfDivision } from '@exact-sync/db';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { HttpError, unauthorized } from '../errors.ts';
import { failures, json } from '../openapi/answers.ts';
import {
  entitiesOfTopic,
  hashCodeMatches,
  readDelivery,
  verifiedContent,
  type WebhookContent,
} from '../webhooks/exact-delivery.ts';

// A delivery is a few hundred bytes; anything near this is not from Exact.
const WEBHOOK_BODY_LIMIT = 64 * 1024;

const receivedSchema = z
  .object({
    received: z.literal(true),
    queued: z
      .number()
      .int()
      .describe(
        'sync requests handed to the queue (a run already waiting absorbs them); 0 for unknown topics',
      ),
  })
  .meta({ id: 'WebhookReceipt' });

const hostOf = (url: string | undefined): string | undefined => {
  try {
    return url ? new URL(url).host : undefined;
  } catch {
    return undefined;
  }
};

/**
 * Active connections to the delivery's division. The endpoint's host narrows them when it can (one division number
 * may exist on several Exact hosts), but never to none: a host spelled differently must not silence webhooks.
 */
async function connectionsFor(app: FastifyInstance, content: WebhookContent): Promise<string[]> {
  const rows = await connectionsOfDivision(app.database.db, content.Division);
  const host = hostOf(content.ExactOnlineEndpoint);
  const onHost = rows.filter((row) => host !== undefined && hostOf(row.exactBaseUrl) === host);
  return (onHost.length > 0 ? onHost : rows).map((row) => row.id);
}

/**
 * Exact webhooks: a signed hint that something changed. It triggers a sync run of the entity (of the deletions, for
 * a Delete) after `debounceMs`,
 * deduplicated: deliveries while that run waits fold into it, deliveries while a run is in progress mark exactly one
 * more run for after it. A burst therefore costs at most two runs, whenever it comes; the scheduled polls remain the
 * path that never misses anything.
 */
export async function webhookRoutes(
  instance: FastifyInstance,
  options: { secret?: string | undefined; debounceMs: number },
) {
  const app = instance.withTypeProvider<ZodTypeProvider>();
  // The HashCode signs the Content text as sent: keep the body as a string (this plugin's routes only).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    '*',
    { parseAs: 'string', bodyLimit: WEBHOOK_BODY_LIMIT },
    (_request, body, done) => done(null, body),
  );

  app.post(
    '/webhooks/exact',
    {
      // No key: the delivery's HashCode authenticates it.
      config: { access: 'public' },
      bodyLimit: WEBHOOK_BODY_LIMIT,
      schema: {
        tags: ['webhooks'],
        operationId: 'receiveExactWebhook',
        summary: 'Exact Online webhook deliveries (authenticated by their HashCode)',
        response: {
          200: json(
            receivedSchema,
            'Received (an empty POST, which Exact sends to check a subscription, too).',
          ),
          ...failures({
            400: '`invalid_webhook`: not a delivery Exact sends.',
            401: 'The HashCode does not match the delivery.',
            503: '`webhooks_not_configured`: EXACT_WEBHOOK_SECRET is not set.',
          }),
        },
      },
    },
    async (request) => {
      const { secret } = options;
      if (!secret) {
        throw new HttpError(
          503,
          'webhooks_not_configured',
          'EXACT_WEBHOOK_SECRET is not set, so deliveries cannot be verified',
        );
      }
      const body = typeof request.body === 'string' ? request.body : '';
      // Exact checks a new subscription with an empty POST that must be answered 200.
      if (body.trim() === '') return { received: true as const, queued: 0 };

      const delivery = readDelivery(body);
      if (!hashCodeMatches(delivery, secret)) {
        request.log.warn({ ip: request.ip }, 'webhook refused: HashCode does not match');
        throw unauthorized('HashCode does not match');
      }
      const content = verifiedContent(delivery);
      const entities = entitiesOfTopic(content.Topic);
      if (entities.length === 0) return { received: true as const, queued: 0 };

      const targets = await connectionsFor(app, content);
      const delay = options.debounceMs;
      // A deletion shows up only in sync/Deleted, never in the entity's own sync endpoint: a Delete brings a
      // deletions round forward instead of an entity run that would find nothing.
      const deleted = content.Action === 'Delete';
      const results = await Promise.all(
        targets.flatMap((connectionId) =>
          deleted
            ? [
                app.tryEnqueue(
                  'sync.deleted',
                  { connectionId },
                  { deduplication: syncDedup(connectionId, 'deleted'), delay },
                  request.log,
                ),
              ]
            : entities.map((entity) =>
                app.tryEnqueue(
                  'sync.entity',
                  { connectionId, entity },
                  { deduplication: syncDedup(connectionId, entity), delay },
                  request.log,
                ),
              ),
        ),
      );
      const queued = results.filter(Boolean).length;
      if (queued < results.length) {
        request.log.warn(
          { topic: content.Topic, division: content.Division },
          'webhook accepted but its sync was not enqueued; the scheduled poll will catch up',
        );
      }
      return { received: true as const, queued };
    },
  );
}
