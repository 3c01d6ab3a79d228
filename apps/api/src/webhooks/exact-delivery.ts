import { createHmac, timingSafeEqual } from 'node:crypto';
import { ENTITY_NAMES, type EntityName, EXACT_ENTITIES } from '@exact-sync/core';
import { z } from 'zod';
import { HttpError, invalidFields } from '../errors.ts';
import { division } from '../validation/numbers.ts';
import { code, token } from '../validation/text.ts';
import { rawMember } from './raw-member.ts';

/**
 * What Exact says changed: no data, only where to look. Checked like any request body, although the HashCode
 * vouches for it: a valid signature says who sent it, not that it fits the columns it is compared with.
 */
const webhookContentSchema = z.object({
  Topic: code(100),
  Division: division,
  Action: code(100).optional(),
  Key: token(100).optional(),
  ExactOnlineEndpoint: token(2_000).optional(),
});
export type WebhookContent = z.infer<typeof webhookContentSchema>;

export interface SignedDelivery {
  /** The `Content` object's text exactly as received: what the HashCode signs. */
  readonly rawContent: string;
  readonly hashCode: string;
}

const invalid = (message: string) => new HttpError(400, 'invalid_webhook', message);

/** Splits a delivery into the signed text and its HashCode, without trusting either yet. */
export function readDelivery(body: string): SignedDelivery {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw invalid('body is not JSON');
  }
  const rawContent = rawMember(body, 'Content');
  const hashCode =
    parsed !== null && typeof parsed === 'object' && 'HashCode' in parsed ? parsed.HashCode : undefined;
  if (rawContent === undefined || !rawContent.startsWith('{') || typeof hashCode !== 'string') {
    throw invalid('body must hold a Content object and a HashCode');
  }
  return { rawContent, hashCode };
}

/** True when `hashCode` is the hex HMAC-SHA256 of the raw Content text under the secret; constant time. */
export function hashCodeMatches(delivery: SignedDelivery, secret: string): boolean {
  if (!/^[0-9a-fA-F]{64}$/.test(delivery.hashCode)) return false;
  const expected = createHmac('sha256', secret).update(delivery.rawContent, 'utf8').digest();
  return timingSafeEqual(expected, Buffer.from(delivery.hashCode, 'hex'));
}

/**
 * The Content of a verified delivery, parsed from the signed text itself (never from a second copy elsewhere in
 * the body, which nobody signed).
 */
export function verifiedContent(delivery: SignedDelivery): WebhookContent {
  const result = webhookContentSchema.safeParse(JSON.parse(delivery.rawContent));
  if (!result.success) {
    throw invalidFields(
      result.error.issues.map((issue) => ({
        field: ['body', 'Content', ...issue.path.map(String)].join('.'),
        message: issue.message,
      })),
    );
  }
  return result.data;
}

/** The synced entities a topic stands for (none for topics this service does not keep). */
export function entitiesOfTopic(topic: string): EntityName[] {
  return ENTITY_NAMES.filter((entity) => EXACT_ENTITIES[entity].webhookTopic === topic);
}
