import { CHANNELS, CONNECTION_STATUSES, ENTITY_NAMES, entityNameSchema } from '@exact-sync/core';
import { z } from 'zod';

const text = (max: number) =>
  z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });
const isoTime = z.string().nullable();

export const errorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});

export const idParams = z.object({ id: z.uuid('must be a UUID') });

export const createConnectionBody = z
  .object({
    name: text(100),
    division: z.number().int('must be an integer').positive('must be positive').max(999_999_999).optional(),
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

const accountCode = z.string().trim().min(1, 'must not be empty').max(18, 'must be at most 18 characters');
// Checked further by the route (https, public addresses only, unless configured otherwise), and again by the worker.
const callbackUrl = httpUrl.describe(
  'where order state changes are posted: https, to a host with public addresses only (unless CALLBACK_ALLOW_HTTP / CALLBACK_ALLOW_PRIVATE)',
);

export const patchConnectionBody = z
  .object({
    name: text(100).optional(),
    paused: z.boolean().optional(),
    channels: z
      .object({
        b2c: z
          .object({ defaultAccountCode: accountCode, callbackUrl: callbackUrl.optional() })
          .strict()
          .optional(),
        b2b: z
          .object({ defaultAccountCode: accountCode.optional(), callbackUrl: callbackUrl.optional() })
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
  exp: z.string().regex(/^\d+$/, 'must be the expiry of the link'),
  sig: z.string().min(1, 'must not be empty'),
});

export const callbackQuery = z.object({
  code: z.string().min(1, 'must not be empty').optional(),
  state: z.string().min(1, 'must not be empty'),
  error: z.string().optional(),
  error_description: z.string().optional(),
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

const secretShownOnce = z
  .string()
  .describe('signing secret of the channel, shown only in this answer: store it now (see README, Callbacks)');

/** PATCH's answer: the connection, and the signing secret of each channel that got its first `callbackUrl` now. */
export const patchedConnectionView = connectionView.extend({
  callbackSecrets: z.object({ b2b: secretShownOnce.optional(), b2c: secretShownOnce.optional() }).optional(),
});

export const channelParams = idParams.extend({ channel: z.enum(CHANNELS) });

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

const callbackCountsView = z.object({
  pending: z.number().describe('not yet delivered nor given up'),
  failing: z.number().describe('pending after a failed attempt: retried with backoff'),
  held: z
    .number()
    .describe('not sent: the URL is refused or the channel has no secret, until an operator fixes it'),
  overdue: z.number().describe('due for more than a minute and not taken: is a worker running?'),
  givenUp: z.number().describe('given up in the last 7 days'),
  lastError: z.string().nullable(),
  lastErrorAt: isoTime,
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
  callbacks: z.object({ b2b: callbackCountsView, b2c: callbackCountsView }),
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
