import { withTimeout } from '@exact-sync/core';
import { Redis } from 'ioredis';

/**
 * A Redis connection for BullMQ workers and blocking commands: BullMQ requires `maxRetriesPerRequest: null` there,
 * so commands wait for a reconnect instead of failing.
 */
export function workerRedis(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, lazyConnect: false });
}

/**
 * A Redis connection for producers that must not hang when Redis is down (the api accepts orders without Redis):
 * commands fail fast and the caller falls back on Postgres.
 */
export function producerRedis(url: string): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    connectTimeout: 2_000,
    retryStrategy: (times) => Math.min(times * 200, 2_000),
  });
}

/** True when Redis answers PING within a second. */
export async function pingRedis(redis: Redis): Promise<boolean> {
  try {
    return (await withTimeout(redis.ping(), 1_000)) === 'PONG';
  } catch {
    return false;
  }
}
