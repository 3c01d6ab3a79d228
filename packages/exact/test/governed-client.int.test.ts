import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { deleteRedisKeys, startSimulator, testRedisUrl, uniqueName } from '@exact-sync/testkit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sleep, systemClock } from '../src/clock.ts';
import { BudgetExhaustedError, EndpointGuardedError, ExactValidationError } from '../src/errors.ts';
import { createExactClient, type ExactClient } from '../src/exact-client.ts';
import { createGovernor, type Governor } from '../src/rate-governor.ts';
import { fetchCurrentDivision } from '../src/tokens/oauth.ts';
import { createUndiciTransport, type Transport } from '../src/transport.ts';
import {
  control,
  hammerSync,
  pastPacing,
  perWindow,
  type SeenCall,
  type Sim,
  simStats,
  simTokens,
  watching,
} from './sim-helpers.ts';

// Short windows (1.5 s "minutes" of 30 calls): several windows pass within a test. Each test takes its own
// division so budgets never mix; faults and limits are simulator-wide, which is why the tests run in sequence.
const MINUTE_MS = 1500;
const LIMIT = 30;
const RESERVE = 10;
const DIVISIONS = [100001, 100002, 100003, 100004, 100005, 100006];

const prefix = uniqueName('gov-client');
const redisConnections: Redis[] = [];
const transports: Transport[] = [];
let sim: Sim;

function newGovernor(): Governor {
  const redis = new Redis(testRedisUrl());
  redisConnections.push(redis);
  return createGovernor(
    { redis, clock: systemClock, keyPrefix: prefix },
    { syncReservePerMinute: RESERVE, syncReservePerDay: 300 },
  );
}

/** A connection as a separate worker would hold it: its own token, Redis connection and HTTP pool. */
function connect(division: number, seen: SeenCall[], governor = newGovernor()): ExactClient {
  const transport = watching(createUndiciTransport(), seen);
  transports.push(transport);
  return createExactClient(
    { governor, tokens: simTokens(sim, division), clock: systemClock, transport },
    { baseUrl: sim.url, division },
  );
}

beforeAll(async () => {
  sim = await startSimulator({
    SIM_MINUTE_MS: String(MINUTE_MS),
    SIM_MINUTE_LIMIT: String(LIMIT),
    SIM_DIVISIONS: DIVISIONS.join(','),
    SIM_ITEMS: '200',
    SIM_CONFIG: JSON.stringify({ syncPageSize: 20 }),
  });
});

afterAll(async () => {
  await Promise.all(transports.map((t) => t.close()));
  await sim?.stop();
  await deleteRedisKeys(prefix);
  for (const redis of redisConnections) redis.disconnect();
});

