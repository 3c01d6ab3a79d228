import { isIP } from 'node:net';

const WINDOW_MS = 60_000;
// Bounds on memory when many addresses or keys are seen: past them the oldest entries are dropped first.
const MAX_ADDRESSES = 100_000;
const MAX_KNOWN_KEYS = 10_000;

/** One storefront authentication: whether it may look its key up, and how it ended. */
interface AuthAttempt {
  /** 0 when the key may be looked up; otherwise the seconds until this address may try unknown keys again. */
  readonly retryAfterSeconds: number;
  /** Reports whether the key was found (active), or was unknown, revoked or malformed. */
  settle(found: boolean): void;
}

export interface AuthFailures {
  attempt(ip: string, keyHash: string): AuthAttempt;
}

/**
 * The address a client is counted by: an IPv4 address (IPv4-mapped ones included), or the /64 of an IPv6 address,
 * since one subscriber usually holds a whole /64.
 */
function clientBucket(ip: string): string {
  if (isIP(ip) !== 6) return ip;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped?.[1]) return mapped[1];
  const [head = '', tail] = ip.split('::');
  const groups = head ? head.split(':') : [];
  if (tail !== undefined) {
    const rest = tail ? tail.split(':') : [];
    const width = rest.reduce((n, g) => n + (g.includes('.') ? 2 : 1), 0);
    groups.push(...Array<string>(8 - groups.length - width).fill('0'), ...rest);
  }
  return `${groups
    .slice(0, 4)
    .map((g) => Number.parseInt(g, 16).toString(16))
    .join(':')}::/64`;
}

/** Drops the oldest entries (Map order) until `map` has room for one more. */
function makeRoom(map: Map<string, unknown>, max: number): void {
  for (const key of map.keys()) {
    if (map.size < max) return;
    map.delete(key);
  }
}

/**
 * Counts, per client address, storefront authentications with a key that is not known to be good, in fixed
 * one-minute windows: `perMinute` of them are looked up, then the address gets 429 until its window ends. A try is
 * taken before the lookup and given back if the key was found, so parallel requests cannot overrun the allowance.
 * Keys found active before are remembered (by hash) and always looked up, revocation included: a storefront behind
 * the same address (a shared NAT, a proxy) keeps working while someone there guesses keys.
 *
 * In memory, per api process: N replicas look up at most N × `perMinute` unknown keys per address and minute.
 */
export function createAuthFailures(options: { perMinute: number; now?: () => number }): AuthFailures {
  const now = options.now ?? Date.now;
  const windows = new Map<string, { spent: number; resetAt: number }>();
  const known = new Map<string, true>();

  const windowOf = (ip: string, at: number) => {
    const bucket = clientBucket(ip);
    let window = windows.get(bucket);
    if (!window || window.resetAt <= at) {
      windows.delete(bucket);
      makeRoom(windows, MAX_ADDRESSES);
      window = { spent: 0, resetAt: at + WINDOW_MS };
      windows.set(bucket, window);
    }
    return window;
  };
  const remember = (keyHash: string) => {
    known.delete(keyHash);
    makeRoom(known, MAX_KNOWN_KEYS);
    known.set(keyHash, true);
  };

  return {
    attempt(ip, keyHash) {
      if (known.has(keyHash)) {
        return {
          retryAfterSeconds: 0,
          settle(found) {
            if (found) return remember(keyHash);
            // Revoked since: forgotten, and counted like any unknown key.
            known.delete(keyHash);
            windowOf(ip, now()).spent += 1;
          },
        };
      }
      const at = now();
      const window = windowOf(ip, at);
      if (window.spent >= options.perMinute) {
        return { retryAfterSeconds: Math.max(1, Math.ceil((window.resetAt - at) / 1000)), settle() {} };
      }
      window.spent += 1;
      return {
        retryAfterSeconds: 0,
        settle(found) {
          if (!found) return;
          window.spent = Math.max(0, window.spent - 1);
          remember(keyHash);
        },
      };
    },
  };
}
