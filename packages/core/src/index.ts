export { ConfigError, parseEnv, type ServiceEnv, serviceEnvSchema } from './config.ts';
export { CONNECTION_STATUSES, type ConnectionStatus, connectionStatusSchema } from './connections.ts';
export {
  ENTITY_NAMES,
  type EntityName,
  EXACT_ENTITIES,
  entityForDeletedType,
  entityNameSchema,
} from './entities.ts';
export {
  type DefaultJobOptions,
  isJobName,
  JOB_NAMES,
  JOBS,
  type JobName,
  type JobPayload,
  jobsOfQueue,
  parsePayload,
  syncDedupId,
} from './jobs.ts';
export {
  CHANNELS,
  type Channel,
  canTransition,
  channelSchema,
  ORDER_STATUSES,
  ORDER_TRANSITIONS,
  type OrderStatus,
  orderReferenceSchema,
  orderStatusSchema,
  YOUR_REF_MAX,
  yourRefFor,
} from './orders.ts';
export { QUEUE_NAMES, type QueueName } from './queues.ts';
