import type { Clock } from './clock.ts';
import type { BudgetReason } from './errors.ts';
import { type LuaScript, loadLuaScript, type RedisLike } from './lua-script.ts';
import type { RateHeaders } from './rate-headers.ts';

/** `sync` is the rate-limited bulk lane; `order` is the priority lane that may use the whole window. */
export type Lane = 'sync' | 'order';

/** The governor's answer: a call granted, or "not before `until`" (epoch ms) and why. */
type AcquireResult = { granted: true } | { granted: false; until: number; reason: BudgetReason };

/** One rate window (minute or day) of a budget key, for status pages and metrics. */
export interface WindowSnapshot {
  /** Calls Exact allows in the window (learned from headers, else the default). */
  limit: number;
  /** Most the sync lane may use: limit minus the reserve. */
  syncShare: number;
  /** Window length, learned from successive reset headers. */
  lengthMs: number;
  /** Epoch ms when the window resets. */
  resetAt: number;
  /** Calls granted per lane; `unattributed` is what Exact reported used beyond our own count. */
  used: { sync: number; order: number; unattributed: number };
  /** Calls left: limit minus the larger of our count and Exact's (headers, when known). */
  remaining: number;
  /** After a 429: epoch ms until which the window counts as exhausted; null otherwise. */
  exhaustedUntil: number | null;
}

/** A budget key's state as the governor sees it now. */
export interface BudgetSnapshot {
  minute: WindowSnapshot;
  day: WindowSnapshot;
  /** Milliseconds the sync lane still yields to a waiting order (0 when none waits). */
  ordersWaitingMs: number;
  /** Earliest next sync grant (pacing); null when not paced. */
  nextSyncAt: number | null;
}

/**
 * A response as the governor needs it.
 * @internal exported for tests
 */
export interface RecordedResponse {
  status: number;
  headers: RateHeaders;
  /**
   * The endpoint (`service/Entity`) that answered; when given, a 400/401/403/404 counts toward its error guard.
   * Exact's own error budget is per endpoint, so the client always passes it.
   */
  endpoint?: string;
}

/** The shared rate budget of every Exact host and division, kept in Redis. */
export interface Governor {
  /** Takes one call for `lane`, or answers when to ask again. One EVALSHA, atomic across processes. */
  acquire(budgetKey: string, lane: Lane): Promise<AcquireResult>;
  /**
   * Corrects the state from a response: limits, resets and remaining from the headers (remaining = min(local,
   * header)); a 429 marks the window(s) exhausted until the header's reset, or the next minute boundary when it
   * has none. A 429 is never counted as an error. 400/401/403/404 count toward the endpoint's error guard.
   */
  record(budgetKey: string, lane: Lane, response: RecordedResponse): Promise<void>;
  /** Whether `endpoint` may be called: false once `errorGuardLimit` errors fell in the last error window. */
  guardCheck(budgetKey: string, endpoint: string): Promise<{ ok: true } | { ok: false; until: number }>;
  /** Both windows of a budget key, with the windows rolled to the clock's now (read-only). */
  snapshot(budgetKey: string): Promise<BudgetSnapshot>;
}

/** What the governor runs on. */
export interface GovernorDeps {
  redis: RedisLike;
  clock: Clock;
  /** First part of every Redis key; default `exs`. */
  keyPrefix?: string;
}

/** Reserves, defaults until headers teach better, and the error guard. */
export interface GovernorOptions {
  /**
   * Calls of each minute window guaranteed to orders: sync takes at most limit minus this, and always leaves the
   * part orders have not used yet free (at most half the limit is reserved).
   */
  syncReservePerMinute: number;
  /** Calls of each day window guaranteed to orders, as `syncReservePerMinute`. */
  syncReservePerDay: number;
  /** Minute limit until a header says otherwise; default 60. */
  defaultMinuteLimit?: number;
  /** Day limit until a header says otherwise; default 5,000. */
  defaultDayLimit?: number;
  /** Minute window length until learned from headers; default 60,000 ms. */
  defaultMinuteMs?: number;
  /** Day window length until learned from headers; default 86,400,000 ms (00:00 UTC). */
  defaultDayMs?: number;
  /** Errors per endpoint and error window after which the guard stops calling it; default 8 (Exact blocks at 10). */
  errorGuardLimit?: number;
  /** The error window; default one hour, as Exact's. */
  errorGuardWindowMs?: number;
}

const script: LuaScript = loadLuaScript(new URL('./rate-governor.lua', import.meta.url));

