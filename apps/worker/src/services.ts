import {
  type ConnectionRow,
  createTokenStore,
  type DatabaseHandle,
  findConnection,
  openDatabase,
} from '@exact-sync/db';
import {
  type Clock,
  createExactClient,
  createGovernor,
  createTokenManager,
  createUndiciTransport,
  type ExactClient,
  type Governor,
  systemClock,
  type TokenManager,
  type Transport,
} from '@exact-sync/exact';
import { closeQueues, createQueues, type Queues, workerRedis } from '@exact-sync/queues';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { WorkerConfig } from './config.ts';
import { SYNC_SLOTS, WORKER_CONCURRENCY } from './consumers.ts';
import { createWorkerMetrics, type WorkerMetrics } from './metrics.ts';
import { FairLane } from './sync/fair-lane.ts';

/** Everything the job handlers share in one worker process. */
export interface WorkerServices {
  readonly config: WorkerConfig;
  readonly database: DatabaseHandle;
  readonly redis: Redis;
  readonly queues: Queues;
  readonly governor: Governor;
  readonly tokens: TokenManager;
  readonly transport: Transport;
  readonly clock: Clock;
  readonly log: Logger;
  readonly metrics: WorkerMetrics;
  /** The sync lane's run slots, round-robin by connection. */
  readonly syncLane: FairLane;
  close(): Promise<void>;
}

export function createServices(
  config: WorkerConfig,
  log: Logger,
  clock: Clock = systemClock,
): WorkerServices {
  // Every job in flight may hold a connection (a sync page's transaction, an order's lock session), and the
  // maintenance loop one more: the pool leaves room for all of them plus the queries they make meanwhile.
  const database = openDatabase(config.DATABASE_URL, {
    applicationName: 'exact-sync-worker',
    max: WORKER_CONCURRENCY.orders + SYNC_SLOTS + 6,
  });
  const redis = workerRedis(config.REDIS_URL);
  const queues = createQueues(redis, config.REDIS_PREFIX);
  const governor = createGovernor(
    { redis, clock, keyPrefix: config.REDIS_PREFIX },
    { syncReservePerMinute: config.SYNC_RESERVE_PER_MINUTE, syncReservePerDay: config.SYNC_RESERVE_PER_DAY },
  );
  const tokens = createTokenManager({
    store: createTokenStore(database.db),
    clock,
    encryptionKey: config.TOKEN_ENCRYPTION_KEY,
    clientId: config.EXACT_CLIENT_ID,
    clientSecret: config.EXACT_CLIENT_SECRET,
    exactBaseUrl: config.EXACT_BASE_URL,
    logger: log.child({ component: 'tokens' }),
  });
  const transport = createUndiciTransport();
  return {
    config,
    database,
    redis,
    queues,
    governor,
    tokens,
    transport,
    clock,
    log,
    metrics: createWorkerMetrics(),
    syncLane: new FairLane(SYNC_SLOTS),
    async close() {
      await closeQueues(queues);
      await transport.close();
      await database.close();
      redis.disconnect();
    },
  };
}

export type ConnectionAccess =
  | { ok: true; exact: ExactClient; connection: ConnectionRow }
  | { ok: false; reason: string };

/**
 * The Exact client of a connection, or why it may not call Exact now (gone, paused, not authorized, needs
 * re-authorization): its jobs then make no calls at all.
 */
export async function exactFor(services: WorkerServices, connectionId: string): Promise<ConnectionAccess> {
  const connection = await findConnection(services.database.db, connectionId);
  if (!connection) return { ok: false, reason: 'connection no longer exists' };
  if (connection.paused) return { ok: false, reason: 'connection is paused' };
  if (connection.status !== 'active' || connection.division === null) {
    return { ok: false, reason: `connection is ${connection.status}` };
  }
  const exact = createExactClient(
    {
      governor: services.governor,
      tokens: services.tokens.providerFor(connectionId),
      clock: services.clock,
      transport: services.transport,
      logger: services.log.child({ connectionId }),
      observer: services.metrics.exact,
    },
    { baseUrl: connection.exactBaseUrl, division: connection.division },
  );
  return { ok: true, exact, connection };
}
