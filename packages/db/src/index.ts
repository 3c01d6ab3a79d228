export {
  type Database,
  type DatabaseHandle,
  type DatabaseOptions,
  openDatabase,
  pingDatabase,
} from './client.ts';
export { migrateDatabase } from './migrate.ts';
export * from './schema/index.ts';
