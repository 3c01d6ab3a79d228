import type { EntitiesSettings } from '@exact-sync/core';
import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, jsonb, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { tstz } from './columns.ts';

export interface ChannelSettings {
  /** Account code that B2C orders are booked on. */
  defaultAccountCode?: string;
  /** Where order state changes are posted, signed. */
  callbackUrl?: string;
  /**
   * Who prices the channel's orders in Exact: `storefront` (the default) sends each line's `unitPrice` as the line's
   * `NetPrice`; `exact` sends no price, and Exact prices the order itself (price lists, customer prices).
   */
  priceSource?: 'storefront' | 'exact';
  /** Whether the storefront's prices include VAT (what its `unitPrice` means). */
  pricesIncludeVat?: boolean;
  /** Exact warehouse GUID sent as the order's `WarehouseID` (only some Exact editions accept it). */
  warehouseId?: string;
}
export type ChannelsSettings = Partial<Record<'b2b' | 'b2c', ChannelSettings>>;

/** One Exact division that this service syncs and submits orders to. */
export const connections = pgTable(
  'connections',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    exactBaseUrl: text('exact_base_url').notNull(),
    division: integer('division'),
    status: text('status', { enum: ['pending', 'active', 'needs_reauth'] })
      .notNull()
      .default('pending'),
    statusReason: text('status_reason'),
    paused: boolean('paused').notNull().default(false),
    channels: jsonb('channels').$type<ChannelsSettings>().notNull().default({}),
    /** Per entity: the operator's freshness target (and, later, more per-entity settings). */
    entitySettings: jsonb('entity_settings').$type<EntitiesSettings>().notNull().default({}),
    // Tokens are AES-256-GCM ciphertexts (see the token manager); never plain text.
    accessTokenEnc: text('access_token_enc'),
    refreshTokenEnc: text('refresh_token_enc'),
    /** When the access token stops working: counted from before the request, or the moment Exact refused it. */
    accessTokenExpiresAt: tstz('access_token_expires_at'),
    /** Its life as Exact announced it (`expires_in`): a refresh is accepted in the last 30 s of it. */
    accessTokenLifetimeMs: integer('access_token_lifetime_ms'),
    /** When Exact's answer with the current access token arrived (never before Exact issued it). */
    tokenIssuedAt: tstz('token_issued_at'),
    /** When the current refresh token was issued: it dies 30 days after, unused. */
    refreshTokenIssuedAt: tstz('refresh_token_issued_at'),
    /** The last `system/Divisions.DivisionMoveDate` seen: a change means every Timestamp restarted. */
    divisionMoveDate: tstz('division_move_date'),
    /** The last `DivisionHRLinkUnlinkDate` seen: a change regenerates every Timestamp too. */
    divisionHrLinkDate: tstz('division_hr_link_date'),
    /**
     * Set when an operator asks to authorize an active connection again (`POST …/reauthorize`); only then may an
     * OAuth callback replace the tokens of an active connection. Cleared when an authorization completes.
     */
    reauthorizeRequestedAt: tstz('reauthorize_requested_at'),
    createdAt: tstz('created_at').notNull().defaultNow(),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [check('connections_name_not_blank', sql`length(trim(${t.name})) > 0`)],
);

/** Storefront API keys: the key fixes connection and channel. Only a SHA-256 hash is stored. */
export const apiKeys = pgTable(
  'api_keys',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    connectionId: uuid('connection_id')
      .notNull()
      .references(() => connections.id, { onDelete: 'cascade' }),
    channel: text('channel', { enum: ['b2b', 'b2c'] }).notNull(),
    keyHash: text('key_hash').notNull().unique(),
    /** The first characters of the key, so operators can tell keys apart. */
    keyPrefix: text('key_prefix').notNull(),
    createdAt: tstz('created_at').notNull().defaultNow(),
    revokedAt: tstz('revoked_at'),
  },
  (t) => [check('api_keys_channel', sql`${t.channel} in ('b2b', 'b2c')`)],
);

/** Webhook subscriptions made in Exact for a connection, so they can be removed when it goes. */
export const webhookSubscriptions = pgTable('webhook_subscriptions', {
  id: uuid('id').primaryKey().defaultRandom(),
  connectionId: uuid('connection_id')
    .notNull()
    .references(() => connections.id, { onDelete: 'cascade' }),
  topic: text('topic').notNull(),
  exactId: uuid('exact_id'),
  createdAt: tstz('created_at').notNull().defaultNow(),
});

/**
 * OAuth `state` nonces: one is issued when a person follows a signed authorize link, and the callback that brings it
 * back consumes it. A state therefore works once, for its connection, before it expires.
 */
export const oauthStates = pgTable(
  'oauth_states',
  {
    nonce: text('nonce').primaryKey(),
    connectionId: uuid('connection_id')
      .notNull()
      .references(() => connections.id, { onDelete: 'cascade' }),
    expiresAt: tstz('expires_at').notNull(),
    createdAt: tstz('created_at').notNull().defaultNow(),
  },
  (t) => [index('oauth_states_expiry').on(t.expiresAt)],
);

/**
 * The secret a channel's callbacks are signed with (HMAC-SHA256), AES-256-GCM encrypted like the tokens and bound
 * to its connection and channel. After a rotation the previous secret signs too, until `previous_expires_at`, so a
 * storefront can switch without rejecting a callback.
 */
export const callbackSecrets = pgTable(
  'callback_secrets',
  {
    connectionId: uuid('connection_id')
      .notNull()
      .references(() => connections.id, { onDelete: 'cascade' }),
    channel: text('channel', { enum: ['b2b', 'b2c'] }).notNull(),
    secretEnc: text('secret_enc').notNull(),
    previousSecretEnc: text('previous_secret_enc'),
    previousExpiresAt: tstz('previous_expires_at'),
    createdAt: tstz('created_at').notNull().defaultNow(),
    rotatedAt: tstz('rotated_at'),
  },
  (t) => [
    primaryKey({ columns: [t.connectionId, t.channel] }),
    check('callback_secrets_channel', sql`${t.channel} in ('b2b', 'b2c')`),
  ],
);
