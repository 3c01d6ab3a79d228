import { deleteRedisKeys, startSimulator, testRedisUrl, uniqueName } from '@exact-sync/testkit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sleep, systemClock } from '../src/clock.ts';
import { BudgetExhaustedError } from '../src/errors.ts';
import { createExactClient } from '../src/exact-client.ts';
import { createGovernor } from '../src/rate-governor.ts';
import { createUndiciTransport } from '../src/transport.ts';
import { pastPacing, type Sim, simStats, simTokens } from './sim-helpers.ts';

// An Exact "day" of 5 s with 40 calls: the sync lane may use 30 of them, orders the rest.
const DAY_MS = 5000;
const DAY_LIMIT = 40;
const DIVISION = 100001;
const prefix = uniqueName('gov-day');
const redis = new Redis(testRedisUrl());
const transport = createUndiciTransport();
let sim: Sim;

beforeAll(async () => {
  sim = await startSimulator({
    SIM_MINUTE_MS: '1000',
    SIM_DAY_MS: String(DAY_MS),
    SIM_DAY_LIMIT: String(DAY_LIMIT),
    SIM_ITEMS: '50',
  });
});

afterAll(async () => {
  await transport.close();
  await sim?.stop();
  await deleteRedisKeys(prefix);
  redis.disconnect();
});

it('runs the daily window dry for sync, which waits for the reset while orders still go through', async () => {
  const governor = createGovernor(
    { redis, clock: systemClock, keyPrefix: prefix },
    { syncReservePerMinute: 10, syncReservePerDay: 10 },
  );
  const client = createExactClient(
    { governor, tokens: simTokens(sim, DIVISION), clock: systemClock, transport },
    { baseUrl: sim.url, division: DIVISION },
  );
  const accounts = await client.syncPage('CRM/Accounts', { select: ['ID'] }, 'order');
  const items = await client.syncPage('Logistics/Items', { select: ['ID'] }, 'order');

  // Start right after a day boundary, so the day runs dry well before its reset.
  await sleep(Math.ceil(Date.now() / DAY_MS) * DAY_MS + 50 - Date.now());
  let dry: BudgetExhaustedError | null = null;
  while (dry === null) {
    dry = await pastPacing(() => client.syncPage('Logistics/Items', { select: ['ID'] })).then(
      () => null,
      (err: unknown) => {
        if (err instanceof BudgetExhaustedError && err.reason !== 'minute') return err;
        if (err instanceof BudgetExhaustedError) return sleep(err.until - Date.now()).then(() => null);
        throw err;
      },
    );
  }
  expect(dry.reason).toBe('day');
  expect(dry.until % DAY_MS).toBe(0);
  const snapshot = await governor.snapshot(client.budgetKey);
  expect(snapshot.day).toMatchObject({ limit: DAY_LIMIT, resetAt: dry.until });

  expect(dry.until).toBeGreaterThan(Date.now());
  const order = await client.createSalesOrder({
    OrderedBy: String(accounts.records[0]?.ID),
    YourRef: 'DAY-1',
    SalesOrderLines: [{ Item: String(items.records[0]?.ID), Quantity: 1 }],
  });
  expect(order.orderNumber).toBeGreaterThan(0);
  expect(await client.findSalesOrdersByYourRef('DAY-1')).toEqual([
    { orderId: order.orderId, orderNumber: order.orderNumber },
  ]);
  expect(await governor.acquire(client.budgetKey, 'sync', 'sync/Logistics/Items')).toMatchObject({
    granted: false,
    reason: 'day',
  });

  await sleep(dry.until - Date.now());
  const page = await pastPacing(() => client.syncPage('Logistics/Items', { select: ['ID'] }));
  expect(page.records.length).toBeGreaterThan(0);
  expect((await simStats(sim, DIVISION)).rateLimited).toBe(0);
});
