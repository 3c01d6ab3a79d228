export {
  type Database,
  type DatabaseHandle,
  openDatabase,
  pingDatabase,
  withSessionLock,
} from './client.ts';
export { migrateDatabase } from './migrate.ts';
export {
  type AccountRow,
  type CatalogQuery,
  type ItemRow,
  listAccounts,
  listItems,
  listPrices,
  listStock,
  type PriceRow,
  type StockRow,
  type StockTotalRow,
  stockTotals,
} from './repositories/catalog.repository.ts';
export { InvalidCursorError } from './repositories/keyset.ts';
export { accountIdByCode, itemIdsByCode } from './repositories/lookup.repository.ts';
export {
  consumeOAuthState,
  issueOAuthState,
  requestReauthorization,
} from './repositories/oauth-states.repository.ts';
export {
  findOrder,
  insertOrder,
  listOrders,
  markPostAttempt,
  type OrderRow,
  type OrderWithLines,
  transitionOrder,
} from './repositories/orders.repository.ts';
export {
  applyDeletions,
  countLiveRows,
  type Deletion,
  listSyncStates,
  loadSyncState,
  requestFullResync,
  SYNC_TABLES,
  type SyncDataset,
  type SyncRow,
  saveSyncState,
  tombstoneUnseen,
  tryLockSync,
  upsertSyncedRows,
} from './repositories/sync.repository.ts';
export * from './schema/index.ts';
