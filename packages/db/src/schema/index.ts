export {
  apiKeys,
  type ChannelSettings,
  type ChannelsSettings,
  callbackSecrets,
  connections,
  oauthStates,
  webhookSubscriptions,
} from './connections.ts';
export { type DeletionCounts, deletionPlans, deletionRounds, pendingDeletions } from './deletions.ts';
export { exactLookups, type LookupKind } from './lookups.ts';
export {
  type OrderCallbackEvent,
  type OrderCustomer,
  orderCallbacks,
  orderLines,
  orders,
} from './orders.ts';
export {
  itemGroups,
  priceListPeriods,
  priceLists,
  units,
  vatCodes,
  vatPercentages,
  volumeDiscounts,
  warehouses,
} from './reference-lists.ts';
export { syncState } from './sync-state.ts';
export { accounts, items, salesItemPrices, stockPositions } from './synced.ts';
export {
  addresses,
  contacts,
  exactOrderHeaders,
  exactOrderLines,
  goodsDeliveries,
  goodsDeliveryLines,
  salesInvoiceLines,
} from './synced-sales.ts';
