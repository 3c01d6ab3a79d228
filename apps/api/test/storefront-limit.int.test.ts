import { connect, createServer, type Server } from 'node:net';
import { deleteRedisKeys, freePort, testRedisUrl, uniqueName } from '@exact-sync/testkit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createStorefrontLimit } from '../src/auth/storefront-limit.ts';

// The limiter against real Redis, on a clock of the test's own: windows are the minutes of that clock, some minutes
// ahead of the real one (so Redis does not expire the counts at once).
const prefix = uniqueName('limit');
const MINUTE = 60_000;
const minuteAhead = (n: number) => (Math.floor(Date.now() / MINUTE) + n) * MINUTE;
const clients: Redis[] = [];
// A proxy to the test's Redis that can stop passing commands on: a Redis that hangs once connected.
let proxy: Server;
let proxyPort: number;
let hanging = false;

/** A client as the api makes them: commands fail at once, rather than queue, while it is not connected. */
async function client(url = testRedisUrl()): Promise<Redis> {
  const redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: true });
  redis.on('error', () => {});
  clients.push(redis);
  await redis.connect();
  return redis;
}

beforeAll(async () => {
  const target = new URL(testRedisUrl());
  proxyPort = await freePort();
  proxy = createServer((socket) => {
    const upstream = connect(Number(target.port || 6379), target.hostname);
    socket.on('data', (data) => {
      if (!hanging) upstream.write(data);
    });
    upstream.pipe(socket);
    socket.on('error', () => upstream.destroy());
    upstream.on('error', () => socket.destroy());
    socket.on('close', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(proxyPort, '127.0.0.1', resolve));
});

afterAll(async () => {
  for (const redis of clients) redis.disconnect();
  await new Promise((resolve) => proxy.close(resolve));
  await deleteRedisKeys(prefix);
});

describe('the storefront request limit', () => {
  it('counts each key once over all the api processes that share Redis, in windows of the minute', async () => {
    let now = minuteAhead(10) + 45_000;
    const clock = () => now;
    const redis = await client();
    const [a, b] = [1, 2].map(() => createStorefrontLimit({ redis, prefix, perMinute: 3, now: clock }));
    if (!a || !b) throw new Error('no limiters');
    expect(await a.hit('key-1')).toEqual({ limit: 3, remaining: 2, resetSeconds: 15, allowed: true });
    expect((await b.hit('key-1')).remaining).toBe(1);
    expect((await a.hit('key-1')).remaining).toBe(0);
    expect(await b.hit('key-1')).toEqual({ limit: 3, remaining: 0, resetSeconds: 15, allowed: false });
    // Another key has a count of its own.
    expect(await a.hit('key-2')).toMatchObject({ remaining: 2, allowed: true });
    // The next minute starts afresh, in every process.
    now += 15_000;
    expect(await b.hit('key-1')).toEqual({ limit: 3, remaining: 2, resetSeconds: 60, allowed: true });
  });

  it('counts the concurrent requests of a turn in one round trip, numbering each within its key', async () => {
    const now = minuteAhead(10) + 1_000;
    const redis = await client();
    const multi = vi.spyOn(redis, 'multi');
    const limit = createStorefrontLimit({ redis, prefix, perMinute: 3, now: () => now });
    const states = await Promise.all(
      ['key-5', 'key-5', 'key-6', 'key-5', 'key-5'].map((key) => limit.hit(key)),
    );
    expect(states.map((s) => [s.remaining, s.allowed])).toEqual([
      [2, true],
      [1, true],
      [2, true],
      [0, true],
      [0, false],
    ]);
    expect(multi).toHaveBeenCalledTimes(1);
    expect(await redis.get(`${prefix}:storefront-limit:{key-5}:${Math.floor(now / MINUTE)}`)).toBe('4');
  });

  it('counts in the process while Redis is down, never failing a request, and in Redis again once it is back', async () => {
    let now = minuteAhead(20) + 1_000;
    const redis = await client();
    const told: boolean[] = [];
    const limit = createStorefrontLimit({
      redis,
      prefix,
      perMinute: 3,
      now: () => now,
      onFallback: (fallback) => told.push(fallback),
    });
    expect((await limit.hit('key-3')).remaining).toBe(2);
    redis.disconnect();
    await new Promise((resolve) => redis.once('end', resolve));
    const started = Date.now();
    // This process counted its first request too, so it goes on from there.
    expect((await limit.hit('key-3')).remaining).toBe(1);
    expect((await limit.hit('key-3')).remaining).toBe(0);
    expect((await limit.hit('key-3')).allowed).toBe(false);
    expect(Date.now() - started).toBeLessThan(200);
    expect(told).toEqual([true]);

    await redis.connect();
    now += 5_000;
    // Redis saw one request of the four: it counts on from there.
    expect(await limit.hit('key-3')).toMatchObject({ remaining: 1, allowed: true });
    expect(told).toEqual([true, false]);
  });

  it('answers within a quarter of a second when Redis hangs, and then stops asking it for a while', async () => {
    const redis = await client(`redis://127.0.0.1:${proxyPort}`);
    const limit = createStorefrontLimit({ redis, prefix, perMinute: 3 });
    expect(await limit.hit('key-4')).toMatchObject({ remaining: 2, allowed: true });
    hanging = true;
    let started = Date.now();
    expect(await limit.hit('key-4')).toMatchObject({ remaining: 1, allowed: true });
    expect(Date.now() - started).toBeGreaterThanOrEqual(240);
    expect(Date.now() - started).toBeLessThan(1_000);
    started = Date.now();
    expect(await limit.hit('key-4')).toMatchObject({ remaining: 0, allowed: true });
    expect(Date.now() - started).toBeLessThan(50);
    redis.disconnect();
  });
});
