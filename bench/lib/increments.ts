import { ENTITY_NAMES, type EntityName, EXACT_ENTITIES } from '@exact-sync/core';
import type { DatabaseHandle } from '@exact-sync/db';
import type { SimControl } from '@exact-sync/testkit';
import { type CallCounts, callsBetween, divisionCalls } from './call-stats.ts';
import { noRunPending } from './sync-check.ts';

/** Records changed per entity in one burst. */
export type Burst = Record<EntityName, { update: number; create: number; delete: number }>;

export interface BurstResult {
  calls: CallCounts;
  /** The fewest calls that can carry the burst: one page per started 1,000 changes per entity, one `sync/Deleted`. */
  minimum: number;
  /** Milliseconds from the burst until the sync lane was quiet again. */
  settledMs: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
// Webhook-triggered runs start after the api's debounce (WEBHOOK_DEBOUNCE_MS, 3 s by default); a paced run takes a
// call every window/share. Quiet for this long, with no run half-way, means the burst is in.
const QUIET_MS = 6000;
const MAX_SETTLE_MS = 60_000;

/** `changed × fraction`, at least one when the fraction is not zero. */
const ORDER_LIFE = new Set<EntityName>([
  'orderHeaders',
  'orderLines',
  'deliveries',
  'deliveryLines',
  'invoices',
]);

export function burstOf(sizes: Record<EntityName, number>, fraction: number): Burst {
  const n = (size: number, share: number) => Math.max(1, Math.round(size * fraction * share));
  const out = {} as Burst;
  for (const entity of ENTITY_NAMES) {
    const size = sizes[entity];
    // Items: mostly changes, a few new and discontinued ones (deleting an item deletes its stock and prices). A sales
    // order's records change only as orders are placed, delivered and invoiced (the day plan counts those). A burst
    // is picked up through Exact's webhooks: an entity Exact announces no change of (addresses) is left to the
    // planned polling, which the day plan counts too.
    out[entity] =
      ORDER_LIFE.has(entity) || EXACT_ENTITIES[entity].webhookTopic === null
        ? { update: 0, create: 0, delete: 0 }
        : entity === 'items'
          ? { update: n(size, 0.8), create: n(size, 0.1), delete: n(size, 0.1) }
          : { update: n(size, 1), create: 0, delete: 0 };
  }
  return out;
}

/**
 * Applies one burst of changes at the simulator (which sends Exact's webhooks to the api) and waits until the sync
 * lane is quiet again; answers the calls it took against the minimum.
 */
export async function runBurst(input: {
  sim: SimControl;
  handle: DatabaseHandle;
  connectionId: string;
  division: number;
  burst: Burst;
}): Promise<BurstResult> {
  const { sim, division } = input;
  const before = await divisionCalls(sim, division);
  const startedAt = Date.now();
  let minimum = 0;
  let deletions = 0;
  for (const entity of ENTITY_NAMES) {
    const b = input.burst[entity];
    if (b.update + b.create + b.delete === 0) continue;
    const result = await sim.mutate(division, { entity, ...b });
    const changed = result.created.length + result.updated.length;
    minimum += Math.ceil(changed / 1000);
    deletions += result.deleted.length;
  }
  if (deletions > 0) minimum += 1;

  let last = before.sync;
  let quietSince = Date.now();
  for (;;) {
    await sleep(250);
    const now = await divisionCalls(sim, division);
    if (now.sync !== last) {
      last = now.sync;
      quietSince = Date.now();
    }
    const quiet = Date.now() - quietSince >= QUIET_MS;
    if (
      (quiet && (await noRunPending(input.handle, input.connectionId))) ||
      Date.now() - startedAt > MAX_SETTLE_MS
    )
      break;
  }
  const after = await divisionCalls(sim, division);
  return { calls: callsBetween(before, after), minimum, settledMs: quietSince - startedAt };
}
