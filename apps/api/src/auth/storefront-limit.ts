import { withTimeout } from '@exact-sync/core';
import type { Redis } from 'ioredis';

const WINDOW_MS = 60_000;
// A Redis that hangs must not hold a request up for long, nor on every request: after a failure the count stays in
// the process for a while before Redis is tried again.
const REDIS_TIMEOUT_MS = 250;
const REDIS_RETRY_MS = 5_000;
// Keys live a little past their window, so a clock a little behind Redis's still finds its count.
const KEY_GRACE_MS = 5_000;

/** Where a key stands in the current window: what the `RateLimit-*` headers say. */
interface LimitState {
  readonly limit: number;
  readonly remaining: number;
  /** Seconds until the window ends and the count restarts (at least 1). */
  readonly resetSeconds: number;
  /** False when this request is over the limit: answer 429. */
  readonly allowed: boolean;
}

export interface StorefrontLimit {
  /** Counts one request of a key, and answers where the key stands. Never throws; never waits long for Redis. */
  hit(keyId: string): Promise<LimitState>;
}

interface LimitDeps {
  redis: Redis;
  /** REDIS_PREFIX of the installation. */
  prefix: string;
  perMinute: number;
  /** Told when counting moves from Redis to the process (`true`) and back (`false`). */
  onFallback?: (fallback: boolean, error?: unknown) => void;
  now?: () => number;
}

/**
 * Requests per storefront key, one count per key over all storefront routes, in fixed windows of a minute aligned
 * to the clock, so every api process counts in the same window. The count lives in Redis (`INCR` on a key per API
 * key and window), so it holds across api processes. Orders are accepted without Redis, and so is every request:
 * while Redis does not answer, each process counts on its own (N processes then allow a key N times the limit) and
 * tries Redis again after a few seconds. Each process counts every request locally too, so that fallback starts
 * from where this process stood, not from zero.
 */
export function createStorefrontLimit(deps: LimitDeps): StorefrontLimit {
  const now = deps.now ?? Date.now;
  const local = new Map<string, number>();
  let localWindow = -1;
  let redisAfter = 0;

  const countLocally = (keyId: string, window: number): number => {
    if (window !== localWindow) {
      local.clear();
      localWindow = window;
    }
    const count = (local.get(keyId) ?? 0) + 1;
    local.set(keyId, count);
    return count;
  };

  const countInRedis = async (keyId: string, window: number): Promise<number> => {
    const key = `${deps.prefix}:storefront-limit:{${keyId}}:${window}`;
    const replies = await withTimeout(
      deps.redis
        .multi()
        .incr(key)
        .pexpireat(key, (window + 1) * WINDOW_MS + KEY_GRACE_MS)
        .exec(),
      REDIS_TIMEOUT_MS,
    );
    const [error, count] = replies?.[0] ?? [new Error('no reply')];
    if (error || typeof count !== 'number') throw error ?? new Error('INCR did not answer a number');
    return count;
  };

  return {
    async hit(keyId) {
      const at = now();
      const window = Math.floor(at / WINDOW_MS);
      let count = countLocally(keyId, window);
      if (at >= redisAfter) {
        try {
          count = await countInRedis(keyId, window);
          if (redisAfter > 0) deps.onFallback?.(false);
          redisAfter = 0;
        } catch (error) {
          if (redisAfter === 0) deps.onFallback?.(true, error);
          redisAfter = now() + REDIS_RETRY_MS;
        }
      }
      return {
        limit: deps.perMinute,
        remaining: Math.max(0, deps.perMinute - count),
        resetSeconds: Math.max(1, Math.ceil(((window + 1) * WINDOW_MS - at) / 1000)),
        allowed: count <= deps.perMinute,
      };
    },
  };
}
