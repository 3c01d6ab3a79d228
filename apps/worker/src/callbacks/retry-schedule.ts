/**
 * Waits after each failed callback attempt, as multiples of CALLBACK_RETRY_BASE_MS: with the default 10 s, 10 s,
 * 30 s, 2 min, 10 min, 30 min, 1 h, 2 h, then 3 h seven times. Fifteen attempts over 24.7 hours at least; the
 * fifteenth failure gives the event up.
 */
const MULTIPLES = [1, 3, 12, 60, 180, 360, 720, 1080, 1080, 1080, 1080, 1080, 1080, 1080] as const;

/** Each wait grows by up to this share at random, so receivers that fail together are not retried together. */
const JITTER = 0.2;

/** Attempts an event gets before it is given up. @internal */
export const MAX_CALLBACK_ATTEMPTS = MULTIPLES.length + 1;

/**
 * How long to wait after the `attempts`-th failed attempt, or undefined when that was the last one. Jitter only
 * lengthens a wait, so the retries never span less than the schedule's sum.
 */
export function callbackRetryDelay(attempts: number, baseMs: number, random: () => number = Math.random) {
  const multiple = MULTIPLES[attempts - 1];
  if (multiple === undefined) return undefined;
  return Math.round(multiple * baseMs * (1 + JITTER * random()));
}
