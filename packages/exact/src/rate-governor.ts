import type { Clock } from './clock.ts';
import type { BudgetReason } from './errors.ts';
import { governorCommands, type RedisLike, readReply } from './governor-commands.ts';
import type { RateHeaders } from './rate-headers.ts';

/** `sync` is the rate-limited bulk lane; `order` is the priority lane that may use the whole window. */
export type Lane = 'sync' | 'order';

/** Why a call was refused: the budget (`BudgetReason`), or the endpoint's error guard. */
type RefusalReason = BudgetReason | 'guarded';

/** The governor's answer: a call granted, or "not before `until`" (epoch ms) and why. */
type AcquireResult = { granted: true } | { granted: false; until: number; reason: RefusalReason };

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
  /**
   * Takes one call for `lane` to `endpoint` (`service/Entity`), or answers when to ask again and why: `guarded`
   * when the endpoint's error guard holds it (`errorGuardLimit` errors in the last error window), else the budget's
   * reason. One EVALSHA, atomic across processes.
   */
  acquire(budgetKey: string, lane: Lane, endpoint: string): Promise<AcquireResult>;
  /**
   * Corrects the state from a response: limits, resets and remaining from the headers (remaining = min(local,
   * header)); a 429 marks the window(s) exhausted until the header's reset, or the next minute boundary when it
   * has none. A 429 is never counted as an error. 400/401/403/404 count toward the endpoint's error guard.
   */
  record(budgetKey: string, lane: Lane, response: RecordedResponse): Promise<void>;
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

const REASONS: readonly RefusalReason[] = ['guarded', 'minute', 'day', 'pacing', 'orders-waiting'];

function refusalReason(value: string): RefusalReason {
  const reason = REASONS.find((r) => r === value);
  if (reason === undefined) throw new Error(`governor script acquire answered an unknown reason ${value}`);
  return reason;
}

/**
 * Creates the governor: one Lua script per operation (`governor/*.lua`), defined once per Redis connection. Redis
 * keys are `<prefix>:{<budgetKey>}:…`, hash-tagged for Redis Cluster.
 */
export function createGovernor(deps: GovernorDeps, options: GovernorOptions): Governor {
  const prefix = deps.keyPrefix ?? 'exs';
  const guardLimit = options.errorGuardLimit ?? 8;
  const guardWindow = options.errorGuardWindowMs ?? 3_600_000;
  const commands = governorCommands(deps.redis);
  // ARGV[1..7] of every script (governor/includes/budget.lua).
  const settings = (now: number): number[] => [
    now,
    options.defaultMinuteLimit ?? 60,
    options.defaultDayLimit ?? 5000,
    options.defaultMinuteMs ?? 60_000,
    options.defaultDayMs ?? 86_400_000,
    Math.max(0, Math.floor(options.syncReservePerMinute)),
    Math.max(0, Math.floor(options.syncReservePerDay)),
  ];
  const budget = (budgetKey: string): string => `${prefix}:{${budgetKey}}:budget`;
  const errors = (budgetKey: string, endpoint: string): string =>
    `${prefix}:{${budgetKey}}:errors:${normalizeEndpoint(endpoint)}`;

  return {
    async acquire(budgetKey, lane, endpoint) {
      const reply = readReply(
        await commands.acquire(
          [budget(budgetKey), errors(budgetKey, endpoint)],
          [...settings(deps.clock.now()), lane, guardLimit, guardWindow],
        ),
        'acquire',
      );
      if (reply.number('granted') === 1) return { granted: true };
      return { granted: false, until: reply.number('until'), reason: refusalReason(reply.string('reason')) };
    },

    async record(budgetKey, _lane, response) {
      const h = response.headers;
      const opt = (v: number | undefined): string => (v === undefined ? '' : String(v));
      await commands.record(
        [budget(budgetKey), errors(budgetKey, response.endpoint ?? '-')],
        [
          ...settings(deps.clock.now()),
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
      );
    },

    async snapshot(budgetKey) {
      const now = deps.clock.now();
      const reply = readReply(await commands.snapshot([budget(budgetKey)], settings(now)), 'snapshot');
      const window = (name: 'minute' | 'day'): WindowSnapshot => {
        const at = (field: string): number => reply.number(`${name}.${field}`);
        const limit = at('limit');
        const sync = at('sync');
        const order = at('order');
        const headerUsed = at('headerUsed');
        const exhaustedUntil = at('exhaustedUntil') > now ? at('exhaustedUntil') : null;
        return {
          limit,
          syncShare: at('syncShare'),
          lengthMs: at('lengthMs'),
          resetAt: at('resetAt'),
          used: { sync, order, unattributed: Math.max(0, headerUsed - sync - order) },
          remaining: exhaustedUntil === null ? Math.max(0, limit - Math.max(sync + order, headerUsed)) : 0,
          exhaustedUntil,
        };
      };
      const nextSyncAt = reply.number('nextSyncAt');
      return {
        minute: window('minute'),
        day: window('day'),
        ordersWaitingMs: reply.number('ordersWaitingMs'),
        nextSyncAt: nextSyncAt > now ? nextSyncAt : null,
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
