import { ENTITY_NAMES, type EntityName, LIST_NAMES, WEBHOOK_TOPICS } from '@exact-sync/core';
import { type DatabaseHandle, SYNC_TABLES, syncState, webhookSubscriptions } from '@exact-sync/db';
import type { SimControl } from '@exact-sync/testkit';
import { and, eq, isNull } from 'drizzle-orm';

/** Whether every entity of a connection finished its initial (full) sync. */
export async function initialSyncDone(handle: DatabaseHandle, connectionId: string): Promise<boolean> {
  const states = await handle.db
    .select({ entity: syncState.entity, phase: syncState.phase })
    .from(syncState)
    .where(eq(syncState.connectionId, connectionId));
  return ENTITY_NAMES.every((e) => states.some((s) => s.entity === e && s.phase === 'incremental'));
}

/**
 * Whether a connection's one-off start is over: besides the initial sync, every daily list read once and the
 * division subscribed to every webhook topic (the maintenance subscribes a topic a round, on the sync budget).
 */
export async function startupDone(handle: DatabaseHandle, connectionId: string): Promise<boolean> {
  if (!(await initialSyncDone(handle, connectionId))) return false;
  const states = await handle.db
    .select({ entity: syncState.entity, phase: syncState.phase, nextUrl: syncState.nextUrl })
    .from(syncState)
    .where(eq(syncState.connectionId, connectionId));
  const read = (list: string) =>
    states.some((s) => s.entity === list && s.phase === 'incremental' && !s.nextUrl);
  if (!LIST_NAMES.every(read)) return false;
  const topics = await handle.db
    .select({ topic: webhookSubscriptions.topic })
    .from(webhookSubscriptions)
    .where(eq(webhookSubscriptions.connectionId, connectionId));
  return WEBHOOK_TOPICS.every((t) => topics.some((s) => s.topic === t));
}

/** Whether no run of the connection is half-way (no pending `__next` and no requested full resync). */
export async function noRunPending(handle: DatabaseHandle, connectionId: string): Promise<boolean> {
  const states = await handle.db.select().from(syncState).where(eq(syncState.connectionId, connectionId));
  return states.every((s) => s.nextUrl === null && s.fullResyncRequested === 0);
}

async function localVersions(handle: DatabaseHandle, connectionId: string, entity: EntityName) {
  const table = SYNC_TABLES[entity];
  const rows = await handle.db
    .select({ id: table.exactId, ts: table.timestamp })
    .from(table)
    .where(and(eq(table.connectionId, connectionId), isNull(table.deletedAt)));
  return new Map(rows.map((r) => [r.id, Number(r.ts)]));
}

export interface EntityDiff {
  entity: EntityName;
  remote: number;
  local: number;
  /** Records missing locally, stale (older Timestamp), or live locally but gone from Exact. */
  mismatches: number;
}

/** Compares every live row of a connection with the simulator's dataset, ID and Timestamp. */
export async function compareWithSim(
  handle: DatabaseHandle,
  sim: SimControl,
  connectionId: string,
  division: number,
): Promise<EntityDiff[]> {
  const out: EntityDiff[] = [];
  for (const entity of ENTITY_NAMES) {
    const local = await localVersions(handle, connectionId, entity);
    const remote = await sim.dataset(division, entity);
    let mismatches = 0;
    for (const record of remote) {
      if (local.get(record.ID.toLowerCase()) !== record.Timestamp) mismatches += 1;
    }
    const remoteIds = new Set(remote.map((r) => r.ID.toLowerCase()));
    for (const id of local.keys()) if (!remoteIds.has(id)) mismatches += 1;
    out.push({ entity, remote: remote.length, local: local.size, mismatches });
  }
  return out;
}

/** Total mismatches of a comparison. */
export const mismatchCount = (diffs: EntityDiff[]): number => diffs.reduce((s, d) => s + d.mismatches, 0);