describe('against the simulator', () => {
  it('shares one budget between two connections to a division, keeps a second division apart, never meets a 429', async () => {
    const [a, b] = [DIVISIONS[0] ?? 0, DIVISIONS[1] ?? 0];
    const seen: SeenCall[] = [];
    const first = connect(a, seen);
    const second = connect(a, seen);
    const other = connect(b, seen);
    expect(first.budgetKey).toBe(second.budgetKey);

    const accounts = await first.syncPage('CRM/Accounts', { select: ['ID'] }, 'order');
    const items = await first.syncPage('Logistics/Items', { select: ['ID'] }, 'order');
    const order = {
      OrderedBy: String(accounts.records[0]?.ID),
      SalesOrderLines: [{ Item: String(items.records[0]?.ID), Quantity: 1 }],
    };
    const end = Date.now() + 3 * MINUTE_MS;
    const placeOrders = async (): Promise<number> => {
      let placed = 0;
      while (Date.now() < end) {
        await (placed % 2 === 0 ? first : second).createSalesOrder({ ...order, YourRef: `T-${placed}` });
        placed += 1;
        await sleep(300);
      }
      return placed;
    };
    const [placed] = await Promise.all([
      placeOrders(),
      hammerSync(first, end),
      hammerSync(first, end),
      hammerSync(second, end),
      hammerSync(second, end),
      hammerSync(other, end),
    ]);

    expect(placed).toBeGreaterThan(5);
    expect((await simStats(sim, a)).rateLimited).toBe(0);
    expect((await simStats(sim, b)).rateLimited).toBe(0);
    for (const count of perWindow(seen, a).values()) expect(count).toBeLessThanOrEqual(LIMIT);
    // Sync kept out of the orders' reserve. A call granted just before a reset is counted by Exact in the next
    // window, so the server may see a call or two more than the governor granted in it.
    const syncOnly = seen.filter((c) => c.endpoint.startsWith('sync/') && c.division === a);
    for (const count of perWindow(syncOnly, a).values())
      expect(count).toBeLessThanOrEqual(LIMIT - RESERVE / 2);
    // Each division's budget counted exactly its own calls: the second division never paid for the first.
    const governor = newGovernor();
    for (const [client, division] of [
      [first, a],
      [other, b],
    ] as const) {
      const { used } = (await governor.snapshot(client.budgetKey)).day;
      expect(used.sync + used.order).toBe(seen.filter((c) => c.division === division).length);
    }
  });

  it('after a 429 without headers, waits for the next minute boundary instead of failing', async () => {
    const division = DIVISIONS[2] ?? 0;
    const governor = newGovernor();
    const client = connect(division, [], governor);
    // Two windows of answers teach the governor how long Exact's "minute" is.
    await hammerSync(client, Date.now() + 2 * MINUTE_MS);
    expect((await governor.snapshot(client.budgetKey)).minute.lengthMs).toBe(MINUTE_MS);
    await control(sim, 'PUT', '/_sim/faults', { headerless429Rate: 1, only: 'sync' });
    try {
      // From the start of a window: near its end the sync share may be spent, and the governor would refuse the
      // call itself (a wait for the boundary that never met the 429 this test is about).
      await sleep(MINUTE_MS - (Date.now() % MINUTE_MS) + 20);
      const err = await pastPacing(() => client.syncPage('Logistics/Items', { select: ['ID'] })).catch(
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(BudgetExhaustedError);
      const { until, reason } = err as BudgetExhaustedError;
      expect(reason).toBe('minute');
      expect(until % MINUTE_MS).toBe(0);
      expect(until).toBeGreaterThan(Date.now());
      expect(until).toBeLessThanOrEqual(Date.now() + MINUTE_MS);
      // Orders wait for the same boundary (the window is shut for everyone) and then go through.
      expect(
        await client.findSalesOrdersByYourRef('NONE', undefined, 'order', { maxWaitMs: 2 * MINUTE_MS }),
      ).toEqual([]);
    } finally {
      await control(sim, 'PUT', '/_sim/faults', {});
    }
    await hammerSync(client, Date.now() + MINUTE_MS);
    expect((await simStats(sim, division)).calls.filter((c) => c.status === 429)).toEqual([
      expect.objectContaining({ count: 1 }),
    ]);
  });

  it('follows limits that change through the headers', async () => {
    const division = DIVISIONS[3] ?? 0;
    const governor = newGovernor();
    const client = connect(division, [], governor);
    await control(sim, 'PATCH', '/_sim/config', { minuteLimit: 16 });
    try {
      await hammerSync(client, Date.now() + 3 * MINUTE_MS);
      expect((await governor.snapshot(client.budgetKey)).minute.limit).toBe(16);
    } finally {
      await control(sim, 'PATCH', '/_sim/config', { minuteLimit: LIMIT });
    }
    await hammerSync(client, Date.now() + 2 * MINUTE_MS);
    expect((await governor.snapshot(client.budgetKey)).minute.limit).toBe(LIMIT);
    expect((await simStats(sim, division)).rateLimited).toBe(0);
  });

  it('holds an endpoint that keeps failing below the error block, and only that endpoint', async () => {
    const division = DIVISIONS[4] ?? 0;
    const client = connect(division, []);
    const missingAccount = '00000000-0000-4000-8000-000000000001';
    const outcomes: string[] = [];
    for (let i = 0; i < 12; i += 1) {
      const err = await client
        .createSalesOrder({
          OrderedBy: missingAccount,
          SalesOrderLines: [{ Item: missingAccount, Quantity: 1 }],
        })
        .catch((e: unknown) => e);
      outcomes.push(err instanceof Error ? err.name : 'created');
    }
    expect(outcomes.filter((o) => o === ExactValidationError.name)).toHaveLength(8);
    expect(outcomes.slice(8)).toEqual(Array(4).fill(EndpointGuardedError.name));
    const statuses = (await simStats(sim, division)).calls.map((c) => c.status);
    expect(statuses).not.toContain(403);
    expect(await client.itemByCode('NO-SUCH-ITEM')).toBeNull();
  });

  it('reads current/Me (as onboarding does) and the divisions, and manages webhook subscriptions', async () => {
    const division = DIVISIONS[5] ?? 0;
    const client = connect(division, []);
    const accessToken = await simTokens(sim, division).accessToken();
    expect(await fetchCurrentDivision({ baseUrl: sim.url, accessToken })).toBe(division);
    expect(await client.divisionInfo(division)).toEqual({
      code: division,
      description: expect.any(String),
      divisionMoveDate: null,
      hrLinkUnlinkDate: null,
    });
    expect(await client.divisionInfo(999_999)).toBeNull();

    const receiver = createServer((_req, res) => res.end()).listen(0, '127.0.0.1');
    await new Promise((resolve) => receiver.once('listening', resolve));
    try {
      const callbackUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/exact`;
      const created = await client.webhookSubscriptions.create({ callbackUrl, topic: 'Items' });
      expect(created).toMatchObject({ callbackUrl, topic: 'Items' });
      expect(await client.webhookSubscriptions.list()).toEqual([created]);
      await client.webhookSubscriptions.delete(created.id);
      expect(await client.webhookSubscriptions.list()).toEqual([]);
    } finally {
      receiver.close();
    }
  });
});
