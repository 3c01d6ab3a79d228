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
export { accountIdByCode, itemIdsByCode } from './repositories/lookup.repository.ts';
export {
  findOrder,
  InvalidCursorError,
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
  /** @internal */
  SYNC_TABLES,
  type SyncDataset,
  type SyncRow,
  saveSyncState,
  tombstoneUnseen,
  tryLockSync,
  upsertSyncedRows,
} from './repositories/sync.repository.ts';
export * from './schema/index.ts';
