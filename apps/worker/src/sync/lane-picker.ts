import type { Redis } from 'ioredis';

/**
 * Who is next in the sync lane, shared by every worker process: start-time fair queuing over the sync calls each
 * connection made. A connection's tag is the calls charged to it; the lane's virtual time is the tag of the last
 * connection served. The next turn goes to the candidate with the lowest tag, and charges it one call in advance, so
 * that two processes choosing at the same moment do not both choose it; every further call is charged as it is made
 * (see `FairLane.callMade`). Connections thus get the same number of calls while they all have work, whichever
 * process runs them and however many pages their runs take.
 *
 * The lane remembers little: a tag counts as at least `BEHIND` below the virtual time (a connection that had nothing
 * to do, or waited for its budget, gets a turn or two back at once, not the calls of all the time it was away) and
 * at most `AHEAD` above it (calls made long ago, an initial sync or webhook subscriptions at the start, are not paid
 * back for minutes). Within that, a run of five calls costs its connection five turns.
 */
const BEHIND = 2;
const AHEAD = 8;

export interface LanePicker {
  /** Chooses among `candidates` (at least one; ties go to the first) and charges it one call in advance. */
  pick(candidates: readonly string[]): Promise<string>;
  /** Adds `calls` to a connection's tag (negative: a refund). */
  charge(key: string, calls: number): void;
}

/** The same choice made in this process alone: for tests, and while Redis does not answer. */
export function localPicker(): LanePicker {
  const tags = new Map<string, number>();
  let virtual = 0;
  return {
    async pick(candidates) {
      let best = candidates[0] ?? '';
      let bestTag = Number.POSITIVE_INFINITY;
      for (const key of candidates) {
        const tag = Math.min(Math.max(tags.get(key) ?? virtual, virtual - BEHIND), virtual + AHEAD);
        if (tag < bestTag) {
          best = key;
          bestTag = tag;
        }
      }
      virtual = Math.max(virtual, bestTag);
      tags.set(best, bestTag + 1);
      return best;
    },
    charge(key, calls) {
      tags.set(key, (tags.get(key) ?? virtual) + calls);
    },
  };
}

/**
 * KEYS[1] tags (hash: connection → calls charged), KEYS[2] the virtual time.
 * ARGV[1] how long the state outlives its last use (ms), ARGV[2] BEHIND, ARGV[3] AHEAD; ARGV[4..] the candidates.
 * Returns the index of the chosen one (0-based). HMGET in chunks: Lua's unpack has a limit on the number of values.
 */
const PICK_LUA = `
local virtual = tonumber(redis.call('GET', KEYS[2]) or '0')
local low, high = virtual - tonumber(ARGV[2]), virtual + tonumber(ARGV[3])
local best, bestTag = 4, nil
local i = 4
while i <= #ARGV do
  local last = math.min(#ARGV, i + 999)
  local tags = redis.call('HMGET', KEYS[1], unpack(ARGV, i, last))
  for j = 1, #tags do
    local tag = math.min(math.max(tonumber(tags[j]) or virtual, low), high)
    if bestTag == nil or tag < bestTag then
      best = i + j - 1
      bestTag = tag
    end
  end
  i = last + 1
end
redis.call('HSET', KEYS[1], ARGV[best], bestTag + 1)
redis.call('SET', KEYS[2], math.max(virtual, bestTag), 'PX', ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return best - 4
`;

/** KEYS[1] tags; ARGV[1] connection, ARGV[2] calls, ARGV[3] the state's life (ms). */
const CHARGE_LUA = `
redis.call('HINCRBY', KEYS[1], ARGV[1], ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
`;

/** A connection's tag outlives its last turn by a day; the virtual time too. */
const STATE_TTL_MS = 86_400_000;

type Script = (...args: (string | number)[]) => Promise<unknown>;

function script(redis: Redis, name: string, numberOfKeys: number, lua: string): Script {
  if (typeof Reflect.get(redis, name) !== 'function') redis.defineCommand(name, { numberOfKeys, lua });
  const fn: unknown = Reflect.get(redis, name);
  if (typeof fn !== 'function') throw new Error(`ioredis did not define ${name}`);
  return (...args) => fn.apply(redis, args);
}

export interface RedisPickerOptions {
  /** First part of the keys (the worker's REDIS_PREFIX). */
  prefix: string;
  /** Told when Redis failed to answer; the choice is then made in this process. */
  onError?: (error: unknown) => void;
}

/** The picker every worker process shares, in Redis: keys `<prefix>:{lane}:tags` and `<prefix>:{lane}:virtual`. */
export function redisPicker(redis: Redis, options: RedisPickerOptions): LanePicker {
  const tagsKey = `${options.prefix}:{lane}:tags`;
  const virtualKey = `${options.prefix}:{lane}:virtual`;
  const pick = script(redis, 'exsLanePick', 2, PICK_LUA);
  const charge = script(redis, 'exsLaneCharge', 1, CHARGE_LUA);
  const fallback = localPicker();
  return {
    async pick(candidates) {
      try {
        const index = Number(await pick(tagsKey, virtualKey, STATE_TTL_MS, BEHIND, AHEAD, ...candidates));
        const chosen = candidates[index];
        if (chosen === undefined) throw new Error(`lane pick answered ${index} of ${candidates.length}`);
        return chosen;
      } catch (error) {
        options.onError?.(error);
        return fallback.pick(candidates);
      }
    },
    charge(key, calls) {
      if (calls === 0) return;
      charge(tagsKey, key, calls, STATE_TTL_MS).catch((error: unknown) => options.onError?.(error));
    },
  };
}