/** The most the sync lane may use of a window: limit minus the reserve (mirrors `reserveOf` in rate-governor.lua). */
function syncShareOf(limit: number, reserve: number): number {
  return limit - Math.min(reserve, Math.floor(limit / 2));
}

const REASONS: readonly BudgetReason[] = ['minute', 'day', 'pacing', 'orders-waiting'];

function asNumbers(reply: unknown, what: string): number[] {
  if (!Array.isArray(reply)) throw new Error(`governor script answered ${what} with a non-array`);
  return reply.map((v) => Number(v));
}

/** Creates the governor. Redis keys are `<prefix>:{<budgetKey>}:…`, hash-tagged for Redis Cluster. */
export function createGovernor(deps: GovernorDeps, options: GovernorOptions): Governor {
  const prefix = deps.keyPrefix ?? 'exs';
  const guardLimit = options.errorGuardLimit ?? 8;
  const guardWindow = options.errorGuardWindowMs ?? 3_600_000;
  const common = (lane: Lane): (string | number)[] => [
    lane,
    options.defaultMinuteLimit ?? 60,
    options.defaultDayLimit ?? 5000,
    options.defaultMinuteMs ?? 60_000,
    options.defaultDayMs ?? 86_400_000,
    Math.max(0, Math.floor(options.syncReservePerMinute)),
    Math.max(0, Math.floor(options.syncReservePerDay)),
  ];
  const keys = (budgetKey: string, endpoint?: string): string[] => {
    const base = `${prefix}:{${budgetKey}}`;
    return [`${base}:budget`, `${base}:errors:${normalizeEndpoint(endpoint ?? '-')}`];
  };
  const run = (op: string, budgetKey: string, lane: Lane, extra: (string | number)[], endpoint?: string) =>
    script.run(deps.redis, keys(budgetKey, endpoint), [op, deps.clock.now(), ...common(lane), ...extra]);

  return {
    async acquire(budgetKey, lane) {
      const reply = await run('acquire', budgetKey, lane, []);
      if (!Array.isArray(reply)) throw new Error('governor script answered acquire with a non-array');
      if (Number(reply[0]) === 1) return { granted: true };
      const reason = REASONS.find((r) => r === reply[2]) ?? 'minute';
      return { granted: false, until: Number(reply[1]), reason };
    },

    async record(budgetKey, lane, response) {
      const h = response.headers;
      const opt = (v: number | undefined): string => (v === undefined ? '' : String(v));
      await run(
        'record',
        budgetKey,
        lane,
        [
          response.status,
          opt(h.minuteLimit),
          opt(h.minuteRemaining),
          opt(h.minuteReset),
          opt(h.dayLimit),
          opt(h.dayRemaining),
          opt(h.dayReset),
          response.endpoint === undefined ? '0' : '1',
          guardWindow,
        ],
        response.endpoint,
      );
    },

    async guardCheck(budgetKey, endpoint) {
      const reply = asNumbers(
        await run('guard', budgetKey, 'order', [guardLimit, guardWindow], endpoint),
        'guard',
      );
      return reply[0] === 1 ? { ok: true } : { ok: false, until: reply[1] ?? deps.clock.now() + guardWindow };
    },

    async snapshot(budgetKey) {
      const v = asNumbers(await run('snapshot', budgetKey, 'order', []), 'snapshot');
      const at = (i: number): number => v[i] ?? 0;
      const now = deps.clock.now();
      const window = (i: number, reserve: number): WindowSnapshot => {
        const limit = at(i);
        const own = at(i + 3) + at(i + 4);
        const exhaustedUntil = at(i + 6) > now ? at(i + 6) : null;
        return {
          limit,
          syncShare: syncShareOf(limit, reserve),
          lengthMs: at(i + 1),
          resetAt: at(i + 2),
          used: { sync: at(i + 3), order: at(i + 4), unattributed: Math.max(0, at(i + 5) - own) },
          remaining: exhaustedUntil === null ? Math.max(0, limit - Math.max(own, at(i + 5))) : 0,
          exhaustedUntil,
        };
      };
      // Minute fields start at 0 (the 8th is the pacing time); day fields at 8, the marker's PTTL last.
      return {
        minute: window(0, options.syncReservePerMinute),
        day: window(8, options.syncReservePerDay),
        ordersWaitingMs: at(15),
        nextSyncAt: at(7) > now ? at(7) : null,
      };
    },
  };
}

/** Endpoint names as the guard counts them: `salesorder/salesorders`, without keys or query. */
export function normalizeEndpoint(endpoint: string): string {
  return endpoint
    .replace(/[?(].*$/, '')
    .replace(/^\/+|\/+$/g, '')
    .toLowerCase();
}
