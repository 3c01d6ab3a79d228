export { ConfigError, parseEnv, type ServiceEnv, serviceEnvSchema } from './config.ts';
export { CONNECTION_STATUSES, mayAuthorize } from './connections.ts';
export {
  chainsOf,
  DELETION_CHAINS,
  DELETION_STRATEGIES,
  type DeletionChain,
  type DeletionStrategy,
  entitiesOfChain,
  entityTypeOfChain,
  SYNC_DATASETS,
  typedChainOf,
} from './deletion-chains.ts';
export { decodeEncryptionKey, ENCRYPTION_KEY_RULE } from './encryption-key.ts';
export {
  ENTITY_NAMES,
  type EntitiesSettings,
  type EntityName,
  EXACT_ENTITIES,
  enabledEntities,
  entityForDeletedType,
  entityNameSchema,
  isEntityEnabled,
  targetLagSeconds,
  WEBHOOK_TOPICS,
} from './entities.ts';
export {
  CAPPED_BACKOFF_MAX_MS,
  isJobName,
  JOB_NAMES,
  JOBS,
  type JobName,
  type JobPayload,
  jobsOfQueue,
  parsePayload,
  schedulerTemplate,
  syncDedup,
  syncDedupId,
} from './jobs.ts';
export {
  EXACT_LISTS,
  LIST_INTERVAL_SECONDS,
  LIST_NAMES,
  type ListName,
} from './lists.ts';
export { argsForLog, errorForLog, errorSummary, fieldsForLog, LOG_REDACT_PATHS } from './log-safety.ts';
export {
  CHANNELS,
  type Channel,
  canTransition,
  ORDER_LIMIT_WINDOW_MS,
  ORDER_REJECTION_CODES,
  ORDER_STATUSES,
  type OrderProblem,
  type OrderRejectionDetail,
  type OrderStatus,
  orderReferenceSchema,
  progressPath,
  yourRefFor,
} from './orders.ts';
export { type LinePrice, priceLine, type RuleMatch, unitFactor, type VatSource } from './pricing.ts';
export { QUEUE_NAMES, type QueueName } from './queues.ts';
export { withTimeout } from './timeout.ts';
