import { eq } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import { webhookSubscriptions } from '../schema/connections.ts';

/** Topics a connection has subscribed to in Exact, or asked for and been refused. */
export async function subscribedTopics(db: Executor, connectionId: string): Promise<string[]> {
  const rows = await db
    .select({ topic: webhookSubscriptions.topic })
    .from(webhookSubscriptions)
    .where(eq(webhookSubscriptions.connectionId, connectionId));
  return rows.map((row) => row.topic);
}

/** Records a subscription made in Exact; `exactId` null records a topic Exact refused, so it is not asked again. */
export async function recordWebhookSubscription(
  db: Executor,
  input: { connectionId: string; topic: string; exactId: string | null },
): Promise<void> {
  await db.insert(webhookSubscriptions).values(input);
}
