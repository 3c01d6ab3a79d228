import { ENTITY_NAMES, type EntityName, EXACT_ENTITIES } from '@exact-sync/core';
import type { SimCallStat, SimControl } from '@exact-sync/testkit';

/** The sync endpoint of each entity as the simulator names it in its call statistics. */
export const SYNC_ENDPOINTS = {
  ...(Object.fromEntries(ENTITY_NAMES.map((e) => [e, `sync/${EXACT_ENTITIES[e].syncPath}`])) as Record<
    EntityName,
    string
  >),
  deleted: 'sync/Deleted',
};

/** Calls the simulator counted per endpoint (all statuses but 429) for one division, plus its 429s. */
export interface CallCounts {
  byEndpoint: Map<string, number>;
  /** Every call with a division URL, 429s excluded (Exact does not count them). */
  total: number;
  rateLimited: number;
  /** Calls to `sync/…` endpoints. */
  sync: number;
  /** Order POSTs and lookups (`salesorder/…`). */
  orders: number;
}

function countCalls(calls: readonly SimCallStat[], division: number): CallCounts {
  const byEndpoint = new Map<string, number>();
  let total = 0;
  let rateLimited = 0;
  let sync = 0;
  let orders = 0;
  for (const c of calls) {
    if (c.division !== division) continue;
    if (c.status === 429) {
      rateLimited += c.count;
      continue;
    }
    byEndpoint.set(c.endpoint, (byEndpoint.get(c.endpoint) ?? 0) + c.count);
    total += c.count;
    if (c.endpoint.toLowerCase().startsWith('sync/')) sync += c.count;
    if (c.endpoint.toLowerCase().startsWith('salesorder/')) orders += c.count;
  }
  return { byEndpoint, total, rateLimited, sync, orders };
}

/** The division's counts now. */
export async function divisionCalls(sim: SimControl, division: number): Promise<CallCounts> {
  return countCalls((await sim.stats(division)).calls, division);
}

/** `after − before` per endpoint and in total. */
export function callsBetween(before: CallCounts, after: CallCounts): CallCounts {
  const byEndpoint = new Map<string, number>();
  for (const [endpoint, n] of after.byEndpoint) {
    const d = n - (before.byEndpoint.get(endpoint) ?? 0);
    if (d !== 0) byEndpoint.set(endpoint, d);
  }
  return {
    byEndpoint,
    total: after.total - before.total,
    rateLimited: after.rateLimited - before.rateLimited,
    sync: after.sync - before.sync,
    orders: after.orders - before.orders,
  };
}
