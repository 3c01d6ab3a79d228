import {
  CHANNELS,
  CONNECTION_STATUSES,
  DELETION_CHAINS,
  DELETION_STRATEGIES,
  ENTITY_NAMES,
  entityNameSchema,
  LIST_NAMES,
  ORDER_STATUSES,
} from '@exact-sync/core';
import { z } from 'zod';
import { guid, utcTime } from '../openapi/fields.ts';
import { division } from '../validation/numbers.ts';
import { code, freeText, httpUrl, text, token } from '../validation/text.ts';

const isoTime = utcTime.nullable();

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
// Checked further by the route (https, public addresses only, unless configured otherwise), and again by the worker.
const callbackUrl = httpUrl.describe(
  'where order state changes are posted: https, to a host with public addresses only (unless CALLBACK_ALLOW_HTTP / CALLBACK_ALLOW_PRIVATE)',
);

// A day at most: a longer target would let the planner poll an entity less than daily.
const targetLag = z
  .number()
  .int('must be whole seconds')
  .min(1, 'must be at least 1 second')
  .max(86_400, 'must be at most 86400 seconds (a day)')
  .nullable()
  .describe('seconds the entity may lag behind Exact; null restores the default');

/**
 * A channel's settings as a PATCH changes them: only the settings given change, and null removes one (back to its
 * default). What the channel ends up with is checked as a whole by the route (`channelProblems`).
 */
const channelPatch = z
  .object({
    defaultAccountCode: accountCode
      .nullable()
      .optional()
      .describe("the account code orders are booked on (b2c: its consumers' orders; required there)"),
    callbackUrl: callbackUrl.nullable().optional(),
    priceSource: z
      .enum(['storefront', 'exact'])
      .nullable()
      .optional()
      .describe(
        "`storefront` (default): each line's `unitPrice` goes to Exact as its `NetPrice`; `exact`: no price is " +
          'sent and Exact prices the order (price lists, customer prices)',
      ),
    pricesIncludeVat: z
      .boolean()
      .nullable()
      .optional()
      .describe("whether the storefront's prices include VAT (default false)"),
    warehouseId: z
      .uuid('must be a GUID')
      .nullable()
      .optional()
      .describe(
        "an Exact warehouse's ID, sent as the order's WarehouseID (only some Exact editions accept it)",
      ),
  })
  .strict();

const entitySettingsPatch = z
  .object({
    targetLagSeconds: targetLag.optional(),
    enabled: z
      .boolean()
      .nullable()
      .optional()
      .describe(
        'whether the connection syncs the entity; null restores the default (see README, Synced data)',
      ),
  })
  .strict();

export const patchConnectionBody = z
  .object({
    name: text(100).optional(),
    paused: z.boolean().optional(),
    entities: z
      .object(
        Object.fromEntries(ENTITY_NAMES.map((name) => [name, entitySettingsPatch.optional()])) as Record<
          (typeof ENTITY_NAMES)[number],
          z.ZodOptional<typeof entitySettingsPatch>
        >,
      )
      .strict()
      .optional()
      .describe('per entity: whether it is synced, and the freshness target the planner aims for'),
    channels: z
      .object({ b2c: channelPatch.optional(), b2b: channelPatch.optional() })
      .strict()
      .optional()
      .describe('per channel, the settings to change; a setting given as null is removed'),
  })
  .strict()
  .refine(
    (b) => Object.values(b).some((v) => v !== undefined),
    'must change name, paused, channels or entities',
  );

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
  priceSource: z.enum(['storefront', 'exact']).optional(),
  pricesIncludeVat: z.boolean().optional(),
  warehouseId: guid.optional(),
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
  /** What the operator set per entity (defaults are not listed). */
  entitySettings: z.record(
    z.string(),
    z.object({ targetLagSeconds: z.number().optional(), enabled: z.boolean().optional() }),
  ),
  createdAt: utcTime,
  updatedAt: utcTime,
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
  resetAt: utcTime,
});

/** `error`: Exact refused the dataset for good; no call before `retryAt` (`lastError` is Exact's message). */
const syncPhase = z.enum(['initial', 'incremental', 'error']);

