import { type Clock, sleep } from './clock.ts';
import { errorForResponse, parseJsonBody } from './error-mapping.ts';
import {
  BudgetExhaustedError,
  EndpointGuardedError,
  ExactNetworkError,
  ExactRateLimitedError,
  ExactServerError,
} from './errors.ts';
import type { Governor, Lane } from './rate-governor.ts';
import { normalizeEndpoint } from './rate-governor.ts';
import { parseRateHeaders, type RateHeaders } from './rate-headers.ts';
import type { TokenProvider } from './token-provider.ts';
import type { Transport, TransportRequest } from './transport.ts';

/** A pino-like logger; the client logs method, endpoint, status and timing, never tokens. */
export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/**
 * One answer (or the lack of one) from Exact, as metrics see it: no URL, token or body.
 * @internal exported for tests
 */
export interface ExactCallEvent {
  method: TransportRequest['method'];
  /** `service/entity`, lower-cased: a bounded set, fit for a metric label. */
  endpoint: string;
  lane: Lane;
  /** HTTP status, or `network` when no answer came. */
  status: number | 'network';
  durationMs: number;
}

/**
 * Watches the calls of a client, e.g. to count them in Prometheus; the package itself records no metrics. Callbacks
 * run synchronously in the call path, so they must be cheap and must not throw.
 */
export interface ExactCallObserver {
  /** After every response, including 401s that are retried and 429s that go back to the governor. */
  onResponse?(event: ExactCallEvent): void;
  /** When the error guard refuses a call because the endpoint neared Exact's error limit. */
  onGuardBlocked?(endpoint: string, lane: Lane): void;
}

/** How long a call may sleep for a grant. */
export interface CallOptions {
  /** Default 2,000 ms on the order lane, 0 on the sync lane (a sync job is delayed instead of sleeping). */
  maxWaitMs?: number;
}

/** What the call pipeline runs on. */
export interface CallDeps {
  governor: Governor;
  tokens: TokenProvider;
  clock: Clock;
  transport: Transport;
  logger?: Logger;
  observer?: ExactCallObserver;
}

/** One request as the endpoint helpers describe it. */
interface ExactRequest {
  method: TransportRequest['method'];
  url: string;
  /** `service/Entity`, the unit of Exact's error budget. */
  endpoint: string;
  body?: unknown;
  /** False only for URLs without a division (`current/Me`): not counted, no headers. */
  governed: boolean;
  lane: Lane;
  options?: CallOptions;
}

/** Performs one Exact request: returns the parsed JSON of a 2xx (undefined when empty). */
export type ExactCall = (req: ExactRequest) => Promise<unknown>;

const DEFAULT_ORDER_WAIT_MS = 2000;
// Bounds the loop if a clock or a misbehaving server keeps answering "now".
const MAX_ATTEMPTS = 12;

function untilFrom429(headers: RateHeaders, now: number): number {
  const resets = [headers.minuteReset, headers.dayReset].filter(
    (r): r is number => r !== undefined && r > now,
  );
  return resets.length > 0 ? Math.max(...resets) : now + 60_000;
}

/**
 * The pipeline every governed call goes through, taking calls from the budget `budgetKey`: error guard and budget
 * grant in one step (sleeping within the caller's wait) → request with the bearer token → headers recorded → errors
 * mapped. A 401 refreshes the token once and retries with the new one, never with the refused one; a 429 goes back
 * to the governor, so it surfaces as BudgetExhaustedError, never as a failure.
 */
