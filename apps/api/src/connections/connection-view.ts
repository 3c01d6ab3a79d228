import { type CHANNELS, ENTITY_NAMES, LIST_NAMES, ORDER_STATUSES } from '@exact-sync/core';
import {
  type CallbackCounts,
  type ConnectionRow,
  callbackCounts,
  countOrdersByStatus,
  countParkedDeletions,
  type Database,
  findConnection,
  listDeletionPlans,
  listSyncStates,
} from '@exact-sync/db';
import { budgetKeyFor, type Governor, type WindowSnapshot } from '@exact-sync/exact';
import type { ConnectionView, StatusView } from './connection.schemas.ts';
import { deletionsView, entitiesView, listsView } from './sync-status.ts';

const REFRESH_TOKEN_LIFE_MS = 30 * 86_400_000;
const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/** A connection as operators see it: never its tokens. */
export function toConnectionView(row: ConnectionRow): ConnectionView {
  return {
    id: row.id,
    name: row.name,
    division: row.division,
    exactBaseUrl: row.exactBaseUrl,
    status: row.status,
    paused: row.paused,
    needsReauth: row.status === 'needs_reauth',
    statusReason: row.statusReason,
    channels: row.channels,
    entitySettings: row.entitySettings,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

function windowView(w: WindowSnapshot) {
  return {
    limit: w.limit,
    syncShare: w.syncShare,
    used: { sync: w.used.sync, order: w.used.order },
    remaining: w.remaining,
    resetAt: new Date(w.resetAt).toISOString(),
  };
}

/** Budget of the connection's division, or null when it has none yet or Redis cannot be read. */
async function budgetOf(governor: Governor, row: ConnectionRow): Promise<StatusView['budget']> {
  if (row.division === null) return null;
  try {
    const snapshot = await governor.snapshot(budgetKeyFor(row.exactBaseUrl, row.division));
    return { minute: windowView(snapshot.minute), day: windowView(snapshot.day) };
  } catch {
    return null;
  }
}

/** Everything `GET /v1/connections/:id/status` shows: sync progress, budget, orders by state, token ages. */
export async function connectionStatus(
  deps: {
    db: Database;
    governor: Governor;
    now: number;
    /** The polling interval the worker's planner set for a dataset (ms), when it can be read. */
    plannedInterval?: (connectionId: string, entity: string) => Promise<number | undefined>;
  },
  id: string,
): Promise<StatusView | undefined> {
  const row = await findConnection(deps.db, id);
  if (!row) return undefined;
  const plannedOf = async (entity: string) => {
    try {
      return (await deps.plannedInterval?.(id, entity)) ?? null;
    } catch {
      return null;
    }
  };
  const datasets = [...ENTITY_NAMES, 'deleted', ...LIST_NAMES];
  const [states, orderCounts, budget, planned, plans, parked, callbacks] = await Promise.all([
    listSyncStates(deps.db, id),
    countOrdersByStatus(deps.db, { connectionId: id }),
    budgetOf(deps.governor, row),
    Promise.all(datasets.map(plannedOf)),
    listDeletionPlans(deps.db, { connectionId: id }),
    countParkedDeletions(deps.db, { connectionId: id }),
    callbackCounts(deps.db, { now: new Date(deps.now), connectionId: id }),
  ]);
  const facts = {
    now: deps.now,
    states,
    settings: row.entitySettings,
    plan: plans[0],
    parked,
    intervals: Object.fromEntries(datasets.map((d, i) => [d, planned[i] ?? null])),
  };
  const byStatus = Object.fromEntries(ORDER_STATUSES.map((s) => [s, 0])) as StatusView['orders'];
  for (const { status, n } of orderCounts) byStatus[status] = n;
  const refreshIssued = row.refreshTokenIssuedAt;
  return {
    ...toConnectionView(row),
    tokens: row.tokenIssuedAt
      ? {
          issuedAt: iso(row.tokenIssuedAt),
          refreshTokenExpiresAt: refreshIssued
            ? new Date(refreshIssued.getTime() + REFRESH_TOKEN_LIFE_MS).toISOString()
            : null,
        }
      : null,
    entities: entitiesView(facts),
    deletions: deletionsView(facts),
    lists: listsView(facts),
    budget,
    orders: byStatus,
    callbacks: callbacksView(callbacks),
  };
}

/** Each channel's callbacks; a channel with none pending or given up shows zeros. */
function callbacksView(counts: CallbackCounts[]): StatusView['callbacks'] {
  const view = (channel: (typeof CHANNELS)[number]) => {
    const c = counts.find((row) => row.channel === channel);
    return {
      pending: c?.pending ?? 0,
      failing: c?.failing ?? 0,
      held: c?.held ?? 0,
      overdue: c?.overdue ?? 0,
      givenUp: c?.givenUp ?? 0,
      lastError: c?.lastError ?? null,
      lastErrorAt: iso(c?.lastErrorAt),
    };
  };
  return { b2b: view('b2b'), b2c: view('b2c') };
}
