import { WEBHOOK_TOPICS } from '@exact-sync/core';
import { recordWebhookSubscription, subscribedTopics } from '@exact-sync/db';
import { isPermanent, RetryLaterError } from '@exact-sync/exact';
import { exactFor, type WorkerServices } from '../services.ts';

/**
 * Subscribes a connection's division to the topics of the synced entities, once, when the service has a public
 * URL Exact can reach. Webhooks only make syncs come sooner; polling goes on without them. A topic Exact refuses is
 * recorded without an id and not asked again, so a refusal never loops towards Exact's error block.
 */
export async function ensureWebhookSubscriptions(
  services: WorkerServices,
  connectionId: string,
): Promise<number> {
  const publicUrl = services.config.PUBLIC_URL;
  if (!publicUrl) return 0;
  const { db } = services.database;
  const existing = await subscribedTopics(db, connectionId);
  const missing = WEBHOOK_TOPICS.filter((t) => !existing.includes(t));
  if (missing.length === 0) return 0;
  const access = await exactFor(services, connectionId);
  if (!access.ok) return 0;
  const callbackUrl = new URL('/webhooks/exact', publicUrl).toString();
  let made = 0;
  for (const topic of missing) {
    try {
      const created = await access.exact.webhookSubscriptions.create({ callbackUrl, topic }, 'sync');
      await recordWebhookSubscription(db, { connectionId, topic, exactId: created.id });
      made += 1;
    } catch (error) {
      if (error instanceof RetryLaterError) return made;
      if (!isPermanent(error)) throw error;
      services.log.warn({ connectionId, topic, err: error }, 'Exact refused a webhook subscription');
      await recordWebhookSubscription(db, { connectionId, topic, exactId: null });
    }
  }
  return made;
}
