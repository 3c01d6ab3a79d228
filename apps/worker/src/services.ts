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
  EndpointGuardedError,
  type ExactCallObserver,
  type ExactClient,
  type Governor,
  RetryLaterError,
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
import { FairLane, type LaneWait } from './sync/fair-lane.ts';
import { redisPicker } from './sync/lane-picker.ts';

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
  /** The sync lane's run slots, in fair turns by connection (shared with the other processes through Redis). */
  readonly syncLane: FairLane;
  close(): Promise<void>;
}

/**
 * The longest wait for budget the sync lane holds a run through (the rest of a minute window, with its reset's
 * jitter); a run refused for longer (the day's share used) goes back to BullMQ's delayed set.
 */
const LANE_WAIT_MAX_MS = 65_000;

/**
 * Which refusals the sync lane waits out itself: the budget's (its pacing, the window's share used, an order going
 * first) and an early token refresh hold the whole connection; the error guard only the dataset's endpoint.
 * @internal exported for its test
 */
export function laneWait(error: unknown, now: number): LaneWait | undefined {
  if (!(error instanceof RetryLaterError) || error.until - now > LANE_WAIT_MAX_MS) return undefined;
  return { until: error.until, scope: error instanceof EndpointGuardedError ? 'dataset' : 'connection' };
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
    syncLane: new FairLane(SYNC_SLOTS, {
      picker: redisPicker(redis, {
        prefix: config.REDIS_PREFIX,
        onError: (error) => log.warn({ err: error }, 'sync lane: Redis did not answer; turns chosen locally'),
      }),
      now: () => clock.now(),
      waitOf: (error) => laneWait(error, clock.now()),
    }),
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
  // Every sync call counts toward the connection's turns in the lane (see lane-picker.ts).
  const observer: ExactCallObserver = {
    onResponse(event) {
      services.metrics.exact.onResponse?.(event);
      if (event.lane === 'sync') services.syncLane.callMade(connectionId);
    },
    onGuardBlocked: (endpoint, lane) => services.metrics.exact.onGuardBlocked?.(endpoint, lane),
  };
  const exact = createExactClient(
    {
      governor: services.governor,
      tokens: services.tokens.providerFor(connectionId),
      clock: services.clock,
      transport: services.transport,
      logger: services.log.child({ connectionId }),
      observer,
    },
    { baseUrl: connection.exactBaseUrl, division: connection.division },
  );
  return { ok: true, exact, connection };
}
