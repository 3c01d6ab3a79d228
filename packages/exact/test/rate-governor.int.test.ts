import { deleteRedisKeys, startOwnRedis, testRedisUrl, uniqueName } from '@exact-sync/testkit';
import { Redis } from 'ioredis';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createGovernor, type Governor, type Lane } from '../src/rate-governor.ts';

// The governor against real Redis with a clock the test moves: windows of 60 s and a day, both aligned.
const prefix = uniqueName('gov');
const redis = new Redis(testRedisUrl());
const START = Date.UTC(2026, 5, 25, 10, 0, 0);
let now = START;
const clock = { now: () => now };
let key: string;
const ENDPOINT = 'sync/Logistics/Items';

function governor(extra: { keyPrefix?: string; errorGuardLimit?: number } = {}): Governor {
  return createGovernor(
    { redis, clock, keyPrefix: extra.keyPrefix ?? prefix },
    { syncReservePerMinute: 10, syncReservePerDay: 300, errorGuardLimit: extra.errorGuardLimit ?? 8 },
  );
}

/** Acquires without pacing in the way: jumps the clock to each pacing time, staying inside the window. */
async function drain(gov: Governor, lane: Lane, max = 1000): Promise<{ granted: number; last: unknown }> {
  let granted = 0;
  for (let i = 0; i < max; i += 1) {
    const r = await gov.acquire(key, lane, ENDPOINT);
    if (r.granted) granted += 1;
    else if (r.reason === 'pacing') now = r.until;
    else return { granted, last: r };
  }
  return { granted, last: null };
}

beforeEach(() => {
  now = START;
  key = uniqueName('division');
});

afterAll(async () => {
  await deleteRedisKeys(prefix);
  redis.disconnect();
});

describe('lanes and reserves', () => {
  it('caps sync at limit minus reserve per minute; orders get the rest, then wait for the next minute', async () => {
    const gov = governor();
    const sync = await drain(gov, 'sync');
    expect(sync.granted).toBe(50);
    expect(sync.last).toEqual({ granted: false, until: START + 60_000, reason: 'minute' });
    const orders = await drain(gov, 'order');
    expect(orders.granted).toBe(10);
    expect(orders.last).toEqual({ granted: false, until: START + 60_000, reason: 'minute' });

    now = START + 60_000;
    expect(await gov.acquire(key, 'order', ENDPOINT)).toEqual({ granted: true });
    const snap = await gov.snapshot(key);
    expect(snap.minute).toMatchObject({ limit: 60, resetAt: START + 120_000, used: { sync: 0, order: 1 } });
    expect(snap.day.used).toMatchObject({ sync: 50, order: 11 });
  });

  it('lets orders within the reserve leave the sync share whole, and keeps the unused reserve free', async () => {
    const gov = governor();
    for (let i = 0; i < 4; i += 1)
      expect(await gov.acquire(key, 'order', ENDPOINT)).toEqual({ granted: true });
    expect((await drain(gov, 'sync')).granted).toBe(50);
    expect((await drain(gov, 'order')).granted).toBe(6);

    now = START + 60_000;
    expect((await drain(gov, 'order', 15)).granted).toBe(15);
    expect((await drain(gov, 'sync')).granted).toBe(45);
  });

  it('spreads sync calls over the window instead of bursting', async () => {
    const gov = governor();
    expect(await gov.acquire(key, 'sync', ENDPOINT)).toEqual({ granted: true });
    const second = await gov.acquire(key, 'sync', ENDPOINT);
    expect(second).toMatchObject({ granted: false, reason: 'pacing' });
    const until = second.granted ? 0 : second.until;
    expect(until).toBeGreaterThan(now);
    expect(until).toBeLessThan(START + 60_000 / 10);
    expect(await gov.acquire(key, 'order', ENDPOINT)).toEqual({ granted: true });
  });

  it('makes sync yield while a refused order waits, and lets it go once the order had its call', async () => {
    const gov = governor();
    await drain(gov, 'order');
    const refused = await gov.acquire(key, 'order', ENDPOINT);
    expect(refused).toMatchObject({ granted: false, reason: 'minute' });

    now = START + 60_000;
    const sync = await gov.acquire(key, 'sync', ENDPOINT);
    expect(sync).toMatchObject({ granted: false, reason: 'orders-waiting' });
    expect(await gov.acquire(key, 'order', ENDPOINT)).toEqual({ granted: true });
    expect(await gov.acquire(key, 'sync', ENDPOINT)).toEqual({ granted: true });
  });

  it('keeps budget keys apart', async () => {
    const gov = governor();
    await drain(gov, 'order');
    expect(await gov.acquire(`${key}-other`, 'sync', ENDPOINT)).toEqual({ granted: true });
  });

  it('never grants more than the share to concurrent callers on separate connections', async () => {
    const other = new Redis(testRedisUrl());
    const govs = [
      governor(),
      createGovernor(
        { redis: other, clock, keyPrefix: prefix },
        { syncReservePerMinute: 10, syncReservePerDay: 300 },
      ),
    ];
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) => (govs[i % 2] as Governor).acquire(key, 'order', ENDPOINT)),
    );
    other.disconnect();
    expect(answers.filter((a) => a.granted)).toHaveLength(60);
  });
});

