import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Cluster, Redis } from 'ioredis';

/** What the governor needs of a Redis connection: a standalone client or a cluster. */
export type RedisLike = Redis | Cluster;

/** A Lua script run with EVALSHA, loaded with EVAL on the first NOSCRIPT (after a restart or failover). */
export interface LuaScript {
  readonly sha: string;
  run(redis: RedisLike, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown>;
}

/** Reads a script file next to the calling module. */
export function loadLuaScript(url: URL): LuaScript {
  const source = readFileSync(url, 'utf8');
  const sha = createHash('sha1').update(source).digest('hex');
  return {
    sha,
    async run(redis, keys, args) {
      try {
        return await redis.evalsha(sha, keys.length, ...keys, ...args);
      } catch (err) {
        if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
        return await redis.eval(source, keys.length, ...keys, ...args);
      }
    },
  };
}
