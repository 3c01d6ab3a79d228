import { ENTITY_NAMES } from '@exact-sync/core';
import { connections, type DatabaseHandle, openDatabase, syncState } from '@exact-sync/db';
import {
  createTestDatabase,
  type OwnRedis,
  onboard,
  type Stack,
  startOwnRedis,
  startStack,
  storefrontKey,
  type TestDatabase,
  uniqueName,
  waitFor,
} from '@exact-sync/testkit';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectEquality } from './sync-helpers.ts';

// Access tokens live 6 s, so one may be refreshed 3 s after its issue (the last half of a token shorter than a
// minute). The simulator's clock is never advanced here: api, workers and simulator all read the wall clock.
const TOKEN_LIFE_MS = 6_000;
const RUN_MS = 70_000;
const DIVISION = 100001;

let db: TestDatabase;
let handle: DatabaseHandle;
let redis: OwnRedis;
let stack: Stack;

/** The simulator's token counters of the service's OAuth client. */
interface TokenCounters {
  authorizationCodes: number;
  refreshes: number;
  tooEarly: number;
  reused: number;
  unauthorized: number;
}

async function tokenCounters(): Promise<TokenCounters> {
  const stats = (await stack.simControl.stats()) as { tokens?: Record<string, TokenCounters> };
  const counters = stats.tokens?.['exact-sim-client'];
  if (!counters) throw new Error('the simulator counted no token calls');
  return counters;
}

async function equal(connectionId: string): Promise<boolean> {
  const all = await expectEquality(handle, stack.simControl, connectionId, DIVISION);
  return ENTITY_NAMES.every((e) => {
    const { local, remote } = all[e];
    return local.size === remote.size && [...remote].every(([id, ts]) => local.get(id) === ts);
  });
}

/** The workers' warnings and errors (pino levels 40 and up), to explain a failure. */
function workerWarnings(): string {
  const lines = stack.workers.flatMap((w) => w.output().split('\n'));
  return lines
    .filter((l) => /"level":[4-6]0/.test(l))
    .slice(-15)
    .join('\n');
}

async function orderStatuses(): Promise<string[]> {
  const res = await stack.call('GET', '/v1/orders?limit=1000');
  return (res.body as { data: { status: string }[] }).data.map((o) => o.status);
}

beforeAll(async () => {
  db = await createTestDatabase('token_lives');
  handle = openDatabase(db.url, { max: 2 });
  redis = await startOwnRedis();
  stack = await startStack({
    databaseUrl: db.url,
    redisUrl: redis.url,
    redisPrefix: uniqueName('tokens'),
    workers: 4,
    simEnv: {
      SIM_ITEMS: '300',
      SIM_ACCOUNTS: '60',
      SIM_MINUTE_LIMIT: '600',
      SIM_DAY_LIMIT: '100000',
      SIM_CONFIG: JSON.stringify({ accessTokenTtlMs: TOKEN_LIFE_MS }),
    },
  });
});

afterAll(async () => {
  await stack?.stop();
  await redis?.stop();
  await handle?.close();
  await db?.drop();
});

describe('short-lived tokens through four workers', () => {
  it('keeps syncing and taking orders for many token lives, never refreshing too early or twice', async () => {
    const id = await onboard(stack, { division: DIVISION });
    await waitFor(
      'initial sync',
      async () => {
        const states = await handle.db.select().from(syncState).where(eq(syncState.connectionId, id));
        return ENTITY_NAMES.every((e) => states.some((s) => s.entity === e && s.phase === 'incremental'));
      },
      60_000,
    );
    const sim = stack.simControl;
    const items = await sim.dataset(DIVISION, 'items');
    const skus = items.slice(0, 2).map((i) => String(i.Code));
    const deletable = items.slice(2).map((i) => i.ID);
    const customer = String((await sim.dataset(DIVISION, 'accounts'))[0]?.Code).trim();
    const key = await storefrontKey(stack, id, 'b2b');

    // Changes and orders arrive all through the run, so every token life has calls to make.
    const until = Date.now() + RUN_MS;
    let orders = 0;
    for (let round = 0; Date.now() < until; round++) {
      await sim.mutate(DIVISION, { entity: 'items', create: 1, update: 3, deleteIds: [deletable[round]] });
      await sim.mutate(DIVISION, { entity: ENTITY_NAMES[1 + (round % 3)], update: 3 });
      const placed = await stack.call('POST', '/v1/orders', {
        token: key,
        body: {
          reference: `LIFE-${round}`,
          customer: { code: customer },
          lines: [{ sku: skus[round % 2], quantity: '1', unitPrice: '10' }],
        },
      });
      expect(placed.status).toBe(202);
      orders += 1;
      await new Promise((r) => setTimeout(r, 2_000));
    }

    await waitFor('the synced data equal to Exact’s after the run', () => equal(id), 60_000);
    await waitFor('every order submitted', async () => {
      const statuses = await orderStatuses();
      return statuses.length === orders && statuses.every((s) => s === 'submitted');
    });
    const counters = await tokenCounters();
    const lives = counters.authorizationCodes + counters.refreshes;
    console.info(`token lives ${lives}, orders ${orders}, counters ${JSON.stringify(counters)}`);
    expect(lives, workerWarnings()).toBeGreaterThanOrEqual(15);
    expect(counters.tooEarly).toBe(0);
    expect(counters.reused).toBe(0);
    expect(counters.unauthorized).toBeLessThanOrEqual(lives);
    // No 401 went to a token the simulator could not attribute (an unknown or forged one) either.
    const { calls } = await sim.stats();
    const all401 = calls.filter((c) => c.status === 401).reduce((n, c) => n + c.count, 0);
    expect(all401).toBe(counters.unauthorized);
    const [connection] = await handle.db.select().from(connections).where(eq(connections.id, id));
    expect(connection?.status).toBe('active');
  }, 180_000);
});
