import type { OwnRedis } from '@exact-sync/testkit';
import type { BenchStack } from './bench-stack.ts';
import { orderBody, type Storefront, settleOrders } from './orders.ts';
import type { OwnPostgres } from './own-postgres.ts';
import type { Supervisor } from './supervisor.ts';
import { compareWithSim, mismatchCount, noRunPending } from './sync-check.ts';

/** What disturbs a round besides the first worker kill. */
export type Disturbance = 'redis-flush' | 'postgres-restart' | 'second-kill';

export interface FaultRound {
  disturbance: Disturbance;
  kills: number;
  accepted: number;
  /** Orders the api never accepted, even after retrying the same reference. */
  notAccepted: number;
  /** Accepted orders not submitted by the end of the round, or submitted without a post in Exact. */
  unsettled: number;
  /** The unsettled orders as the api shows them, to see where they stopped. */
  unsettledOrders: string[];
  /** The round's accepted orders, checked again at the end of the run. */
  orderIds: string[];
  mismatches: number;
  settledMs: number;
  timedOut: boolean;
  /** Worker exits the supervisor restarted, and restarts after readiness kept failing, during the round. */
  crashes: number;
  unreadyRestarts: number;
  /** 429 answers during the round, the injected header-less ones included (the simulator's statistics hold both). */
  rateLimited: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const between = (min: number, max: number) => min + Math.random() * (max - min);
/** How long a round may take to settle before it is counted as it stands. */
export const ROUND_LIMIT_MS = 120_000;

/** A storefront that retries the same reference until the api answers 202 (new) or 200 (already there). */
async function placeRetrying(
  apiUrl: string,
  storefront: Storefront,
  reference: string,
): Promise<string | null> {
  for (let attempt = 0; attempt < 60; attempt++) {
    try {
      const res = await fetch(`${apiUrl}/v1/orders`, {
        method: 'POST',
        headers: { authorization: `Bearer ${storefront.key}`, 'content-type': 'application/json' },
        body: orderBody(storefront, reference),
        signal: AbortSignal.timeout(10_000),
      });
      const body = (await res.json()) as { id?: string };
      if ((res.status === 202 || res.status === 200) && body.id) return body.id;
      if (res.status < 500)
        throw new Error(`POST /v1/orders answered ${res.status}: ${JSON.stringify(body)}`);
    } catch (error) {
      if (error instanceof Error && error.message.startsWith('POST /v1/orders')) throw error;
      // the api is cut off from Postgres for a moment: retry, as a storefront would
    }
    await sleep(300);
  }
  return null;
}

/**
 * Waits (at most `timeoutMs`) for orders to be final, then answers those not submitted with exactly one post in
 * Exact (as the api shows them), and how many YourRefs Exact holds more than once.
 */
export async function checkOrders(
  bench: BenchStack,
  division: number,
  ids: ReadonlySet<string>,
  timeoutMs: number,
): Promise<{ lost: string[]; duplicates: number }> {
  const final = await settleOrders(bench.stack, ids, timeoutMs);
  const { postsByYourRef } = await bench.stack.simControl.orders(division);
  const posts = (ref: string) => postsByYourRef[`B2B-${ref}`] ?? 0;
  const lost = final.orders
    .filter((o) => o.status !== 'submitted' || posts(o.reference) === 0)
    .map(
      (o) =>
        `${o.reference} ${o.status}${o.statusReason ? ` (${o.statusReason})` : ''}, ${posts(o.reference)} posts`,
    );
  return { lost, duplicates: final.orders.filter((o) => posts(o.reference) > 1).length };
}

/**
 * One round: changes at the simulator, a full resync and an order burst all at once; the worker killed at a random
 * moment and the round's disturbance at another; then waits until the sync lane is quiet, Postgres equals the
 * simulator and every order is final, and counts what went wrong.
 */
export async function runFaultRound(input: {
  bench: BenchStack;
  connectionId: string;
  division: number;
  storefront: Storefront;
  round: number;
  orders: number;
  disturbance: Disturbance;
  postgres: OwnPostgres;
  redis: OwnRedis;
  supervisor: Supervisor;
}): Promise<FaultRound> {
  const { bench, connectionId, division, storefront } = input;
  const { stack, handle } = bench;
  const sim = stack.simControl;
  const started = Date.now();
  const rateLimitedBefore = (await sim.stats(division)).rateLimited;
  const { crashes, unreadyRestarts } = input.supervisor;

  // Items the orders use are never deleted: their orders would be rejected, and rightly so.
  const items = await sim.dataset(division, 'items');
  const deletable = items.filter((i) => !storefront.skus.includes(String(i.Code)));
  const deleteIds = [0, 1].map(() => deletable[Math.floor(Math.random() * deletable.length)]?.ID ?? '');
  await sim.mutate(division, {
    entity: 'items',
    update: 20,
    create: 2,
    deleteIds: deleteIds.filter(Boolean),
  });
  await sim.mutate(division, { entity: 'stock', update: 20 });
  await sim.mutate(division, { entity: 'prices', update: 10 });
  await sim.mutate(division, { entity: 'accounts', update: 5 });
  const full = await stack.call('POST', `/v1/connections/${connectionId}/sync`, { body: { full: true } });
  if (full.status !== 202) throw new Error(`full resync request answered ${full.status}`);

  let kills = 0;
  const refs = Array.from({ length: input.orders }, (_, i) => `F${input.round}-${i}`);
  // Orders trickle in over the first seconds, so kills and the disturbance find some of them in flight.
  const placing = Promise.all(
    refs.map(async (ref, i) => {
      await sleep(i * 200);
      return placeRetrying(stack.apiUrl, storefront, ref);
    }),
  );
  const disturbing = (async () => {
    await sleep(between(100, 1200));
    await input.supervisor.kill();
    kills += 1;
    await sleep(between(100, 1200));
    if (input.disturbance === 'redis-flush') await input.redis.flush();
    if (input.disturbance === 'postgres-restart') {
      await input.postgres.restart();
    }
    if (input.disturbance === 'second-kill') {
      await input.supervisor.kill();
      kills += 1;
    }
  })();
  const [ids] = await Promise.all([placing, disturbing]);
  const accepted = new Set(ids.filter((id): id is string => id !== null));

  const deadline = started + ROUND_LIMIT_MS;
  let mismatches = -1;
  let timedOut = true;
  while (Date.now() < deadline) {
    const settled = await settleOrders(stack, accepted, 0).catch(() => undefined);
    const ordersFinal =
      settled !== undefined &&
      (settled.states.submitted ?? 0) + (settled.states.rejected ?? 0) === accepted.size;
    if (ordersFinal && (await noRunPending(handle, connectionId).catch(() => false))) {
      mismatches = mismatchCount(await compareWithSim(handle, sim, connectionId, division));
      if (mismatches === 0) {
        timedOut = false;
        break;
      }
    }
    await sleep(1000);
  }
  const settledMs = Date.now() - started;
  if (timedOut) mismatches = mismatchCount(await compareWithSim(handle, sim, connectionId, division));

  const check = await checkOrders(bench, division, accepted, 0);
  return {
    disturbance: input.disturbance,
    kills,
    accepted: accepted.size,
    notAccepted: ids.length - accepted.size,
    unsettled: check.lost.length,
    unsettledOrders: check.lost,
    orderIds: [...accepted],
    mismatches,
    settledMs,
    timedOut,
    rateLimited: (await sim.stats(division)).rateLimited - rateLimitedBefore,
    crashes: input.supervisor.crashes - crashes,
    unreadyRestarts: input.supervisor.unreadyRestarts - unreadyRestarts,
  };
}
