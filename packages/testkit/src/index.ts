export { createTestDatabase, type TestDatabase } from './database.ts';
export { type RunningProcess, repoRoot, startEntry, startSimulator } from './processes.ts';
export { deleteRedisKeys } from './redis.ts';
export { testDatabaseUrl, testRedisUrl, uniqueName } from './services.ts';
export {
  type SimCallStat,
  type SimControl,
  type SimEntity,
  type SimRecord,
  simControl,
} from './sim-control.ts';