describe('headers', () => {
  it('learns limits from headers, in both directions', async () => {
    const gov = governor();
    expect(await gov.acquire(key, 'sync', ENDPOINT)).toEqual({ granted: true });
    await gov.record(key, 'sync', {
      status: 200,
      headers: { minuteLimit: 20, minuteRemaining: 19, dayLimit: 9000 },
    });
    now += 1000;
    expect((await drain(gov, 'sync')).granted).toBe(9); // a share of 20 - 10 reserve, one of it used
    const snap = await gov.snapshot(key);
    expect(snap.minute).toMatchObject({ limit: 20, syncShare: 10, remaining: 10 });
    expect(snap.day.limit).toBe(9000);

    now = START + 60_000;
    await gov.record(key, 'sync', { status: 200, headers: { minuteLimit: 100, minuteRemaining: 100 } });
    expect((await drain(gov, 'sync')).granted).toBe(90);
  });

  it('takes remaining as the smaller of its own count and the header', async () => {
    const gov = governor();
    await gov.acquire(key, 'order', ENDPOINT);
    await gov.record(key, 'order', {
      status: 200,
      headers: { minuteRemaining: 20, minuteReset: START + 60_000 },
    });
    expect((await gov.snapshot(key)).minute).toMatchObject({
      remaining: 20,
      used: { order: 1, unattributed: 39 },
    });
    await gov.record(key, 'order', {
      status: 200,
      headers: { minuteRemaining: 55, minuteReset: START + 60_000 },
    });
    expect((await gov.snapshot(key)).minute.remaining).toBe(20);
  });

  it('ignores the remaining of an answer from a window that is already over', async () => {
    const gov = governor();
    await gov.record(key, 'sync', { status: 200, headers: { minuteRemaining: 0, minuteReset: START } });
    expect((await gov.snapshot(key)).minute.remaining).toBe(60);
  });

  it('learns a short minute from successive resets and aligns windows to it', async () => {
    const gov = governor();
    now = START + 1200;
    await gov.record(key, 'sync', {
      status: 200,
      headers: { minuteReset: START + 5000, minuteRemaining: 59 },
    });
    now = START + 5100;
    await gov.record(key, 'sync', {
      status: 200,
      headers: { minuteReset: START + 10_000, minuteRemaining: 59 },
    });
    now = START + 10_000;
    const snap = await gov.snapshot(key);
    expect(snap.minute).toMatchObject({ lengthMs: 5000, resetAt: START + 15_000 });
  });
});

describe('429', () => {
  it('without headers closes both lanes until the next minute boundary (of the learned minute)', async () => {
    const gov = governor();
    await gov.record(key, 'sync', { status: 200, headers: { minuteReset: START + 5000 } });
    now = START + 5000;
    await gov.record(key, 'sync', { status: 200, headers: { minuteReset: START + 10_000 } });
    now = START + 7000;
    await gov.record(key, 'sync', { status: 429, headers: {} });
    expect(await gov.acquire(key, 'sync', ENDPOINT)).toEqual({
      granted: false,
      until: START + 10_000,
      reason: 'minute',
    });
    expect(await gov.acquire(key, 'order', ENDPOINT)).toEqual({
      granted: false,
      until: START + 10_000,
      reason: 'minute',
    });
    now = START + 10_000;
    expect(await gov.acquire(key, 'order', ENDPOINT)).toEqual({ granted: true });
  });

  it('with the day window’s headers closes the day until its reset', async () => {
    const gov = governor();
    const dayReset = START + 3_600_000;
    await gov.record(key, 'order', { status: 429, headers: { dayLimit: 5000, dayRemaining: 0, dayReset } });
    now = START + 120_000;
    expect(await gov.acquire(key, 'order', ENDPOINT)).toEqual({
      granted: false,
      until: dayReset,
      reason: 'day',
    });
    expect((await gov.snapshot(key)).day).toMatchObject({ remaining: 0, exhaustedUntil: dayReset });
  });

  it('is not counted by the error guard', async () => {
    const gov = governor({ errorGuardLimit: 2 });
    for (let i = 0; i < 5; i += 1) {
      await gov.record(key, 'sync', { status: 429, headers: {}, endpoint: ENDPOINT });
    }
    expect(await gov.acquire(key, 'order', ENDPOINT)).toMatchObject({ granted: false, reason: 'minute' });
    now = START + 60_000;
    expect(await gov.acquire(key, 'order', ENDPOINT)).toEqual({ granted: true });
  });
});

