import {
  type CallbackPolicy,
  CallbackTargetError,
  callbackSecretContext,
  postToCallback,
  resolveCallbackTarget,
  SIGNATURE_HEADER,
  signatureHeader,
} from '@exact-sync/callbacks';
import {
  type CallbackOutcome,
  type ClaimedCallback,
  type Database,
  recordCallbackOutcome,
} from '@exact-sync/db';
import type { Clock, TokenCipher } from '@exact-sync/exact';
import type { Logger } from 'pino';
import { callbackRetryDelay } from './retry-schedule.ts';

export interface CallbackDeliveryDeps {
  db: Database;
  /** The worker's clock: due times, retry times, signature timestamps and the rotation window all follow it. */
  clock: Clock;
  /** Decrypts the channels' signing secrets (TOKEN_ENCRYPTION_KEY). */
  cipher: TokenCipher;
  policy: CallbackPolicy;
  /** CALLBACK_RETRY_BASE_MS: the first retry's wait; later ones are multiples of it. */
  retryBaseMs: number;
  /** Bounds one post: connecting, the answer and the whole exchange. */
  timeoutMs: number;
  log: Logger;
  /** Told the outcome of every delivery (metrics). */
  observe?: (outcome: CallbackOutcome['kind']) => void;
  random?: () => number;
  /** Certificate authorities to trust instead of Node's (a private CA; tests). */
  ca?: string;
}

/** A held event is looked at again this often (a policy or DNS change may free it); a new URL or secret frees it at once. */
const HOLD_RECHECK_MS = 3_600_000;

const NO_SECRET =
  'the channel has no signing secret: create one with POST /v1/connections/{id}/channels/{channel}/callback-secret';

/** The current secret, then the previous one while its rotation window lasts; undefined when none can be read. */
function secretsOf(deps: CallbackDeliveryDeps, event: ClaimedCallback): string[] | undefined {
  if (event.secretEnc === null) return undefined;
  const context = callbackSecretContext(event.connectionId, event.channel);
  const secrets = [deps.cipher.decrypt(event.secretEnc, context)];
  const previousValid =
    event.previousExpiresAt !== null && event.previousExpiresAt.getTime() > deps.clock.now();
  if (event.previousSecretEnc !== null && previousValid) {
    secrets.push(deps.cipher.decrypt(event.previousSecretEnc, context));
  }
  return secrets;
}

/** Why no answer came, without the URL's query string (it may carry the storefront's own credentials). */
function noAnswer(error: unknown, url: string): string {
  const e = error as { code?: string; name?: string; message?: string; cause?: { code?: string } };
  const detail = [e.code ?? e.cause?.code ?? e.name, e.message].filter(Boolean).join(': ');
  const { search } = new URL(url);
  return `no answer (${search ? detail.replaceAll(search, '?…') : detail})`;
}

async function attempt(deps: CallbackDeliveryDeps, event: ClaimedCallback): Promise<CallbackOutcome> {
  const at = () => new Date(deps.clock.now());
  const held = (error: string): CallbackOutcome => ({
    kind: 'held',
    at: at(),
    recheckAt: new Date(deps.clock.now() + HOLD_RECHECK_MS),
    error,
  });
  const failed = (error: string): CallbackOutcome => {
    const wait = callbackRetryDelay(event.attempts, deps.retryBaseMs, deps.random);
    if (wait === undefined)
      return { kind: 'given_up', at: at(), error: `${error}; given up after ${event.attempts} attempts` };
    return { kind: 'retry', at: at(), retryAt: new Date(deps.clock.now() + wait), error };
  };

  if (event.url === null)
    return { kind: 'given_up', at: at(), error: 'the channel has no callback URL any more' };
  let secrets: string[] | undefined;
  try {
    secrets = secretsOf(deps, event);
  } catch {
    return held('the signing secret cannot be decrypted with TOKEN_ENCRYPTION_KEY: rotate it');
  }
  if (!secrets) return held(NO_SECRET);

  let target: Awaited<ReturnType<typeof resolveCallbackTarget>>;
  try {
    target = await resolveCallbackTarget(event.url, deps.policy);
  } catch (error) {
    if (!(error instanceof CallbackTargetError)) throw error;
    // A name that does not resolve now may tomorrow; a URL the policy refuses stays refused until it changes.
    const why = `callback URL ${error.message}`;
    return error.reason === 'unresolvable' ? failed(why) : held(why);
  }

  const body = JSON.stringify({ id: event.id, type: 'order.status_changed', ...event.payload });
  const timestamp = Math.floor(deps.clock.now() / 1000);
  try {
    const { status } = await postToCallback(target, {
      body,
      headers: { [SIGNATURE_HEADER]: signatureHeader({ body, timestamp, secrets }) },
      timeoutMs: deps.timeoutMs,
      ...(deps.ca && { ca: deps.ca }),
    });
    return status >= 200 && status < 300 ? { kind: 'delivered', at: at() } : failed(`HTTP ${status}`);
  } catch (error) {
    return failed(noAnswer(error, event.url));
  }
}

/**
 * Delivers one claimed event and records the outcome: a 2xx delivers it; another status or no answer is retried on
 * the schedule, then given up; a URL the policy refuses, or a missing secret, holds it without counting an attempt.
 * The URL is checked (and pinned) again before every post: it may resolve elsewhere than when it was set.
 */
export async function deliverCallback(
  deps: CallbackDeliveryDeps,
  event: ClaimedCallback,
): Promise<CallbackOutcome['kind']> {
  const outcome = await attempt(deps, event);
  await recordCallbackOutcome(deps.db, event.id, outcome);
  deps.observe?.(outcome.kind);
  const fields = {
    eventId: event.id,
    orderId: event.orderId,
    status: event.payload.status,
    attempt: event.attempts,
  };
  if (outcome.kind === 'delivered') deps.log.debug(fields, 'callback delivered');
  else deps.log.warn({ ...fields, outcome: outcome.kind, err: outcome.error }, 'callback not delivered');
  return outcome.kind;
}
