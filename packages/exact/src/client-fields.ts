import type { FilterableField, PostableField, SelectableField } from '@exact-sync/exact-schema';

// Every field this client names in a $select, a $filter or a POST body, by endpoint: typed against the schema so a
// field the endpoint lacks fails to compile, and exported so a conformance test can walk them.

/** Default `$select` of a targeted item lookup (the plain endpoint has no Timestamp). */
export const ITEM_LOOKUP_FIELDS = [
  'ID',
  'Code',
  'Description',
  'Unit',
  'IsSalesItem',
] as const satisfies readonly SelectableField<'logistics/Items'>[];
/** Default `$select` of a targeted account lookup. */
export const ACCOUNT_LOOKUP_FIELDS = [
  'ID',
  'Code',
  'Name',
  'Email',
  'Status',
  'Blocked',
] as const satisfies readonly SelectableField<'crm/Accounts'>[];
export const DELETED_FIELDS = [
  'ID',
  'EntityKey',
  'EntityType',
  'DeletedBy',
  'DeletedDate',
  'Division',
  'Timestamp',
] as const satisfies readonly SelectableField<'sync/Deleted'>[];
export const ORDER_REF_FIELDS = [
  'OrderID',
  'OrderNumber',
] as const satisfies readonly SelectableField<'salesorder/SalesOrders'>[];
export const DIVISION_FIELDS = [
  'Code',
  'Description',
  'DivisionMoveDate',
  'DivisionHRLinkUnlinkDate',
] as const satisfies readonly SelectableField<'system/Divisions'>[];
export const WEBHOOK_FIELDS = [
  'ID',
  'CallbackURL',
  'Topic',
] as const satisfies readonly SelectableField<'webhooks/WebhookSubscriptions'>[];

/** The POST fields this client may send (`SalesOrderInput` may use no other). */
const SALES_ORDER_POST_FIELDS = [
  'OrderedBy',
  'SalesOrderLines',
  'OrderDate',
  'DeliveryDate',
  'Description',
  'YourRef',
  'WarehouseID',
] as const satisfies readonly PostableField<'salesorder/SalesOrders'>[];
const SALES_ORDER_LINE_POST_FIELDS = [
  'Item',
  'Quantity',
  'NetPrice',
  'UnitPrice',
  'Description',
] as const satisfies readonly PostableField<'salesorder/SalesOrderLines'>[];
const WEBHOOK_POST_FIELDS = [
  'CallbackURL',
  'Topic',
] as const satisfies readonly PostableField<'webhooks/WebhookSubscriptions'>[];

/**
 * Filters: the targeted lookups, the YourRef lookup after an ambiguous POST, one division.
 * @internal (tests read it)
 */
export const CLIENT_FILTERS = {
  'logistics/Items': ['Code'],
  'crm/Accounts': ['Code', 'ID'],
  'salesorder/SalesOrders': ['YourRef', 'OrderedBy'],
  'system/Divisions': ['Code'],
  'sync/Deleted': ['Timestamp', 'EntityType'],
} as const satisfies { [P in keyof typeof CLIENT_SELECTS]?: readonly FilterableField<P>[] };

/**
 * `$select` lists by endpoint (the sync entities' lists live with the worker's mappings).
 * @internal (tests read it)
 */
export const CLIENT_SELECTS = {
  'logistics/Items': ITEM_LOOKUP_FIELDS,
  'crm/Accounts': ACCOUNT_LOOKUP_FIELDS,
  'sync/Deleted': DELETED_FIELDS,
  'salesorder/SalesOrders': ORDER_REF_FIELDS,
  'system/Divisions': DIVISION_FIELDS,
  'webhooks/WebhookSubscriptions': WEBHOOK_FIELDS,
} as const;

/**
 * POST fields by endpoint.
 * @internal (tests read it)
 */
export const CLIENT_POSTS = {
  'salesorder/SalesOrders': SALES_ORDER_POST_FIELDS,
  'salesorder/SalesOrderLines': SALES_ORDER_LINE_POST_FIELDS,
  'webhooks/WebhookSubscriptions': WEBHOOK_POST_FIELDS,
} as const;
