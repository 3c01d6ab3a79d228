export {
  type Database,
  type DatabaseHandle,
  openDatabase,
  pingDatabase,
  type Transaction,
  withSessionLock,
} from './client.ts';
export { migrateDatabase } from './migrate.ts';
export {
  API_KEYS_CHANNEL,
  type ApiKeyRow,
  createApiKey,
  findActiveApiKey,
  listApiKeys,
  revokeApiKey,
} from './repositories/api-keys.repository.ts';
export {
  rotateCallbackSecret,
  saveFirstCallbackSecret,
} from './repositories/callback-secrets.repository.ts';
export {
  type AccountRow,
  type AddressRow,
  addressesAndContacts,
  type CatalogQuery,
  type ContactRow,
  findAccountByCode,
  type ItemRow,
  listAccounts,
  listItems,
  listPrices,
  listStock,
  type PriceRow,
  pricesOfItems,
  type StockRow,
  type StockTotalRow,
  stockOfItems,
  stockTotals,
} from './repositories/catalog.repository.ts';
export {
  type ActiveConnection,
  type ConnectionChanges,
  type ConnectionRow,
  connectionsOfDivision,
  createConnection,
  deleteConnection,
  findConnection,
  listActiveConnections,
  listConnections,
  updateConnection,
} from './repositories/connections.repository.ts';
export {
  applyParkedDeletions,
  countParkedDeletions,
  type DeletionPlanRow,
  type DeletionRoundRow,
  deletionRoundsSince,
  finishedInRound,
  listDeletionPlans,
  loadDeletionPlan,
  markDeletionRound,
  parkDeletions,
  pruneDeletionRounds,
  saveDeletionEstimate,
  switchDeletionStrategy,
  tallyDeletionPage,
} from './repositories/deletions.repository.ts';
export {
  answerLookup,
  claimLookups,
  type LookupAnswer,
  type LookupRef,
  releaseLookup,
} from './repositories/exact-lookups.repository.ts';
export { InvalidCursorError } from './repositories/keyset.ts';
export {
  belongsToAccount,
  type SyncedAccount,
  type SyncedItem,
  syncedAccount,
  syncedItemsByCode,
} from './repositories/lookup.repository.ts';
export {
  consumeOAuthState,
  issueOAuthState,
  requestReauthorization,
} from './repositories/oauth-states.repository.ts';
export {
  type BatchOrder,
  type Placement,
  placeOrders,
} from './repositories/order-batch.repository.ts';
export {
  type CallbackCounts,
  type CallbackOutcome,
  type ClaimedCallback,
  callbackCounts,
  claimDueCallbacks,
  /** @internal */
  nextCallbackDue,
  recordCallbackOutcome,
  releaseHeldCallbacks,
} from './repositories/order-callbacks.repository.ts';
export {
  exactRejectionHold,
  type RejectionHold,
  withKeyPostLock,
} from './repositories/order-limits.repository.ts';
export {
  type ExactOrderProgress,
  exactOrderProgress,
  markOrderExactVersion,
  ordersWithExactNews,
} from './repositories/order-progress.repository.ts';
export {
  countOpenOrders,
  findOrder,
  findOrderByReference,
  /** @internal tests place orders one at a time; the api places them in batches (placeOrders) */
  insertOrder,
  listOrders,
  markPostAttempt,
  type OrderRow,
  type OrderWithLines,
  openOrderIds,
  retriableFailedOrders,
  transitionOrder,
} from './repositories/orders.repository.ts';
export {
  findPricingAccount,
  loadPricingData,
  type PricingAccount,
  type PricingData,
  type PricingItem,
} from './repositories/pricing.repository.ts';
export {
  countLiveListRows,
  /** @internal */
  LIST_TABLES,
  type ListRow,
  tombstoneUnseenListRows,
  upsertListRows,
} from './repositories/reference-lists.repository.ts';
export { countOrdersByStatus, listAllSyncStates } from './repositories/status.repository.ts';
export {
  applyDeletions,
  countLiveRows,
  type Deletion,
  /** @internal */
  SYNC_TABLES,
  type SyncRow,
  tombstoneUnseen,
  upsertSyncedRows,
} from './repositories/sync.repository.ts';
export {
  dropPendingLink,
  dropSyncField,
  highestKnownTimestamp,
  holdSyncDataset,
  inSyncLock,
  listSyncStates,
  readyEntities,
  recordDivisionDates,
  recordSyncError,
  requestFullResync,
  type SyncDataset,
  type SyncStateRow,
  saveSyncState,
  transactionTime,
} from './repositories/sync-state.repository.ts';
export { createTokenStore } from './repositories/token-store.repository.ts';
export {
  recordWebhookSubscription,
  subscribedTopics,
} from './repositories/webhook-subscriptions.repository.ts';
export * from './schema/index.ts';
