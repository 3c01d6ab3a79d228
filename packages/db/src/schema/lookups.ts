import { sql } from 'drizzle-orm';
import { boolean, check, index, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { tstz } from './columns.ts';
import { apiKeys, connections } from './connections.ts';

/** What a lookup looks for: an item by code, an account by code, an account by its Exact ID. */
const LOOKUP_KINDS = ['item_code', 'account_code', 'account_id'] as const;
export type LookupKind = (typeof LOOKUP_KINDS)[number];

/**
 * Lookups in Exact of codes the synced data lacks, one row per (connection, kind, code): the claim that a process is
 * asking Exact (`answered_at` null), then Exact's answer (`exact_id` null when there is no such record). Shared by
 * every worker and kept across restarts, so a code is looked up at most once an hour however often orders name it.
 */
export const exactLookups = pgTable(
  'exact_lookups',
  {
    connectionId: uuid('connection_id')
      .notNull()
      .references(() => connections.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: LOOKUP_KINDS }).notNull(),
    code: text('code').notNull(),
    /** When the lookup was claimed: the hour it counts for, against the code and against the key. */
    lookedUpAt: tstz('looked_up_at').notNull().defaultNow(),
    answeredAt: tstz('answered_at'),
    exactId: uuid('exact_id'),
    /** Accounts: Exact's `Blocked`. */
    blocked: boolean('blocked'),
    /** Items: Exact's `IsSalesItem`. */
    isSalesItem: boolean('is_sales_item'),
    /** The storefront key whose order caused the lookup, for its hourly allowance. */
    apiKeyId: uuid('api_key_id').references(() => apiKeys.id, { onDelete: 'set null' }),
  },
  (t) => [
    primaryKey({ columns: [t.connectionId, t.kind, t.code] }),
    index('exact_lookups_key').on(t.apiKeyId, t.lookedUpAt),
    check('exact_lookups_kind', sql`${t.kind} in ('item_code', 'account_code', 'account_id')`),
  ],
);
