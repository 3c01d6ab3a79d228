import { CHANNELS, CONNECTION_STATUSES, ENTITY_NAMES, entityNameSchema } from '@exact-sync/core';
import { z } from 'zod';
import { division } from '../validation/numbers.ts';
import { code, freeText, httpUrl, text, token } from '../validation/text.ts';

const isoTime = z.string().nullable();

export const errorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});

export const idParams = z.object({ id: z.uuid('must be a UUID') });

export const createConnectionBody = z
  .object({
    name: text(100),
    division: division.optional(),
    /**
     * Another of Exact's country sites (or the configured EXACT_BASE_URL's origin); only the origin is kept, and the
     * route refuses any other host.
     */
    exactBaseUrl: httpUrl
      .transform((url) => new URL(url).origin)
      .describe(
        "one of Exact's country sites (https://start.exactonline.nl, .be, .de, .co.uk, .com, .es, .fr)",
      )
      .optional(),
  })
  .strict();

const accountCode = code(18);

export const patchConnectionBody = z
  .object({
    name: text(100).optional(),
    paused: z.boolean().optional(),
    channels: z
      .object({
        b2c: z
          .object({ defaultAccountCode: accountCode, callbackUrl: httpUrl.optional() })
          .strict()
          .optional(),
        b2b: z
          .object({ defaultAccountCode: accountCode.optional(), callbackUrl: httpUrl.optional() })
          .strict()
          .optional(),
      })
      .strict()
      .optional(),
  })
  .strict()
  .refine((b) => Object.values(b).some((v) => v !== undefined), 'must change name, paused or channels');

export const syncBody = z
  .object({
    entities: z
      .array(entityNameSchema)
      .min(1, 'must name at least one entity')
      .refine((list) => new Set(list).size === list.length, 'must not repeat an entity')
      .optional(),
    full: z.boolean().optional(),
  })
  .strict()
  // An empty POST (no body at all) means every entity, incrementally.
  .nullish();

export const apiKeyBody = z.object({ channel: z.enum(CHANNELS) }).strict();

export const authorizeQuery = z.object({
  exp: z.string().regex(/^\d{1,12}$/, 'must be the expiry of the link'),
  sig: token(100).min(1, 'must not be empty'),
});

// Not strict: Exact may add parameters of its own to the redirect.
export const callbackQuery = z.object({
  code: token(4_000).min(1, 'must not be empty').optional(),
  state: token(500).min(1, 'must not be empty'),
  error: token(200).optional(),
  error_description: freeText(2_000).optional(),
});

const channelView = z.object({
  defaultAccountCode: z.string().optional(),
  callbackUrl: z.string().optional(),
});

export const connectionView = z.object({
  id: z.uuid(),
  name: z.string(),
  division: z.number().nullable(),
  exactBaseUrl: z.string(),
  status: z.enum(CONNECTION_STATUSES),
  paused: z.boolean(),
  needsReauth: z.boolean(),
  statusReason: z.string().nullable(),
  channels: z.object({ b2b: channelView.optional(), b2c: channelView.optional() }),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const windowView = z.object({
  limit: z.number(),
  syncShare: z.number(),
  used: z.object({ sync: z.number(), order: z.number() }),
  remaining: z.number(),
  resetAt: z.string(),
});

const entityView = z.object({
  phase: z.enum(['initial', 'incremental']),
  cursor: z.string(),
  records: z.number(),
  lastSuccessAt: isoTime,
  lagSeconds: z.number().nullable(),
  plannedIntervalSeconds: z.number().nullable(),
  lastError: z.string().nullable(),
});

export const statusView = connectionView.extend({
  tokens: z.object({ issuedAt: isoTime, refreshTokenExpiresAt: isoTime }).nullable(),
  entities: z.object(
    Object.fromEntries(ENTITY_NAMES.map((name) => [name, entityView])) as Record<
      (typeof ENTITY_NAMES)[number],
      typeof entityView
    >,
  ),
  budget: z.object({ minute: windowView, day: windowView }).nullable(),
  orders: z.object({
    accepted: z.number(),
    submitting: z.number(),
    submitted: z.number(),
    rejected: z.number(),
    failed: z.number(),
  }),
});

export const apiKeyView = z.object({
  id: z.uuid(),
  channel: z.enum(CHANNELS),
  prefix: z.string(),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
});

export type ConnectionView = z.infer<typeof connectionView>;
export type StatusView = z.infer<typeof statusView>;
