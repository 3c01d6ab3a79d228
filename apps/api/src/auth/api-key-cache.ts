import type { Channel } from '@exact-sync/core';

/** An active storefront key, as authentication needs it. */
export interface ActiveKey {
  id: string;
  connectionId: string;
  channel: Channel;
}

export interface ApiKeyCache {
  /** The active key with this hash, from memory when known and fresh, else from `lookup`. */
  find(keyHash: string): Promise<ActiveKey | undefined>;
  /** Forgets every key: a key was revoked or deleted somewhere. */
  clear(): void;
  /**
   * Whether keys may be served from memory: true while revocations are heard (the LISTEN connection is up); while
   * false every request looks its key up.
   */
  setLive(live: boolean): void;
}

// Bounds on memory; past it the oldest entries are dropped first (Map order).
const MAX_KEYS = 10_000;

/**
 * Active storefront keys in memory, by hash, for `ttlMs`, so a request costs no lookup. Only active keys are kept
 * (unknown ones are counted by the auth failures instead). Revocation must take effect at once in every process:
 * `clear` is called on every `API_KEYS_CHANNEL` notification and when the listening connection (re)connects, and a
 * lookup that started before a `clear` is not kept. Concurrent misses of one key share one lookup.
 */
export function createApiKeyCache(deps: {
  lookup(keyHash: string): Promise<ActiveKey | undefined>;
  ttlMs: number;
  now?: () => number;
}): ApiKeyCache {
  const now = deps.now ?? Date.now;
  const keys = new Map<string, { key: ActiveKey; until: number }>();
  const pending = new Map<string, Promise<ActiveKey | undefined>>();
  let generation = 0;
  let live = false;

  const load = (keyHash: string): Promise<ActiveKey | undefined> => {
    const started = generation;
    const lookup = deps.lookup(keyHash).then(
      (key) => {
        if (pending.get(keyHash) === lookup) pending.delete(keyHash);
        if (key && live && started === generation) {
          for (const old of keys.keys()) {
            if (keys.size < MAX_KEYS) break;
            keys.delete(old);
          }
          keys.set(keyHash, { key, until: now() + deps.ttlMs });
        }
        return key;
      },
      (error: unknown) => {
        if (pending.get(keyHash) === lookup) pending.delete(keyHash);
        throw error;
      },
    );
    pending.set(keyHash, lookup);
    return lookup;
  };

  return {
    find(keyHash) {
      const cached = keys.get(keyHash);
      if (cached && live && cached.until > now()) return Promise.resolve(cached.key);
      if (cached) keys.delete(keyHash);
      if (!live) return deps.lookup(keyHash);
      return pending.get(keyHash) ?? load(keyHash);
    },
    clear() {
      generation += 1;
      keys.clear();
      pending.clear();
    },
    setLive(value) {
      generation += 1;
      keys.clear();
      pending.clear();
      live = value;
    },
  };
}
