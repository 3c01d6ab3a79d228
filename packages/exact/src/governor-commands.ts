import { readFileSync } from 'node:fs';
import type { Cluster, Redis } from 'ioredis';

/** What the governor needs of a Redis connection: a standalone client or a cluster. */
export type RedisLike = Redis | Cluster;

type Arg = string | number;

/** One governor script, run as an ioredis custom command: keys, then arguments. */
type Command = (keys: readonly string[], args: readonly Arg[]) => Promise<unknown>;

const INCLUDE = /^--- @include "([a-z-]+)"$/gm;

/** A script's source with its `--- @include "name"` lines replaced by `governor/includes/<name>.lua`, as bullmq does. */
function scriptSource(name: string): string {
  const read = (path: string): string => readFileSync(new URL(`./governor/${path}`, import.meta.url), 'utf8');
  return read(`${name}.lua`).replace(INCLUDE, (_, include: string) => read(`includes/${include}.lua`));
}

interface Script {
  /** The ioredis command name (a method on the connection once defined). */
  readonly command: string;
  readonly numberOfKeys: number;
  /** Writes nothing: a cluster may send it to a replica. */
  readonly readOnly: boolean;
  readonly lua: string;
}

/** The governor's scripts: one per operation, each in `governor/<name>.lua`. */
const SCRIPTS = {
  acquire: { command: 'exsGovernorAcquire', numberOfKeys: 2, readOnly: false, lua: scriptSource('acquire') },
  record: { command: 'exsGovernorRecord', numberOfKeys: 2, readOnly: false, lua: scriptSource('record') },
  snapshot: {
    command: 'exsGovernorSnapshot',
    numberOfKeys: 1,
    readOnly: true,
    lua: scriptSource('snapshot'),
  },
} as const satisfies Record<string, Script>;

type GovernorCommands = Readonly<Record<keyof typeof SCRIPTS, Command>>;

function define(redis: RedisLike, script: Script): Command {
  redis.defineCommand(script.command, {
    lua: script.lua,
    numberOfKeys: script.numberOfKeys,
    readOnly: script.readOnly,
  });
  const fn: unknown = Reflect.get(redis, script.command);
  if (typeof fn !== 'function') throw new Error(`ioredis did not define ${script.command}`);
  return (keys, args) => fn.call(redis, ...keys, ...args);
}

const defined = new WeakMap<RedisLike, GovernorCommands>();

/**
 * The governor's commands on one connection, defined with `redis.defineCommand` the first time the connection is
 * seen (ioredis then runs them with EVALSHA, loading them again after a restart or failover) and reused after, so any
 * number of governors may share a client.
 */
export function governorCommands(redis: RedisLike): GovernorCommands {
  const known = defined.get(redis);
  if (known) return known;
  const commands: GovernorCommands = {
    acquire: define(redis, SCRIPTS.acquire),
    record: define(redis, SCRIPTS.record),
    snapshot: define(redis, SCRIPTS.snapshot),
  };
  defined.set(redis, commands);
  return commands;
}

/** A script's reply: a flat list of names and values, read by name (never by position). */
interface Reply {
  number(name: string): number;
  string(name: string): string;
}

export function readReply(reply: unknown, script: string): Reply {
  if (!Array.isArray(reply) || reply.length % 2 !== 0) {
    throw new Error(`governor script ${script} answered without name/value pairs`);
  }
  const fields = new Map<string, unknown>();
  for (let i = 0; i < reply.length; i += 2) fields.set(String(reply[i]), reply[i + 1]);
  const field = (name: string): unknown => {
    if (!fields.has(name)) throw new Error(`governor script ${script} answered without ${name}`);
    return fields.get(name);
  };
  return {
    number(name) {
      const value = Number(field(name));
      if (!Number.isFinite(value)) throw new Error(`governor script ${script} answered ${name} not a number`);
      return value;
    },
    string: (name) => String(field(name)),
  };
}
