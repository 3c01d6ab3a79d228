export { createTestDatabase, type TestDatabase } from './database.ts';
export { freePort } from './ports.ts';
export { builtEntry, type RunningProcess, repoRoot, startEntry, startSimulator } from './processes.ts';
export { parsePrometheus } from './prometheus.ts';
export { deleteRedisKeys } from './redis.ts';
export { type OwnRedis, startOwnRedis } from './redis-server.ts';
export { testDatabaseUrl, testRedisUrl, uniqueName } from './services.ts';
export { type SimCallStat, type SimControl, simControl } from './sim-control.ts';
export {
  onboard,
  STACK_ADMIN_TOKEN,
  STACK_METRICS_TOKEN,
  type Stack,
  type StackOptions,
  startStack,
  storefrontKey,
} from './stack.ts';
export { waitFor } from './wait.ts';
