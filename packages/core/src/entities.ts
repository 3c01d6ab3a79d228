import { z } from 'zod';

/**
 * The Exact datasets the service keeps in Postgres through Exact's sync endpoints, by the names storefronts and
 * operators use. The first four are the catalogue; the others are the CRM data a B2B checkout needs and the life of
 * a sales order in Exact (its header and lines, goods deliveries and their lines, invoices: one record per line).
 */
export const ENTITY_NAMES = [
  'items',
  'stock',
  'prices',
  'accounts',
  'addresses',
  'contacts',
  'orderHeaders',
  'orderLines',
  'deliveries',
  'deliveryLines',
  'invoices',
] as const;
export type EntityName = (typeof ENTITY_NAMES)[number];
export const entityNameSchema = z.enum(ENTITY_NAMES);

interface ExactEntity {
  /** Path below `/api/v1/{division}/sync/`. */
  readonly syncPath: string;
  /** `EntityType` of this entity in `sync/Deleted` (Pi-Systems' and picqer's Sync/Deleted lists agree). */
  readonly deletedType: number;
  /** Webhook topic whose deliveries mean this entity changed; null where Exact has none (polling only). */
  readonly webhookTopic: string | null;
  /** Freshness target when the operator sets none, in seconds. */
  readonly targetLagSeconds: number;
  /** Whether a connection syncs the entity when the operator has not said otherwise. */
  readonly enabledByDefault: boolean;
}

/**
 * The catalogue of synced entities. Targets: stock moves fastest and matters most to a storefront; an order's
 * progress (its header, lines and deliveries) is what a shop tells its customer, so it follows within ten minutes;
 * invoices and the catalogue within half an hour; addresses and contacts change rarely.
 */
export const EXACT_ENTITIES: Readonly<Record<EntityName, ExactEntity>> = {
  items: entity('Logistics/Items', 9, 'Items', 1_800),
  stock: entity('Inventory/StockPositions', 15, 'StockPositions', 300),
  // Exact has no webhook topic for prices; a price change is announced as a change of its item.
  prices: entity('Logistics/SalesItemPrices', 8, 'Items', 1_800),
  accounts: entity('CRM/Accounts', 2, 'Accounts', 1_800),
  // No list of Exact's webhook topics has addresses (affiliprint/django-exact's Webhook.TOPIC_CHOICES,
  // pdik/laravelExactonline's topic switch): they are polled only.
  addresses: entity('CRM/Addresses', 3, null, 3_600),
  contacts: entity('CRM/Contacts', 5, 'Contacts', 3_600),
  orderHeaders: entity('SalesOrder/SalesOrderHeaders', 32, 'SalesOrders', 600),
  orderLines: entity('SalesOrder/SalesOrderLines', 33, 'SalesOrders', 600),
  deliveries: entity('SalesOrder/GoodsDeliveries', 16, 'GoodsDeliveries', 600),
  deliveryLines: entity('SalesOrder/GoodsDeliveryLines', 17, 'GoodsDeliveries', 600),
  invoices: entity('SalesInvoice/SalesInvoices', 13, 'SalesInvoices', 1_800),
};

function entity(
  syncPath: string,
  deletedType: number,
  webhookTopic: string | null,
  targetLagSeconds: number,
  enabledByDefault = true,
): ExactEntity {
  return { syncPath, deletedType, webhookTopic, targetLagSeconds, enabledByDefault };
}

/** The webhook topics of the synced entities, each once: what a division is subscribed to. */
export const WEBHOOK_TOPICS: readonly string[] = [
  ...new Set(ENTITY_NAMES.flatMap((e) => EXACT_ENTITIES[e].webhookTopic ?? [])),
];

/** The entity a `sync/Deleted` EntityType code belongs to, or undefined for types this service does not keep. */
export function entityForDeletedType(type: number): EntityName | undefined {
  return ENTITY_NAMES.find((name) => EXACT_ENTITIES[name].deletedType === type);
}

/** What an operator may set per entity of a connection. */
interface EntitySettings {
  /** How stale the entity may get, in seconds: the planner polls it at least this often when the budget allows. */
  targetLagSeconds?: number;
  /** Whether the connection syncs the entity; unset means the catalogue's default. */
  enabled?: boolean;
}
export type EntitiesSettings = Partial<Record<EntityName, EntitySettings>>;

/** The target lag of an entity under a connection's settings. */
export function targetLagSeconds(settings: EntitiesSettings, entity: EntityName): number {
  return settings[entity]?.targetLagSeconds ?? EXACT_ENTITIES[entity].targetLagSeconds;
}

/** Whether a connection syncs an entity under its settings. */
export function isEntityEnabled(settings: EntitiesSettings, entity: EntityName): boolean {
  return settings[entity]?.enabled ?? EXACT_ENTITIES[entity].enabledByDefault;
}

/** The entities a connection syncs, in catalogue order. */
export function enabledEntities(settings: EntitiesSettings): EntityName[] {
  return ENTITY_NAMES.filter((entity) => isEntityEnabled(settings, entity));
}
