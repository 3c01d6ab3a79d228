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

/** Requests of one key in one window that go to Redis together, each with its local count as the fallback. */
interface Gathered {
  keyId: string;
  window: number;
  waiters: { local: number; answer(count: number): void }[];
}

/**
 * Requests per storefront key, one count per key over all storefront routes, in fixed windows of a minute aligned
 * to the clock, so every api process counts in the same window. The count lives in Redis (`INCRBY` on a key per API
 * key and window), so it holds across api processes; the requests of a turn of the event loop are counted in one
 * round trip (one `INCRBY` per key, each request then numbered within it), so a burst costs Redis one call. Orders
 * are accepted without Redis, and so is every request: while Redis does not answer, each process counts on its own
 * (N processes then allow a key N times the limit) and tries Redis again after a few seconds. Each process counts
 * every request locally too, so that fallback starts from where this process stood, not from zero.
 */
export function createStorefrontLimit(deps: LimitDeps): StorefrontLimit {
  const now = deps.now ?? Date.now;
  const local = new Map<string, number>();
  let localWindow = -1;
  let redisAfter = 0;
  let gathering: Map<string, Gathered> | undefined;

  const countLocally = (keyId: string, window: number): number => {
    if (window !== localWindow) {
      local.clear();
      localWindow = window;
    }
    const count = (local.get(keyId) ?? 0) + 1;
    local.set(keyId, count);
    return count;
  };

  const redisKey = (keyId: string, window: number) => `${deps.prefix}:storefront-limit:{${keyId}}:${window}`;

  /** Counts what a turn gathered in one MULTI; answers each request its own count (its local one on failure). */
  const countInRedis = async (entries: Gathered[]): Promise<void> => {
    try {
      const multi = deps.redis.multi();
      for (const { keyId, window, waiters } of entries) {
        const key = redisKey(keyId, window);
        multi.incrby(key, waiters.length).pexpireat(key, (window + 1) * WINDOW_MS + KEY_GRACE_MS);
      }
      const replies = await withTimeout(multi.exec(), REDIS_TIMEOUT_MS);
      entries.forEach(({ waiters }, i) => {
        const [error, total] = replies?.[2 * i] ?? [new Error('no reply')];
        if (error || typeof total !== 'number') throw error ?? new Error('INCRBY did not answer a number');
        waiters.forEach((waiter, n) => {
          waiter.answer(total - waiters.length + n + 1);
        });
      });
      if (redisAfter > 0) deps.onFallback?.(false);
      redisAfter = 0;
    } catch (error) {
      if (redisAfter === 0) deps.onFallback?.(true, error);
      redisAfter = now() + REDIS_RETRY_MS;
      for (const { waiters } of entries) for (const waiter of waiters) waiter.answer(waiter.local);
    }
  };

  const gather = (keyId: string, window: number, count: number): Promise<number> =>
    new Promise((answer) => {
      if (!gathering) {
        const turn = new Map<string, Gathered>();
        gathering = turn;
        setImmediate(() => {
          gathering = undefined;
          void countInRedis([...turn.values()]);
        });
      }
      const id = `${keyId}:${window}`;
      let entry = gathering.get(id);
      if (!entry) {
        entry = { keyId, window, waiters: [] };
        gathering.set(id, entry);
      }
      entry.waiters.push({ local: count, answer });
    });

  return {
    async hit(keyId) {
      const at = now();
      const window = Math.floor(at / WINDOW_MS);
      const localCount = countLocally(keyId, window);
      const count = at >= redisAfter ? await gather(keyId, window, localCount) : localCount;
      return {
        limit: deps.perMinute,
        remaining: Math.max(0, deps.perMinute - count),
        resetSeconds: Math.max(1, Math.ceil(((window + 1) * WINDOW_MS - at) / 1000)),
        allowed: count <= deps.perMinute,
      };
    },
  };
}
