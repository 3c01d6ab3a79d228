/**
 * What one `acquire` costs: 1,000 budget keys with learned state in Redis, then acquires on random keys (80 % sync,
 * 20 % order; the endpoint's error guard is checked in the same script), one at a time (latency) and 32 in flight
 * (throughput); `record` and `snapshot` for comparison.
 * `--quick` runs a tenth of the calls.
 *
 *   node_modules/.bin/tsx bench/governor-acquire.ts [--quick]
 */
import { performance } from 'node:perf_hooks';
import { createGovernor, type Lane, systemClock } from '@exact-sync/exact';
import { deleteRedisKeys } from '@exact-sync/testkit';
import { Redis } from 'ioredis';

const quick = process.argv.includes('--quick');
const KEYS = 1000;
const SEQUENTIAL = quick ? 2000 : 20_000;
const CONCURRENT = quick ? 5000 : 50_000;
const IN_FLIGHT = 32;
const redisUrl = process.env.REDIS_URL ?? process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `bench-acq-${process.pid}-${Date.now().toString(36)}`;

const redis = new Redis(redisUrl);
const governor = createGovernor(
  { redis, clock: systemClock, keyPrefix: prefix },
  { syncReservePerMinute: 10, syncReservePerDay: 300 },
);
const keys = Array.from({ length: KEYS }, (_, i) => `bench.exactonline.nl/${100000 + i}`);
const pick = (): string => keys[Math.floor(Math.random() * KEYS)] ?? '';
const lane = (): Lane => (Math.random() < 0.8 ? 'sync' : 'order');
const ENDPOINT = 'sync/logistics/items';

const pct = (sorted: number[], p: number): number => sorted[Math.floor((p / 100) * (sorted.length - 1))] ?? 0;
const us = (ms: number): string => `${(ms * 1000).toFixed(0)} µs`;

async function timed(n: number, op: () => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < n; i += 1) {
    const t = performance.now();
    await op();
    samples.push(performance.now() - t);
  }
  return samples.sort((a, b) => a - b);
}

async function evalshaStats(): Promise<{ calls: number; usec: number }> {
  const info = await redis.info('commandstats');
  const m = /cmdstat_evalsha:calls=(\d+),usec=(\d+)/.exec(info);
  return { calls: Number(m?.[1] ?? 0), usec: Number(m?.[2] ?? 0) };
}

try {
  // Every key gets the state a live connection has: limits and resets learned from headers, some calls taken.
  const now = Date.now();
  const minuteReset = (Math.floor(now / 60_000) + 1) * 60_000;
  const dayReset = (Math.floor(now / 86_400_000) + 1) * 86_400_000;
  for (const key of keys) {
    await governor.acquire(key, 'sync', ENDPOINT);
    await governor.record(key, 'sync', {
      status: 200,
      headers: {
        minuteLimit: 60,
        minuteRemaining: 59,
        minuteReset,
        dayLimit: 5000,
        dayRemaining: 4999,
        dayReset,
      },
      endpoint: 'sync/Logistics/Items',
    });
  }
  const stored = (await redis.keys(`${prefix}:*`)).length;
  const bytes = Number(await redis.call('MEMORY', 'USAGE', `${prefix}:{${keys[0]}}:budget`));
  console.log(
    `governor-acquire: ${KEYS} budget keys (${stored} Redis keys, ~${bytes} bytes per budget hash)`,
  );

  const before = await evalshaStats();
  let granted = 0;
  const latency = await timed(SEQUENTIAL, async () => {
    if ((await governor.acquire(pick(), lane(), ENDPOINT)).granted) granted += 1;
  });
  const mean = latency.reduce((s, x) => s + x, 0) / latency.length;
  console.log(
    `acquire, one at a time (${SEQUENTIAL}): mean ${us(mean)}, p50 ${us(pct(latency, 50))}, p99 ${us(pct(latency, 99))}, ` +
      `max ${us(latency.at(-1) ?? 0)}; ${((100 * granted) / SEQUENTIAL).toFixed(0)} % granted`,
  );

  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < CONCURRENT) {
        next += 1;
        await governor.acquire(pick(), lane(), ENDPOINT);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `acquire, ${IN_FLIGHT} in flight (${CONCURRENT}): ${(CONCURRENT / seconds).toFixed(0)} acquires/s ` +
      `(${us((seconds * 1000) / CONCURRENT)} of wall time each)`,
  );
  const after = await evalshaStats();
  const serverCalls = after.calls - before.calls;
  if (serverCalls > 0) {
    console.log(
      `Redis time per EVALSHA (commandstats, whole server): ${((after.usec - before.usec) / serverCalls).toFixed(1)} µs over ${serverCalls} calls`,
    );
  }

  const record = await timed(SEQUENTIAL / 4, () =>
    governor.record(pick(), 'sync', {
      status: 200,
      headers: { minuteRemaining: 40, minuteReset },
      endpoint: 'x/y',
    }),
  );
  const snapshot = await timed(SEQUENTIAL / 4, () => governor.snapshot(pick()));
  console.log(`record: p50 ${us(pct(record, 50))}, p99 ${us(pct(record, 99))}`);
  console.log(`snapshot: p50 ${us(pct(snapshot, 50))}, p99 ${us(pct(snapshot, 99))}`);
} finally {
  await deleteRedisKeys(prefix, redisUrl);
  redis.disconnect();
}
