import { ENTITY_NAMES, schedulerTemplate } from '@exact-sync/core';
import { connections, pendingDeletions, syncState } from '@exact-sync/db';
import {
  createTestDatabase,
  deleteRedisKeys,
  type TestDatabase,
  testRedisUrl,
  uniqueName,
} from '@exact-sync/testkit';
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, seedConnection, testConfig } from './helpers.ts';
import { ADMIN } from './onboarding.ts';

// The operator's side of the sync lane: freshness targets per entity, and what the status says about targets,
// refused entities, dropped fields, parked deletions and the deletions strategy.
let testDb: TestDatabase;
let api: FastifyInstance;
const prefix = uniqueName('sync_settings');

const patch = (id: string, payload: Record<string, unknown>) =>
  api.inject({ method: 'PATCH', url: `/v1/connections/${id}`, headers: ADMIN, payload });
const status = async (id: string) =>
  (await api.inject({ method: 'GET', url: `/v1/connections/${id}/status`, headers: ADMIN })).json();

beforeAll(async () => {
  testDb = await createTestDatabase('api_sync_settings');
  api = await buildApp(
    testConfig({ DATABASE_URL: testDb.url, REDIS_URL: testRedisUrl(), REDIS_PREFIX: prefix }),
  );
});

afterAll(async () => {
  await api?.close();
  await deleteRedisKeys(`{${prefix}}`);
  await testDb?.drop();
});

describe('per-entity freshness targets', () => {
  it('are set per entity, merged with the others, and go back to the default with null', async () => {
    const { connectionId } = await seedConnection(api);
    const first = await patch(connectionId, { entities: { stock: { targetLagSeconds: 120 } } });
    expect(first.statusCode).toBe(200);
    expect(first.json().entitySettings).toEqual({ stock: { targetLagSeconds: 120 } });
    const second = await patch(connectionId, { entities: { items: { targetLagSeconds: 600 } } });
    expect(second.json().entitySettings).toEqual({
      stock: { targetLagSeconds: 120 },
      items: { targetLagSeconds: 600 },
    });
    const reset = await patch(connectionId, { entities: { stock: { targetLagSeconds: null } } });
    expect(reset.json().entitySettings).toEqual({ stock: {}, items: { targetLagSeconds: 600 } });
    const entities = (await status(connectionId)).entities;
    expect(entities.stock.targetLagSeconds).toBe(300);
    expect(entities.items.targetLagSeconds).toBe(600);
    expect(entities.prices.targetLagSeconds).toBe(1800);
  });

  it('refuse what is not a target, naming the field', async () => {
    const { connectionId } = await seedConnection(api);
    for (const [payload, field] of [
      [{ entities: { stock: { targetLagSeconds: 0 } } }, 'body.entities.stock.targetLagSeconds'],
      [{ entities: { stock: { targetLagSeconds: 1.5 } } }, 'body.entities.stock.targetLagSeconds'],
      [{ entities: { orders: { targetLagSeconds: 60 } } }, 'body.entities'],
      [{ entities: { stock: { enabled: 'no' } } }, 'body.entities.stock.enabled'],
      [{ entities: { stock: { paused: true } } }, 'body.entities.stock'],
    ] as const) {
      const res = await patch(connectionId, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json().error.details[0].field).toBe(field);
    }
  });

  it('are compared with the interval the planner set: the status says whether each is met', async () => {
    const { connectionId } = await seedConnection(api);
    await patch(connectionId, { entities: { stock: { targetLagSeconds: 120 } } });
    const template = (entity: 'stock' | 'items') =>
      schedulerTemplate('sync.entity', { connectionId, entity });
    await api.queues.sync.upsertJobScheduler(
      `sync:${connectionId}:stock`,
      { every: 200_000 },
      template('stock'),
    );
    await api.queues.sync.upsertJobScheduler(
      `sync:${connectionId}:items`,
      { every: 900_000 },
      template('items'),
    );
    const { entities } = await status(connectionId);
    expect([entities.stock.plannedIntervalSeconds, entities.stock.meetsTarget]).toEqual([200, false]);
    expect([entities.items.plannedIntervalSeconds, entities.items.meetsTarget]).toEqual([900, true]);
    expect(entities.prices.meetsTarget).toBeNull();
    await api.queues.sync.removeJobScheduler(`sync:${connectionId}:stock`);
    await api.queues.sync.removeJobScheduler(`sync:${connectionId}:items`);
  });
});

