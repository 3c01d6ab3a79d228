import { ENTITY_NAMES, syncDedupId } from '@exact-sync/core';
import { type DatabaseHandle, openDatabase, syncState } from '@exact-sync/db';
import { bullPrefix } from '@exact-sync/queues';
import {
  createTestDatabase,
  type OwnRedis,
  onboard,
  type SimControl,
  type Stack,
  startOwnRedis,
  startStack,
  storefrontKey,
  type TestDatabase,
  uniqueName,
  waitFor,
} from '@exact-sync/testkit';
import { Queue } from 'bullmq';
import { eq } from 'drizzle-orm';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const DIVISION = 100001;
let db: TestDatabase;
let handle: DatabaseHandle;
let redis: OwnRedis;
let stack: Stack;
let prefix: string;

/** Calls Exact counted for the division (429s are not counted by Exact). */
async function countedCalls(sim: SimControl): Promise<number> {
  const { calls } = await sim.stats(DIVISION);
  return calls.filter((c) => c.status !== 429 && c.division === DIVISION).reduce((n, c) => n + c.count, 0);
}

async function start(simEnv: Record<string, string>, env: Record<string, string>): Promise<void> {
  db = await createTestDatabase('budget_day');
  handle = openDatabase(db.url, { max: 2 });
  redis = await startOwnRedis();
  prefix = uniqueName('day');
  stack = await startStack({ databaseUrl: db.url, redisUrl: redis.url, redisPrefix: prefix, simEnv, env });
}

beforeEach(() => {
  db = undefined as unknown as TestDatabase;
});

afterEach(async () => {
  await stack?.stop();
  await redis?.stop();
  await handle?.close();
  await db?.drop();
});

describe('a compressed Exact day', () => {
  it('keeps sync calls within the limit minus the daily reserve, and every entity within the planned lag', async () => {
    const DAY_MS = 30_000;
    const DAY_LIMIT = 400;
    const RESERVE = 80;
    await start(
      {
        SIM_ITEMS: '600',
        SIM_ACCOUNTS: '100',
        SIM_DAY_MS: String(DAY_MS),
        SIM_DAY_LIMIT: String(DAY_LIMIT),
        SIM_MINUTE_MS: '2000',
        SIM_MINUTE_LIMIT: '40',
      },
      {
        SYNC_RESERVE_PER_DAY: String(RESERVE),
        SYNC_RESERVE_PER_MINUTE: '5',
        SYNC_MIN_INTERVAL_MS: '500',
        MAINTENANCE_INTERVAL_MS: '500',
      },
    );
    const sim = stack.simControl;
    const id = await onboard(stack, { division: DIVISION });
    const queueRedis = new Redis(redis.url);
    const queue = new Queue('sync', { connection: queueRedis, prefix: bullPrefix(prefix) });
    try {
      // Two whole simulated days with about 1% of records changing per day, in small bursts; meanwhile every
      // entity's time since its last successful run is compared with the interval the planner promised.
      const until = (await sim.now()) + 2 * DAY_MS + 2_000;
      let worstLagRatio = 0;
      while ((await sim.now()) < until) {
        await sim.mutate(DIVISION, { entity: ENTITY_NAMES[Math.floor(Math.random() * 4)], update: 2 });
        const states = await handle.db.select().from(syncState).where(eq(syncState.connectionId, id));
        for (const entity of ENTITY_NAMES) {
          const state = states.find((s) => s.entity === entity);
          const planned = (await queue.getJobScheduler(syncDedupId(id, entity)))?.every;
          if (!state?.lastSuccessAt || state.phase !== 'incremental' || !planned) continue;
          const lag = Date.now() - state.lastSuccessAt.getTime();
          // A run paces its pages over the minute window: the promise is the planned interval plus two windows.
          worstLagRatio = Math.max(worstLagRatio, lag / (planned + 2 * 2_000));
        }
        await new Promise((r) => setTimeout(r, 1_000));
      }
      const { dayWindows, rateLimited } = await sim.stats(DIVISION);
      expect(rateLimited).toBe(0);
      // Every day window Exact counted, the partial first one included, stayed within limit minus the reserve.
      expect(dayWindows.length).toBeGreaterThanOrEqual(3);
      for (const window of dayWindows) expect(window.used).toBeLessThanOrEqual(DAY_LIMIT - RESERVE);
      expect(dayWindows.every((w) => w.used > 0)).toBe(true);
      expect(worstLagRatio).toBeLessThanOrEqual(1);
    } finally {
      await queue.close();
      queueRedis.disconnect();
    }
  });

  it('puts orders through within seconds while the sync lane has spent its share of the day', async () => {
    const RESERVE = 30;
    await start(
      {
        SIM_ITEMS: '10000',
        SIM_ACCOUNTS: '100',
        SIM_DAY_MS: '600000',
        SIM_DAY_LIMIT: '60',
        SIM_MINUTE_MS: '2000',
        SIM_MINUTE_LIMIT: '30',
      },
      { SYNC_RESERVE_PER_DAY: String(RESERVE), SYNC_RESERVE_PER_MINUTE: '5' },
    );
    const sim = stack.simControl;
    const id = await onboard(stack, { division: DIVISION });
    const key = await storefrontKey(stack, id, 'b2b');
    // The initial sync of 10,000 items with their stock and prices needs more than the day's sync share of 30.
    await waitFor(
      'the sync share to be spent',
      async () => (await countedCalls(sim)) >= 60 - RESERVE,
      60_000,
    );
    const items = await sim.dataset(DIVISION, 'items');
    const accounts = await sim.dataset(DIVISION, 'accounts');
    const latencies: number[] = [];
    for (let i = 0; i < 5; i++) {
      const started = Date.now();
      const res = await stack.call('POST', '/v1/orders', {
        token: key,
        body: {
          reference: `PRIO-${i}`,
          customer: { code: String(accounts[i]?.Code).trim() },
          lines: [{ sku: String(items[3000 + i]?.Code), quantity: '1' }],
        },
      });
      expect(res.status).toBe(202);
      const orderId = (res.body as { id: string }).id;
      await waitFor(
        'the order submitted',
        async () => {
          const order = await stack.call('GET', `/v1/orders/${orderId}`);
          return (order.body as { status: string }).status === 'submitted';
        },
        15_000,
        100,
      ).catch(async (error: Error) => {
        const order = await stack.call('GET', `/v1/orders/${orderId}`);
        const stats = await sim.stats(DIVISION);
        const log = stack.workers[0]?.output().slice(-3000);
        throw new Error(
          `${error.message}: ${JSON.stringify(order.body)} ${JSON.stringify(stats.dayWindows)} ${log}`,
        );
      });
      latencies.push(Date.now() - started);
    }
    expect(Math.max(...latencies)).toBeLessThan(10_000);
    expect((await sim.orders(DIVISION)).data).toHaveLength(5);
    expect((await sim.stats(DIVISION)).rateLimited).toBe(0);
  });
});
