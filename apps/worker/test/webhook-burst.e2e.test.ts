import { createHmac, randomUUID } from 'node:crypto';
import { ENTITY_NAMES } from '@exact-sync/core';
import { bullPrefix } from '@exact-sync/queues';
import {
  createTestDatabase,
  type OwnRedis,
  onboard,
  type Stack,
  startOwnRedis,
  startStack,
  type TestDatabase,
  uniqueName,
  waitFor,
} from '@exact-sync/testkit';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Every Exact call earns its keep: bursts of signed webhooks through the real api, worker and simulator. Planned
// polls are 30 days apart here (BullMQ aligns `every` to multiples of it since the epoch, so an hour would poll at
// each whole hour), so every sync call in a measurement comes from the webhooks or the operator.
const DIVISION = 100001;
const DEBOUNCE_MS = 3_000;
let db: TestDatabase;
let redis: OwnRedis;
let stack: Stack;
let queueRedis: Redis;
let queue: Queue;
let connectionId = '';

/** A delivery as Exact sends it: the Content text signed with the app's webhook secret. */
function delivery(topic: string): string {
  const key = randomUUID();
  const content = `{"Topic":"${topic}","ClientId":"exact-sim-client","Division":${DIVISION},"Action":"Update","Key":"${key}","ExactOnlineEndpoint":"${stack.sim.url}/api/v1/${DIVISION}/logistics/Items(guid'${key}')","EventCreatedOn":"${new Date().toISOString()}"}`;
  const secret = stack.env.EXACT_WEBHOOK_SECRET ?? '';
  const hash = createHmac('sha256', secret).update(content).digest('hex').toUpperCase();
  return `{"Content":${content},"HashCode":"${hash}"}`;
}

/** 100 deliveries for Items, 20 at a time, all answered 200; answers how long the burst took. */
async function burst(): Promise<number> {
  const started = Date.now();
  for (let i = 0; i < 5; i++) {
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        fetch(`${stack.apiUrl}/webhooks/exact`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: delivery('Items'),
        }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
  }
  return Date.now() - started;
}

/**
 * No sync job runs or waits, apart from the planned polls' next iterations (30 days away; the daily lists' at the
 * next midnight). A planned poll that waits for budget also sits in the delayed set with its scheduler's key, but
 * due within a minute or two: it counts as waiting. The delayed set's score is the due time in ms times 4096
 * (BullMQ's layout).
 */
async function quiet(): Promise<void> {
  await waitFor(
    'a quiet sync queue',
    async () => {
      const counts = await queue.getJobCounts('waiting', 'active', 'prioritized');
      const dueSoon = await queueRedis.zcount(`${queue.keys.delayed}`, '-inf', (Date.now() + 120_000) * 4096);
      return Object.values(counts).every((n) => n === 0) && dueSoon === 0;
    },
    60_000,
    200,
  );
}

/** Waits until every dataset named has completed a run since `since` (then the queue may settle). */
async function ranSince(since: number, datasets: readonly string[]): Promise<void> {
  await waitFor('the runs to complete', async () => {
    const status = (await stack.call('GET', `/v1/connections/${connectionId}/status`)).body as {
      entities: Record<string, { lastSuccessAt: string | null }>;
      deletions: { chains: Record<string, { lastSuccessAt: string | null }> };
    };
    const done = (at: string | null | undefined) =>
      at !== null && at !== undefined && Date.parse(at) >= since;
    return datasets.every((d) =>
      done(status.entities[d]?.lastSuccessAt ?? status.deletions.chains[d]?.lastSuccessAt),
    );
  });
}

/** Successful calls per sync endpoint since the last reset. */
async function syncCalls(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const c of (await stack.simControl.stats(DIVISION)).calls) {
    if (c.endpoint.startsWith('sync/') && c.status === 200)
      out[c.endpoint] = (out[c.endpoint] ?? 0) + c.count;
  }
  return out;
}

beforeAll(async () => {
  db = await createTestDatabase('webhook_burst');
  redis = await startOwnRedis();
  const prefix = uniqueName('burst');
  stack = await startStack({
    databaseUrl: db.url,
    redisUrl: redis.url,
    redisPrefix: prefix,
    simEnv: { SIM_ITEMS: '300', SIM_ACCOUNTS: '40', SIM_MINUTE_LIMIT: '1000', SIM_DAY_LIMIT: '100000' },
    env: { SYNC_MIN_INTERVAL_MS: String(30 * 86_400_000), WEBHOOK_DEBOUNCE_MS: String(DEBOUNCE_MS) },
  });
  queueRedis = new Redis(redis.url);
  queue = new Queue('sync', { connection: queueRedis, prefix: bullPrefix(prefix) });
  connectionId = await onboard(stack, { division: DIVISION });
  await waitFor('the initial sync', async () => {
    const status = (await stack.call('GET', `/v1/connections/${connectionId}/status`)).body as {
      entities: Record<string, { phase: string }>;
    };
    return ENTITY_NAMES.every((e) => status.entities[e]?.phase === 'incremental');
  });
  await quiet();
}, 120_000);

afterAll(async () => {
  await queue?.close();
  queueRedis?.disconnect();
  await stack?.stop();
  await redis?.stop();
  await db?.drop();
});

describe('a burst of 100 webhooks for Items', () => {
  it('costs one item run when it arrives while idle (two at most if it outlasts the debounce), no deletions round', async () => {
    await stack.simControl.resetStats();
    const started = Date.now();
    const took = await burst();
    await ranSince(started, ['items', 'prices']);
    await quiet();
    const calls = await syncCalls();
    // Deliveries after the debounced run has started mark one more run: a slow burst may cost two, never more.
    const runs = took < DEBOUNCE_MS ? 1 : 2;
    expect(calls['sync/Logistics/Items']).toBeGreaterThanOrEqual(1);
    expect(calls['sync/Logistics/Items']).toBeLessThanOrEqual(runs);
    expect(calls['sync/Logistics/SalesItemPrices']).toBeLessThanOrEqual(runs);
    expect(calls['sync/Deleted']).toBeUndefined();
  });

  it('costs the run in progress and exactly one after it when it arrives during a run', async () => {
    // Every sync page takes 3 s, so the burst surely lands while the items run is in progress.
    await stack.simControl.faults({ latencyMs: 3_000, only: 'sync' });
    try {
      await stack.simControl.resetStats();
      await burst();
      await waitFor(
        'an items run in progress',
        async () => (await queue.getJobs(['active'])).some((j) => j.data.entity === 'items'),
        10_000,
        50,
      );
      await burst();
      await quiet();
    } finally {
      await stack.simControl.faults({});
    }
    const calls = await syncCalls();
    expect(calls['sync/Logistics/Items']).toBe(2);
    expect(calls['sync/Logistics/SalesItemPrices']).toBeLessThanOrEqual(2);
  });

  it('leaves an idle round at one call per entity and one per deletions chain', async () => {
    await stack.simControl.resetStats();
    const started = Date.now();
    const sync = await stack.call('POST', `/v1/connections/${connectionId}/sync`, { body: {} });
    expect(sync.status).toBe(202);
    expect((sync.body as { enqueued: string[] }).enqueued).toEqual([...ENTITY_NAMES, 'deleted']);
    await ranSince(started, [...ENTITY_NAMES, 'deleted']);
    await quiet();
    const calls = await syncCalls();
    expect(Object.values(calls).reduce((n, c) => n + c, 0)).toBe(ENTITY_NAMES.length + 1);
    expect(calls['sync/Deleted']).toBe(1);
  });
});