const entityView = z.object({
  /** Whether the connection syncs the entity (a disabled one keeps its rows, and is neither polled nor planned). */
  enabled: z.boolean(),
  phase: syncPhase,
  cursor: z.string(),
  records: z.number(),
  lastSuccessAt: isoTime,
  lagSeconds: z.number().nullable(),
  plannedIntervalSeconds: z.number().nullable(),
  targetLagSeconds: z.number(),
  /** Whether the planned interval is within the target: null until the planner has planned the entity. */
  meetsTarget: z.boolean().nullable(),
  lastError: z.string().nullable(),
  errorSince: isoTime,
  retryAt: isoTime,
  /** Optional fields Exact no longer has: left out of the sync and stored as null. */
  droppedFields: z.array(z.string()),
  /** Deletions read for the entity while it was not ready, applied once it is. */
  parkedDeletions: z.number(),
});

const listView = z.object({
  phase: syncPhase,
  records: z.number(),
  lastSuccessAt: isoTime,
  lagSeconds: z.number().nullable(),
  plannedIntervalSeconds: z.number().nullable(),
  targetLagSeconds: z.number(),
  lastError: z.string().nullable(),
  retryAt: isoTime,
});

const chainView = z.object({
  /** Whether the chain runs under the current strategy (the unfiltered one is also probed while it does not). */
  active: z.boolean(),
  phase: syncPhase,
  cursor: z.string(),
  lastSuccessAt: isoTime,
  lastError: z.string().nullable(),
  retryAt: isoTime,
  /** When the chain's cursor was found older than Exact keeps deletions, and the full resync that followed. */
  staleResyncAt: isoTime,
  staleResyncReason: z.string().nullable(),
});

const deletionsView = z.object({
  strategy: z.enum(DELETION_STRATEGIES),
  strategySince: isoTime,
  plannedIntervalSeconds: z.number().nullable(),
  /**
   * Calls each strategy cost over the window: measured for the rounds that ran it, estimated for the others. The
   * current strategy changes when the other would have cost fewer.
   */
  cost: z
    .object({
      windowSeconds: z.number(),
      rounds: z.number(),
      records: z.number(),
      foreign: z.number(),
      callsAll: z.number(),
      callsPerType: z.number(),
      decidedAt: isoTime,
    })
    .nullable(),
  chains: z.object(
    Object.fromEntries(DELETION_CHAINS.map((name) => [name, chainView])) as Record<
      (typeof DELETION_CHAINS)[number],
      typeof chainView
    >,
  ),
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
  deletions: deletionsView,
  /** The REST lists without a sync endpoint, each read whole once a day. */
  lists: z.object(
    Object.fromEntries(LIST_NAMES.map((name) => [name, listView])) as Record<
      (typeof LIST_NAMES)[number],
      typeof listView
    >,
  ),
  budget: z.object({ minute: windowView, day: windowView }).nullable(),
  orders: z.object(
    Object.fromEntries(ORDER_STATUSES.map((s) => [s, z.number()])) as Record<
      (typeof ORDER_STATUSES)[number],
      z.ZodNumber
    >,
  ),
  callbacks: z.object({ b2b: callbackCountsView, b2c: callbackCountsView }),
});

export const apiKeyView = z.object({
  id: z.uuid(),
  channel: z.enum(CHANNELS),
  prefix: z.string(),
  createdAt: utcTime,
  revokedAt: utcTime.nullable(),
});

// Their names in the OpenAPI document (components.schemas).
z.globalRegistry.add(createConnectionBody, { id: 'ConnectionRequest' });
z.globalRegistry.add(patchConnectionBody, { id: 'ConnectionUpdate' });
z.globalRegistry.add(syncBody, {
  id: 'SyncRequest',
  description: 'No body (or null): every entity and the deletions, incrementally.',
});
z.globalRegistry.add(apiKeyBody, { id: 'ApiKeyRequest' });
z.globalRegistry.add(connectionView, { id: 'Connection' });
z.globalRegistry.add(patchedConnectionView, { id: 'UpdatedConnection' });
z.globalRegistry.add(statusView, { id: 'ConnectionStatus' });
z.globalRegistry.add(apiKeyView, { id: 'ApiKey' });

export type ConnectionView = z.infer<typeof connectionView>;
export type StatusView = z.infer<typeof statusView>;