describe('daily window', () => {
  it('runs dry for sync at limit minus reserve while orders still go through', async () => {
    const gov = governor();
    const dayReset = START + 3_600_000;
    await gov.record(key, 'sync', {
      status: 200,
      headers: { dayLimit: 5000, dayRemaining: 300, dayReset, minuteLimit: 60, minuteRemaining: 59 },
    });
    expect(await gov.acquire(key, 'sync', ENDPOINT)).toEqual({
      granted: false,
      until: dayReset,
      reason: 'day',
    });
    expect(await gov.acquire(key, 'order', ENDPOINT)).toEqual({ granted: true });
    now = dayReset;
    expect(await gov.acquire(key, 'sync', ENDPOINT)).toEqual({ granted: true });
  });
});

describe('error guard', () => {
  it('refuses an endpoint at the guard limit per hour in the same acquire, and frees it as errors age out', async () => {
    const gov = governor({ errorGuardLimit: 3 });
    const endpoint = 'salesorder/SalesOrders';
    for (const status of [400, 404, 401]) {
      await gov.record(key, 'order', { status, headers: {}, endpoint });
      now += 1000;
    }
    await gov.record(key, 'order', { status: 200, headers: {}, endpoint });
    const guarded = { granted: false, until: START + 3_600_000, reason: 'guarded' };
    expect(await gov.acquire(key, 'order', endpoint)).toEqual(guarded);
    expect(await gov.acquire(key, 'sync', "SalesOrder/SalesOrders(guid'1')?$select=ID")).toEqual(guarded);
    // A guarded refusal takes nothing from the budget and makes no order wait.
    expect(await gov.snapshot(key)).toMatchObject({
      minute: { used: { sync: 0, order: 0 } },
      ordersWaitingMs: 0,
    });
    expect(await gov.acquire(key, 'order', 'crm/Accounts')).toEqual({ granted: true });

    now = START + 3_600_001;
    expect(await gov.acquire(key, 'order', endpoint)).toEqual({ granted: true });
  });

  it('answers guarded before the budget: an endpoint held for an hour is not reported as a minute wait', async () => {
    const gov = governor({ errorGuardLimit: 1 });
    await gov.record(key, 'sync', { status: 404, headers: {}, endpoint: ENDPOINT });
    await gov.record(key, 'sync', { status: 429, headers: {} });
    expect(await gov.acquire(key, 'sync', ENDPOINT)).toEqual({
      granted: false,
      until: START + 3_600_000,
      reason: 'guarded',
    });
    expect(await gov.acquire(key, 'sync', 'crm/Accounts')).toMatchObject({
      granted: false,
      reason: 'minute',
    });
  });
});

describe('scripts', () => {
  it('are defined once per Redis connection, however many governors share it', async () => {
    const own = new Redis(testRedisUrl());
    const define = vi.spyOn(own, 'defineCommand');
    try {
      const first = createGovernor(
        { redis: own, clock, keyPrefix: prefix },
        { syncReservePerMinute: 10, syncReservePerDay: 300 },
      );
      const second = createGovernor(
        { redis: own, clock, keyPrefix: prefix },
        { syncReservePerMinute: 10, syncReservePerDay: 300 },
      );
      expect(define.mock.calls.map(([name]) => name).sort()).toEqual([
        'exsGovernorAcquire',
        'exsGovernorRecord',
        'exsGovernorSnapshot',
      ]);
      expect(await first.acquire(key, 'order', ENDPOINT)).toEqual({ granted: true });
      expect((await second.snapshot(key)).minute.used.order).toBe(1);
    } finally {
      own.disconnect();
    }
  });

  it('are loaded again after Redis forgot them (a restart or failover)', async () => {
    // Its own Redis: flushing the scripts of the shared one would touch other tests.
    const server = await startOwnRedis();
    const own = new Redis(server.url);
    try {
      const gov = createGovernor({ redis: own, clock }, { syncReservePerMinute: 10, syncReservePerDay: 300 });
      expect(await gov.acquire(key, 'order', ENDPOINT)).toEqual({ granted: true });
      await own.script('FLUSH');
      expect(await gov.acquire(key, 'order', ENDPOINT)).toEqual({ granted: true });
      expect((await gov.snapshot(key)).minute.used.order).toBe(2);
    } finally {
      own.disconnect();
      await server.stop();
    }
  });
});