describe('switching entities on and off', () => {
  it('syncs the order life and CRM datasets by default, and each can be switched off and on again', async () => {
    const { connectionId } = await seedConnection(api);
    const before = (await status(connectionId)).entities;
    for (const name of ENTITY_NAMES) expect(before[name].enabled, name).toBe(true);
    expect(before.orderHeaders.targetLagSeconds).toBe(600);
    expect(before.addresses.targetLagSeconds).toBe(3600);

    const off = await patch(connectionId, {
      entities: { contacts: { enabled: false, targetLagSeconds: 7200 } },
    });
    expect(off.statusCode).toBe(200);
    expect(off.json().entitySettings).toEqual({ contacts: { enabled: false, targetLagSeconds: 7200 } });
    const after = (await status(connectionId)).entities;
    expect([after.contacts.enabled, after.contacts.targetLagSeconds]).toEqual([false, 7200]);

    // A sync of everything leaves it out; naming it is refused.
    await api.queues.sync.obliterate({ force: true });
    const all = await api.inject({
      method: 'POST',
      url: `/v1/connections/${connectionId}/sync`,
      headers: ADMIN,
    });
    expect(all.json().enqueued).not.toContain('contacts');
    expect(all.json().enqueued).toContain('addresses');
    const named = await api.inject({
      method: 'POST',
      url: `/v1/connections/${connectionId}/sync`,
      headers: ADMIN,
      payload: { entities: ['contacts'] },
    });
    expect([named.statusCode, named.json().error.code]).toEqual([409, 'entity_disabled']);

    // Back on: its dataset is re-read in full (deletions made meanwhile were not followed) and a run is queued.
    await api.queues.sync.obliterate({ force: true });
    const on = await patch(connectionId, { entities: { contacts: { enabled: null } } });
    expect(on.json().entitySettings).toEqual({ contacts: { targetLagSeconds: 7200 } });
    const [state] = await api.database.db
      .select()
      .from(syncState)
      .where(eq(syncState.connectionId, connectionId));
    expect([state?.entity, state?.fullResyncRequested]).toEqual(['contacts', 1]);
    const jobs = await api.queues.sync.getJobs(['waiting', 'delayed', 'prioritized']);
    expect(jobs.filter((j) => j.data.connectionId === connectionId).map((j) => j.data.entity)).toEqual([
      'contacts',
    ]);
  });
});

describe('the status of the sync lane', () => {
  it('shows an entity in error, its dropped fields and parked deletions, and the deletions strategy', async () => {
    const { connectionId } = await seedConnection(api);
    const { db } = api.database;
    const retryAt = new Date(Date.now() + 3_600_000);
    await db.insert(syncState).values([
      {
        connectionId,
        entity: 'prices',
        phase: 'incremental',
        errorSince: new Date(),
        retryAt,
        lastError: "Property 'Item' does not exist.",
      },
      { connectionId, entity: 'accounts', phase: 'incremental', droppedFields: ['Email'] },
    ]);
    await db.insert(pendingDeletions).values({
      connectionId,
      entity: 'prices',
      exactId: crypto.randomUUID(),
      timestamp: 5n,
      deletedAt: new Date(),
    });
    const body = await status(connectionId);
    expect(body.entities.prices).toMatchObject({
      phase: 'error',
      lastError: "Property 'Item' does not exist.",
      retryAt: retryAt.toISOString(),
      parkedDeletions: 1,
    });
    expect(body.entities.accounts).toMatchObject({ phase: 'incremental', droppedFields: ['Email'] });
    expect(body.deletions).toMatchObject({ strategy: 'all', cost: null });
    expect(body.deletions.chains.deleted.active).toBe(true);
    expect(body.deletions.chains.deleted_items.active).toBe(false);
  });

  it('asks for the deletions too when the operator syncs everything, and when a connection resumes', async () => {
    const { connectionId } = await seedConnection(api);
    const sync = await api.inject({
      method: 'POST',
      url: `/v1/connections/${connectionId}/sync`,
      headers: ADMIN,
      payload: {},
    });
    expect(sync.json().enqueued).toEqual([...ENTITY_NAMES, 'deleted']);
    await api.queues.sync.obliterate({ force: true });
    await api.database.db.update(connections).set({ paused: true }).where(eq(connections.id, connectionId));
    await patch(connectionId, { paused: false });
    const jobs = await api.queues.sync.getJobs(['waiting', 'delayed', 'prioritized']);
    expect(jobs.filter((j) => j.data.connectionId === connectionId).map((j) => j.name)).toContain(
      'sync.deleted',
    );
  });
});
