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
