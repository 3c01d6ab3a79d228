import type { LookupFunction } from 'node:net';
import { Client } from 'undici';
import type { CallbackTarget } from './callback-target.ts';

export interface CallbackRequest {
  /** The JSON text to post. */
  body: string;
  /** Sent as given, after `content-type: application/json` and the user agent (a signature header, say). */
  headers?: Record<string, string>;
  /** Bounds connecting, the answer's headers and its body, and the whole exchange. */
  timeoutMs: number;
  /** Certificate authorities to trust instead of Node's bundle (a private CA; tests). */
  ca?: string | Buffer;
}

/** Answers every lookup with the pinned address, whatever name it is asked for: DNS is never asked again. */
const pinnedTo =
  (target: CallbackTarget): LookupFunction =>
  (_hostname, options, callback) => {
    if (options.all) callback(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  };

/**
 * POSTs `body` to a checked callback target and answers its status; the answer's body is read and dropped.
 *
 * The connection goes to `target.address`, the address `resolveCallbackTarget` checked, and nowhere else: a host
 * whose DNS answer changed since (DNS rebinding) is not looked up again. The host name is kept for TLS (SNI and the
 * certificate check) and the `Host` header. Redirects are not followed (a 3xx is answered like any status). One
 * connection per call, closed afterwards.
 *
 * @returns the status of the answer; the caller decides what counts as delivered (2xx) and what to retry.
 * @throws when no answer arrived: refused, reset, TLS failure or `timeoutMs` passed (worth retrying later).
 * @public the worker's callback delivery calls it.
 */
export async function postToCallback(
  target: CallbackTarget,
  request: CallbackRequest,
): Promise<{ status: number }> {
  const url = new URL(target.url);
  const { timeoutMs } = request;
  const client = new Client(url.origin, {
    connect: { lookup: pinnedTo(target), timeout: timeoutMs, ...(request.ca && { ca: request.ca }) },
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });
  try {
    const answer = await client.request({
      method: 'POST',
      path: `${url.pathname}${url.search}`,
      headers: { 'content-type': 'application/json', 'user-agent': 'exact-sync', ...request.headers },
      body: request.body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    await answer.body.dump();
    return { status: answer.statusCode };
  } finally {
    await client.destroy();
  }
}
