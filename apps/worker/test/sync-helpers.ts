import { ENTITY_NAMES, type EntityName } from '@exact-sync/core';
import { connections, type DatabaseHandle, SYNC_TABLES } from '@exact-sync/db';
import {
  BudgetExhaustedError,
  createExactClient,
  createGovernor,
  createUndiciTransport,
  type ExactClient,
  type Governor,
  systemClock,
} from '@exact-sync/exact';
import type { SimControl } from '@exact-sync/testkit';
import { and, eq, isNull } from 'drizzle-orm';
import type { Redis } from 'ioredis';
import { pino } from 'pino';
import type { DeletionRunDeps } from '../src/sync/sync-run-deps.ts';

/**
 * What sync runs need in a test: real time unless a clock is given, Exact's hour between retries of a refused
 * dataset, its 55-day retention and a day's strategy window unless the test shortens them.
 */
export function runDeps(handle: DatabaseHandle, overrides: Partial<DeletionRunDeps> = {}): DeletionRunDeps {
  return {
    db: handle.db,
    log: pino({ level: 'silent' }),
    clock: systemClock,
    errorRetryMs: 3_600_000,
    retentionMs: 55 * 86_400_000,
    strategyWindowMs: 86_400_000,
    ...overrides,
  };
}

/** An active connection row pointing at the simulator's division. */
export async function insertConnection(
  handle: DatabaseHandle,
  simUrl: string,
  division: number,
): Promise<string> {
  const [row] = await handle.db
    .insert(connections)
    .values({ name: 'Sim shop', exactBaseUrl: simUrl, division, status: 'active' })
    .returning({ id: connections.id });
  if (!row) throw new Error('no connection');
  return row.id;
}

export function testGovernor(redis: Redis, prefix: string): Governor {
  return createGovernor(
    { redis, clock: systemClock, keyPrefix: prefix },
    { syncReservePerMinute: 10, syncReservePerDay: 300 },
  );
}

/** A client with a token straight from the simulator (no refresh needed within a test). */
export async function simClient(
  sim: SimControl,
  simUrl: string,
  division: number,
  governor: Governor,
): Promise<ExactClient> {
  const { access_token } = await sim.token(division);
  return createExactClient(
    {
      governor,
      clock: systemClock,
      transport: createUndiciTransport(),
      tokens: { accessToken: async () => access_token, refreshAfterUnauthorized: async () => access_token },
    },
    { baseUrl: simUrl, division },
  );
}

/** `ID → Timestamp` of the live rows of an entity, for comparing with the simulator's dataset. */
async function localVersions(handle: DatabaseHandle, connectionId: string, entity: EntityName) {
  const table = SYNC_TABLES[entity];
  const rows = await handle.db
    .select({ id: table.exactId, ts: table.timestamp })
    .from(table)
    .where(and(eq(table.connectionId, connectionId), isNull(table.deletedAt)));
  return new Map(rows.map((r) => [r.id, Number(r.ts)]));
}

async function simVersions(sim: SimControl, division: number, entity: EntityName) {
  const records = await sim.dataset(division, entity);
  return new Map(records.map((r) => [r.ID.toLowerCase(), r.Timestamp]));
}

/** Every entity's live rows equal the simulator's dataset, version for version. */
export async function expectEquality(
  handle: DatabaseHandle,
  sim: SimControl,
  connectionId: string,
  division: number,
): Promise<Record<EntityName, { local: Map<string, number>; remote: Map<string, number> }>> {
  const out = {} as Record<EntityName, { local: Map<string, number>; remote: Map<string, number> }>;
  for (const entity of ENTITY_NAMES) {
    out[entity] = {
      local: await localVersions(handle, connectionId, entity),
      remote: await simVersions(sim, division, entity),
    };
  }
  return out;
}

/** Runs `fn` again after each budget wait, as the queue does by delaying the job until the governor's time. */
export async function withBudgetWaits<T>(fn: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      return await fn();
    } catch (error) {
      if (!(error instanceof BudgetExhaustedError)) throw error;
      await new Promise((r) => setTimeout(r, Math.max(0, error.until - Date.now())));
    }
  }
}
