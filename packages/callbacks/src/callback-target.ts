import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { withTimeout } from '@exact-sync/core';
import { nonPublicRange } from './public-address.ts';

/** What a callback URL may point at. Production keeps both off; the api and the worker read them from the env. */
export interface CallbackPolicy {
  /** `http://` as well as `https://` (CALLBACK_ALLOW_HTTP). */
  readonly allowHttp: boolean;
  /** Hosts with loopback, private, link-local or other non-public addresses (CALLBACK_ALLOW_PRIVATE). */
  readonly allowPrivate: boolean;
}

/** Every address of a host name, as the system's resolver answers (A and AAAA; /etc/hosts included). */
export type HostResolver = (hostname: string) => Promise<ReadonlyArray<{ address: string; family: number }>>;

const systemResolver: HostResolver = (hostname) => lookup(hostname, { all: true, verbatim: true });

// A resolver that hangs (getaddrinfo retries for long) must not hold an operator's request or a delivery.
const LOOKUP_TIMEOUT_MS = 5_000;

declare const checked: unique symbol;

/**
 * A callback URL that passed the policy, pinned to the address that was checked. Only `resolveCallbackTarget`
 * makes one, so `postToCallback` never connects anywhere that was not checked.
 */
export interface CallbackTarget {
  /** The URL as given, normalized. */
  readonly url: string;
  readonly hostname: string;
  /** The address the delivery connects to: the first one the resolver answered, all of them having passed. */
  readonly address: string;
  readonly family: 4 | 6;
  readonly [checked]: true;
}

/**
 * Why a URL is refused: `invalid_url` and `insecure_scheme` (fix the URL), `non_public_address` (the host is, or
 * resolves to, an address the policy refuses) and `unresolvable` (no address now; may change with DNS).
 */
export type CallbackRefusal = 'invalid_url' | 'insecure_scheme' | 'unresolvable' | 'non_public_address';

export class CallbackTargetError extends Error {
  override readonly name = 'CallbackTargetError';
  constructor(
    readonly reason: CallbackRefusal,
    message: string,
  ) {
    super(message);
  }
}

function parse(url: string, policy: CallbackPolicy): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CallbackTargetError('invalid_url', 'is not a URL');
  }
  if (parsed.protocol !== 'https:' && !(policy.allowHttp && parsed.protocol === 'http:')) {
    throw new CallbackTargetError('insecure_scheme', 'must be an https:// URL');
  }
  // They would not be sent (postToCallback takes its credentials as headers): refused rather than dropped unseen.
  if (parsed.username || parsed.password) {
    throw new CallbackTargetError('invalid_url', 'must not carry a user name or password');
  }
  return parsed;
}

async function addressesOf(hostname: string, resolve: HostResolver) {
  const family = isIP(hostname);
  if (family !== 0) return [{ address: hostname, family }];
  const refuse = (why: string) =>
    new CallbackTargetError('unresolvable', `host ${hostname} does not resolve (${why})`);
  const answers = await withTimeout(resolve(hostname), LOOKUP_TIMEOUT_MS).catch((error: unknown) => {
    throw refuse((error as { code?: string }).code ?? (error as Error).message);
  });
  if (answers.length === 0 || answers.some((a) => isIP(a.address) === 0)) throw refuse('no address');
  return answers;
}

/**
 * Checks a callback URL against the policy and pins it to an address. The URL must be https (or http when
 * allowed), and its host, an IP address or a name resolved with `resolve` (the system's resolver unless given),
 * must have only public addresses unless the policy allows others: a name with one private address among public
 * ones is refused, since any of them could be the one connected to. Call it when a URL is set and again before
 * every delivery; then hand the target to `postToCallback`, which connects to `address` and nowhere else.
 *
 * @throws CallbackTargetError naming the reason (its message reads after the field, e.g. "must be an https:// URL").
 */
export async function resolveCallbackTarget(
  url: string,
  policy: CallbackPolicy,
  resolve: HostResolver = systemResolver,
): Promise<CallbackTarget> {
  const parsed = parse(url, policy);
  const hostname = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  const addresses = await addressesOf(hostname, resolve);
  if (!policy.allowPrivate) {
    for (const { address } of addresses) {
      const range = nonPublicRange(address);
      if (range === undefined) continue;
      const message =
        address === hostname
          ? `${address} (${range}) is not a public address`
          : `host ${hostname} resolves to ${address} (${range}), not a public address`;
      throw new CallbackTargetError('non_public_address', message);
    }
  }
  const [pinned] = addresses;
  if (!pinned) throw new CallbackTargetError('unresolvable', `host ${hostname} has no address`);
  const target = { url: parsed.href, hostname, address: pinned.address, family: pinned.family === 6 ? 6 : 4 };
  return Object.freeze(target) as CallbackTarget;
}
