import { randomUUID } from 'node:crypto';
import { ENTITY_NAMES, JOBS, schedulerTemplate, syncDedupId } from '@exact-sync/core';
import { bullPrefix, closeQueues, createQueues, type Queues, workerRedis } from '@exact-sync/queues';
import { deleteRedisKeys, testRedisUrl, uniqueName, waitFor } from '@exact-sync/testkit';
import type { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { SYNC_SLOTS, startConsumers } from '../src/consumers.ts';
import type { HandlerMap } from '../src/jobs/handler.ts';
import { parkNextPoll } from '../src/maintenance/sync-schedulers.ts';
import { FairLane } from '../src/sync/fair-lane.ts';
import { heldJobs, publishPlannedDatasets, startLaneCapacity } from '../src/sync/lane-capacity.ts';
import { redisPicker } from '../src/sync/lane-picker.ts';

// Worker processes (their BullMQ consumers, sync lanes and capacity, on real Redis) take sync jobs that sit in the
// queue connection by connection, as the job schedulers put them there, and start their runs in fair turns.
const log = pino({ level: 'silent' });
const CONNECTIONS = 30;
const DATASETS = ENTITY_NAMES.slice(0, 10);
const RUN_MS = 5;

interface Process {
  redis: Redis;
  lane: FairLane;
  workers: Worker[];
  capacity: { stop(): Promise<void> };
}

let prefix = '';
let queueRedis: Redis | undefined;
let queues: Queues | undefined;
let processes: Process[] = [];
/** Lets the jobs held by the processes go to their lanes. */
let allTaken = () => {};

afterEach(async () => {
  allTaken();
  for (const p of processes) {
    await p.capacity.stop();
    p.lane.close();
    await Promise.all(p.workers.map((w) => w.close()));
    p.redis.disconnect();
  }
  processes = [];
  if (queues) await closeQueues(queues);
  queueRedis?.disconnect();
  await deleteRedisKeys(bullPrefix(prefix));
  await deleteRedisKeys(prefix);
});

/**
 * A worker process whose sync jobs record the connection of each run as it starts. Its jobs go to the lane once
 * `taken` resolves (when the workers took every job), so that the first turn already sees every connection.
 */
function startProcess(started: string[], taken: Promise<void>): Process {
  const redis = workerRedis(testRedisUrl());
  const lane = new FairLane(SYNC_SLOTS, { picker: redisPicker(redis, { prefix }) });
  const idle = async () => undefined;
  const handlers: HandlerMap = {
    'sync.entity': async ({ connectionId, entity }) => {
      await taken;
      await lane.run(
        connectionId,
        async () => {
          started.push(connectionId);
          await new Promise((resolve) => setTimeout(resolve, RUN_MS));
        },
        { dataset: entity },
      );
    },
    'sync.deleted': idle,
    'sync.list': idle,
    'order.submit': idle,
    'tokens.refresh-idle': idle,
  };
  const workers = startConsumers({ connection: redis, redisPrefix: prefix, handlers, log });
  const sync = workers.find((w) => w.name === 'sync');
  if (!sync) throw new Error('no sync consumer');
  const capacity = startLaneCapacity({ redis, prefix, worker: sync, everyMs: 100, log });
  return { redis, lane, workers, capacity };
}

/** The largest lead of one connection over another in runs started, over every prefix of the order. */
function largestLead(started: readonly string[], connections: readonly string[]): number {
  const counts = new Map(connections.map((c) => [c, 0]));
  let lead = 0;
  for (const key of started) {
    counts.set(key, (counts.get(key) ?? 0) + 1);
    const served = [...counts.values()];
    lead = Math.max(lead, Math.max(...served) - Math.min(...served));
  }
  return lead;
}

/** Runs `workers` processes over every connection's datasets, queued connection by connection; the start order. */
async function runAll(workers: number): Promise<{ started: string[]; connections: string[] }> {
  prefix = uniqueName('lane_fairness');
  queueRedis = workerRedis(testRedisUrl());
  queues = createQueues(queueRedis, prefix);
  const connections = Array.from({ length: CONNECTIONS }, () => randomUUID());
  await publishPlannedDatasets(queueRedis, prefix, CONNECTIONS * DATASETS.length);
  const started: string[] = [];
  const taken = new Promise<void>((resolve) => {
    allTaken = resolve;
  });
  processes = Array.from({ length: workers }, () => startProcess(started, taken));
  // Each process holds its part of every dataset once its capacity has grown to it.
  const held = heldJobs(CONNECTIONS * DATASETS.length, workers);
  await waitFor('the sync consumers to hold their part', async () =>
    processes.every((p) => p.workers.find((w) => w.name === 'sync')?.concurrency === held),
  );
  // All due at once, next to each other by connection, as a job scheduler leaves them in the queue.
  await queues.sync.addBulk(
    connections.flatMap((connectionId) =>
      DATASETS.map((entity) => ({
        name: 'sync.entity',
        data: { connectionId, entity },
        opts: { ...JOBS['sync.entity'].options },
      })),
    ),
  );
  // BullMQ takes jobs up to the concurrency before it starts any; 64 at a time (what a worker held before) would
  // never reach them all.
  await waitFor(
    'the workers to take every job',
    async () => (await queues?.sync.getActiveCount()) === CONNECTIONS * DATASETS.length,
  );
  allTaken();
  await waitFor('every run', async () => started.length === CONNECTIONS * DATASETS.length, 30_000);
  return { started, connections };
}

describe('the sync lane over a queue of many connections', () => {
  it('serves every connection once before it serves any twice, though the queue holds them one after another', async () => {
    const { started, connections } = await runAll(1);
    expect(new Set(started.slice(0, CONNECTIONS)).size).toBe(CONNECTIONS);
    expect(largestLead(started, connections)).toBeLessThanOrEqual(1);
  });

  it('stays fair across two worker processes, which share the turns in Redis', async () => {
    const { started, connections } = await runAll(2);
    // A process runs only the jobs it took: one that took none of a connection's jobs serves the next in line that
    // it has, so a connection may be one run further ahead than in a single process.
    expect(new Set(started.slice(0, CONNECTIONS)).size).toBeGreaterThanOrEqual(CONNECTIONS - 2);
    expect(largestLead(started, connections)).toBeLessThanOrEqual(2);
  });
});

describe('a planned poll', () => {
  it('has one job in the lane while its run waits or runs, and comes due again once the run is over', async () => {
    prefix = uniqueName('lane_parked');
    queueRedis = workerRedis(testRedisUrl());
    queues = createQueues(queueRedis, prefix);
    const queue = queues.sync;
    const redis = workerRedis(testRedisUrl());
    const connectionId = randomUUID();
    let inLane = 0;
    let mostInLane = 0;
    let runs = 0;
    const idle = async () => undefined;
    // As the sync handlers do: the scheduler's next poll parked from the moment a poll is taken to its run's end.
    const handlers: HandlerMap = {
      'sync.entity': async (_payload, context) => {
        const release = context.schedulerId ? await parkNextPoll(queue, context.schedulerId) : idle;
        inLane += 1;
        mostInLane = Math.max(mostInLane, inLane);
        try {
          await new Promise((resolve) => setTimeout(resolve, 400));
          runs += 1;
        } finally {
          inLane -= 1;
          await release();
        }
      },
      'sync.deleted': idle,
      'sync.list': idle,
      'order.submit': idle,
      'tokens.refresh-idle': idle,
    };
    const workers = startConsumers({ connection: redis, redisPrefix: prefix, handlers, log });
    processes.push({ redis, lane: new FairLane(1), workers, capacity: { stop: async () => undefined } });
    // Planned every 50 ms: without parking, the worker would take a job every 50 ms while the first one runs.
    await queue.upsertJobScheduler(
      syncDedupId(connectionId, 'items'),
      { every: 50 },
      schedulerTemplate('sync.entity', { connectionId, entity: 'items' }),
    );
    await waitFor('three runs', async () => runs >= 3, 10_000);
    expect(mostInLane).toBeLessThanOrEqual(2);
    await queue.removeJobScheduler(syncDedupId(connectionId, 'items'));
  });
});
