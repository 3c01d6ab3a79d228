import { z } from 'zod';

/** The Exact datasets the service keeps in Postgres, by the names storefronts use. */
export const ENTITY_NAMES = ['items', 'stock', 'prices', 'accounts'] as const;
export type EntityName = (typeof ENTITY_NAMES)[number];
export const entityNameSchema = z.enum(ENTITY_NAMES);

interface ExactEntity {
  /** Path below `/api/v1/{division}/sync/`. */
  readonly syncPath: string;
  /** `EntityType` of this entity in `sync/Deleted`. */
  readonly deletedType: number;
  /** Webhook topic whose deliveries mean this entity changed. */
  readonly webhookTopic: string;
}

export const EXACT_ENTITIES: Readonly<Record<EntityName, ExactEntity>> = {
  items: { syncPath: 'Logistics/Items', deletedType: 9, webhookTopic: 'Items' },
  stock: { syncPath: 'Inventory/StockPositions', deletedType: 15, webhookTopic: 'StockPositions' },
  // Exact has no webhook topic for prices; a price change is announced as a change of its item.
  prices: { syncPath: 'Logistics/SalesItemPrices', deletedType: 8, webhookTopic: 'Items' },
  accounts: { syncPath: 'CRM/Accounts', deletedType: 2, webhookTopic: 'Accounts' },
};

/** The entity a `sync/Deleted` EntityType code belongs to, or undefined for types this service does not keep. */
export function entityForDeletedType(type: number): EntityName | undefined {
  return ENTITY_NAMES.find((name) => EXACT_ENTITIES[name].deletedType === type);
}

/** What an operator may set per entity of a connection; more settings (e.g. `enabled`) fit beside it. */
interface EntitySettings {
  /** How stale the entity may get, in seconds: the planner polls it at least this often when the budget allows. */
  targetLagSeconds?: number;
}
export type EntitiesSettings = Partial<Record<EntityName, EntitySettings>>;

/** Freshness targets when the operator sets none: stock moves fastest and matters most to a storefront. */
const DEFAULT_TARGET_LAG_SECONDS: Readonly<Record<EntityName, number>> = {
  stock: 300,
  items: 1_800,
  prices: 1_800,
  accounts: 1_800,
};

/** The target lag of an entity under a connection's settings. */
export function targetLagSeconds(settings: EntitiesSettings, entity: EntityName): number {
  return settings[entity]?.targetLagSeconds ?? DEFAULT_TARGET_LAG_SECONDS[entity];
}
