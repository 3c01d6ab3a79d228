import { type ClaimedCallback, claimDueCallbacks } from '@exact-sync/db';
import { createTokenCipher } from '@exact-sync/exact';
import type { WorkerServices } from '../services.ts';
import { type CallbackDeliveryDeps, deliverCallback } from './deliver-callback.ts';

/** One post's bound: a receiver that takes longer is retried later. */
const POST_TIMEOUT_MS = 10_000;

/** What delivery needs, from the worker's services and config. */
export function callbackDeliveryDeps(services: WorkerServices): CallbackDeliveryDeps {
  const { config } = services;
  return {
    db: services.database.db,
    clock: services.clock,
    cipher: createTokenCipher(config.TOKEN_ENCRYPTION_KEY),
    policy: { allowHttp: config.CALLBACK_ALLOW_HTTP, allowPrivate: config.CALLBACK_ALLOW_PRIVATE },
    retryBaseMs: config.CALLBACK_RETRY_BASE_MS,
    timeoutMs: POST_TIMEOUT_MS,
    log: services.log.child({ component: 'callbacks' }),
    observe: services.metrics.callbackSettled,
  };
}

export interface CallbackLoopOptions {
  /** Deliveries in flight at once in this process (each to a different order). */
  concurrency: number;
  /** How often the outbox is read when nothing woke the loop sooner. */
  pollMs: number;
}

/**
 * A claim outlives any delivery (DNS 5 s, the post's timeout): should this process die mid-delivery, another takes
 * the event once it runs out, so every event is delivered at least once.
 */
const leaseMs = (deps: CallbackDeliveryDeps) => deps.timeoutMs + 50_000;

/**
 * Claims up to `limit` due events (one per order) and delivers them concurrently; answers how many it took. One round
 * of what the loop does continuously, for tests that move the clock themselves.
 * @internal
 */
export async function deliverDueCallbacks(deps: CallbackDeliveryDeps, limit: number): Promise<number> {
  const claimed = await claim(deps, limit);
  await Promise.all(claimed.map((event) => deliverSafely(deps, event)));
  return claimed.length;
}

function claim(deps: CallbackDeliveryDeps, limit: number): Promise<ClaimedCallback[]> {
  const now = deps.clock.now();
  return claimDueCallbacks(deps.db, { now: new Date(now), leaseUntil: new Date(now + leaseMs(deps)), limit });
}

// An error here (Postgres gone while recording) leaves the event claimed: it is tried again when the lease ends.
const deliverSafely = (deps: CallbackDeliveryDeps, event: ClaimedCallback) =>
  deliverCallback(deps, event).then(
    () => undefined,
    (error: unknown) =>
      deps.log.warn({ eventId: event.id, err: (error as Error).message }, 'callback delivery failed'),
  );

/**
 * Delivers order callbacks from the Postgres outbox, in every worker: Postgres is the truth, so nothing is lost with
 * Redis, and no queue is involved. Claims skip rows other workers hold; an order's events go one at a time, oldest
 * first; at most `concurrency` deliveries run at once. A finished delivery wakes the loop, since the order's next
 * event may be due now.
 */
export function startCallbackDelivery(
  deps: CallbackDeliveryDeps,
  options: CallbackLoopOptions,
): { stop(): Promise<void> } {
  const inFlight = new Set<Promise<void>>();
  let stopped = false;
  // A wake-up that comes while the loop is busy is kept, so the next rest ends at once.
  let nudged = false;
  let endRest: (() => void) | undefined;
  const wake = (): void => {
    nudged = true;
    endRest?.();
  };
  const rest = () =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        endRest = undefined;
        nudged = false;
        resolve();
      };
      const timer = setTimeout(done, options.pollMs);
      endRest = done;
      if (nudged) done();
    });

  async function loop(): Promise<void> {
    while (!stopped) {
      const free = options.concurrency - inFlight.size;
      let claimed: ClaimedCallback[] = [];
      if (free > 0) {
        claimed = await claim(deps, free).catch((error: Error) => {
          deps.log.warn({ err: error.message }, 'callback outbox unreadable; trying again');
          return [];
        });
      }
      for (const event of claimed) {
        const delivery: Promise<void> = deliverSafely(deps, event).finally(() => {
          inFlight.delete(delivery);
          wake();
        });
        inFlight.add(delivery);
      }
      // A full batch may have left more due: claim again as soon as a slot frees.
      if (free > 0 && claimed.length === free) continue;
      await rest();
    }
  }

  const running = loop();
  return {
    async stop() {
      stopped = true;
      wake();
      await running;
      await Promise.all(inFlight);
    },
  };
}
