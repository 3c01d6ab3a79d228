import type { DatabaseHandle } from '@exact-sync/db';
import { startEntry } from '@exact-sync/testkit';
import type { Clock } from '../src/index.ts';

/** A clock that follows the simulator's: every `advance` moves both. */
export function simulatorClock(
  simUrl: string,
): Clock & { advance(ms: number): Promise<void>; offset: number } {
  const clock = {
    offset: 0,
    now: () => Date.now() + clock.offset,
    async advance(ms: number) {
      await simPost(simUrl, '/_sim/clock/advance', { ms });
      clock.offset += ms;
    },
  };
  return clock;
}

async function simPost(simUrl: string, path: string, body: unknown): Promise<unknown> {
  const res = await fetch(`${simUrl}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${path} answered ${res.status}`);
  return res.json();
}

export interface TokenStats {
  refreshes: number;
  tooEarly: number;
  reused: number;
  expired: number;
  authorizationCodes: number;
  calls: number;
}

/** The simulator's token counters of the test client; `clear` starts a new count. */
export async function tokenStats(simUrl: string, options: { clear?: boolean } = {}): Promise<TokenStats> {
  const res = await fetch(`${simUrl}/_sim/stats`);
  const body = (await res.json()) as { tokens: Record<string, TokenStats | undefined> };
  if (options.clear) await fetch(`${simUrl}/_sim/stats`, { method: 'DELETE' });
  const empty = { refreshes: 0, tooEarly: 0, reused: 0, expired: 0, authorizationCodes: 0, calls: 0 };
  return { ...empty, ...body.tokens['exact-sim-client'] };
}

/** What a person does in the browser: Exact's consent page approves and redirects back with a code. */
export async function consentCode(simUrl: string, redirectUri: string): Promise<string> {
  const query = new URLSearchParams({
    client_id: 'exact-sim-client',
    redirect_uri: redirectUri,
    response_type: 'code',
    state: 'test',
  });
  const res = await fetch(`${simUrl}/api/oauth2/auth?${query}`, { redirect: 'manual' });
  const code = new URL(res.headers.get('location') ?? '').searchParams.get('code');
  if (!code) throw new Error(`consent page answered ${res.status} without a code`);
  return code;
}

export interface WorkerResult {
  ok: boolean;
  token?: string;
  meStatus?: number;
  error?: string;
  message?: string;
}

let barrierKey = 7_000_000 + (process.pid % 100_000) * 10;

/**
 * Starts `count` worker processes (test/fixtures/token-worker.ts), lets them all ask for a token at the same
 * instant, and answers what each got.
 */
export async function runWorkers(
  sql: DatabaseHandle['sql'],
  count: number,
  env: (index: number) => Record<string, string>,
): Promise<WorkerResult[]> {
  barrierKey += 1;
  const barrier = barrierKey;
  const reserved = await sql.reserve();
  await reserved`select pg_advisory_lock(${barrier})`;
  try {
    const workers = await Promise.all(
      Array.from({ length: count }, (_, i) =>
        startEntry('packages/exact/test/fixtures/token-worker.ts', {
          env: { BARRIER: String(barrier), ...env(i) },
          ready: /^ready$/m,
        }),
      ),
    );
    // Every worker is blocked on the barrier once it shows up in pg_locks.
    for (let i = 0; i < 200; i += 1) {
      const [row] = await reserved`select count(*)::int as n from pg_locks
        where locktype = 'advisory' and objid = ${barrier} and not granted`;
      if ((row?.n as number) >= count) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    await reserved`select pg_advisory_unlock(${barrier})`;
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve) =>
            w.child.exitCode !== null ? resolve() : w.child.once('exit', () => resolve()),
          ),
      ),
    );
    return workers.map((w) => {
      const line = /^result (.*)$/m.exec(w.output())?.[1];
      if (!line) throw new Error(`worker printed no result:\n${w.output()}`);
      return JSON.parse(line) as WorkerResult;
    });
  } finally {
    await reserved`select pg_advisory_unlock_all()`;
    reserved.release();
  }
}