export function createExactCall(deps: CallDeps, budgetKey: string): ExactCall {
  const { governor, clock, logger, observer } = deps;

  /** Takes a grant, sleeping within the deadline; answers whether it slept. */
  async function grant(req: ExactRequest, deadline: number): Promise<boolean> {
    for (let i = 0; i < MAX_ATTEMPTS; i += 1) {
      const result = await governor.acquire(budgetKey, req.lane, req.endpoint);
      if (result.granted) return i > 0;
      if (result.reason === 'guarded') {
        observer?.onGuardBlocked?.(req.endpoint, req.lane);
        throw new EndpointGuardedError(req.endpoint, result.until);
      }
      if (result.until > deadline) throw new BudgetExhaustedError(result.until, result.reason);
      await sleep(result.until - clock.now());
    }
    throw new BudgetExhaustedError(clock.now() + 1000, 'pacing');
  }

  return async function call(req) {
    const endpoint = normalizeEndpoint(req.endpoint);
    const request: ExactRequest = { ...req, endpoint };
    const maxWait = req.options?.maxWaitMs ?? (req.lane === 'order' ? DEFAULT_ORDER_WAIT_MS : 0);
    const deadline = clock.now() + maxWait;
    // Asked before the grant, so a connection without a usable token takes no grant.
    let token = await deps.tokens.accessToken();
    let rejected: string | undefined;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
      // A call that slept for its grant asks again (its token may have reached its refresh window meanwhile),
      // unless it retries after a 401 with the token the provider just gave it.
      const slept = req.governed && (await grant(request, deadline));
      if (slept && rejected === undefined) token = await deps.tokens.accessToken();
      const started = clock.now();
      const headers: Record<string, string> = {
        Accept: 'application/json',
        Authorization: `Bearer ${token}`,
      };
      let body: string | undefined;
      if (req.body !== undefined) {
        headers['Content-Type'] = 'application/json';
        headers.Prefer = 'return=representation';
        body = JSON.stringify(req.body);
      }
      let res: Awaited<ReturnType<Transport['request']>>;
      try {
        res = await deps.transport.request({ method: req.method, url: req.url, headers, body });
      } catch (err) {
        const what =
          err instanceof Error ? `${err.name}${'code' in err ? ` ${String(err.code)}` : ''}` : 'error';
        logger?.warn({ method: req.method, endpoint, lane: req.lane, err: what }, 'exact request failed');
        observer?.onResponse?.({
          method: req.method,
          endpoint,
          lane: req.lane,
          status: 'network',
          durationMs: clock.now() - started,
        });
        throw new ExactNetworkError(`no answer from Exact to ${req.method} ${endpoint} (${what})`, endpoint, {
          cause: err,
        });
      }
      const rate = parseRateHeaders(res.headers);
      const durationMs = clock.now() - started;
      logger?.debug(
        { method: req.method, endpoint, lane: req.lane, status: res.status, ms: durationMs },
        'exact call',
      );
      observer?.onResponse?.({
        method: req.method,
        endpoint,
        lane: req.lane,
        status: res.status,
        durationMs,
      });
      if (req.governed) {
        await governor
          .record(budgetKey, req.lane, { status: res.status, headers: rate, endpoint })
          .catch((err: unknown) =>
            logger?.warn({ err: String(err), endpoint }, 'could not record rate headers'),
          );
      }
      if (res.status === 401 && rejected === undefined) {
        // One refresh (or the token another process stored, or a wait for the refresh window: the provider's
        // RetryLaterError ends the call) and one retry; a second 401 is an ExactAuthError below.
        rejected = token;
        token = await deps.tokens.refreshAfterUnauthorized(rejected);
        if (token !== rejected) continue;
      }
      if (res.status === 429) {
        logger?.warn({ method: req.method, endpoint, lane: req.lane, headers: rate }, 'exact answered 429');
        // The governor now holds the window shut; its next answer says until when (and whether we may wait).
        if (req.governed) continue;
        throw new ExactRateLimitedError(
          `Exact rate limit reached (${endpoint})`,
          endpoint,
          untilFrom429(rate, clock.now()),
        );
      }
      if (res.status >= 200 && res.status < 300) {
        const parsed = parseJsonBody(res.body);
        if (parsed === undefined && res.body.trim() !== '') {
          throw new ExactServerError(
            `unreadable ${res.status} body from Exact (${req.method} ${endpoint})`,
            res.status,
            endpoint,
          );
        }
        return parsed;
      }
      throw errorForResponse(res.status, res.body, req.method, endpoint);
    }
    throw new BudgetExhaustedError(clock.now() + 1000, 'minute');
  };
}
