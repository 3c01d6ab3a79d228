import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type Collection,
  DIVISION,
  type ExactErrorBody,
  json,
  readAll,
  type Sim,
  startSim,
} from './helpers.ts';

// Exact as it really is for a sync client: fields that disappear, and a deletions log full of entity types the
// client does not keep.
interface Deleted {
  EntityKey: string;
  EntityType: number;
  DeletedDate: string;
  Timestamp: number;
}

let sim: Sim;
let token: string;
beforeEach(async () => {
  sim = await startSim({ items: 30, accounts: 10 });
  token = await sim.token();
});
afterEach(async () => {
  await sim.close();
});

const deletedPath = (filter = '') =>
  `${DIVISION}/sync/Deleted?$filter=Timestamp gt 1L${filter}&$select=EntityKey,EntityType,DeletedDate,Timestamp`;

describe('fields removed at runtime', () => {
  it("answers Exact's 400 to a $select naming a dropped field, counts it as an error, and serves the rest", async () => {
    const dropped = await sim.control('POST', '/_sim/schema/drop', {
      endpoint: 'sync/logistics/items',
      field: 'Barcode',
    });
    expect(dropped.body).toEqual({ endpoint: 'sync/Logistics/Items', dropped: ['Barcode'] });
    const refused = await sim.api(
      token,
      `${DIVISION}/sync/Logistics/Items?$filter=Timestamp gt 1L&$select=ID,Barcode`,
    );
    expect(refused.status).toBe(400);
    expect((await json<ExactErrorBody>(refused)).error.message.value).toBe(
      "Property 'Barcode' does not exist.",
    );
    const served = await sim.api(
      token,
      `${DIVISION}/sync/Logistics/Items?$filter=Timestamp gt 1L&$select=ID,Code`,
    );
    expect(served.status).toBe(200);

    // Nine more refusals reach the error limit: the endpoint is blocked as Exact blocks it.
    for (let i = 0; i < 9; i++) {
      await sim.api(token, `${DIVISION}/sync/Logistics/Items?$filter=Timestamp gt 1L&$select=Barcode`);
    }
    const blocked = await sim.api(
      token,
      `${DIVISION}/sync/Logistics/Items?$filter=Timestamp gt 1L&$select=ID`,
    );
    expect(blocked.status).toBe(403);

    await sim.control('POST', '/_sim/schema/restore', {});
    expect((await sim.control('GET', '/_sim/schema/dropped')).body).toEqual({});
  });

  it('refuses an unknown endpoint with a clear error', async () => {
    const res = await sim.control('POST', '/_sim/schema/drop', { endpoint: 'sync/Nope', field: 'X' });
    expect(res.status).toBe(400);
  });
});

describe('deletions of entity types the simulator does not store', () => {
  it('adds N at once to sync/Deleted, filtered out by EntityType like any other type', async () => {
    const added = await sim.control('POST', `/_sim/divisions/${DIVISION}/foreign-deletions`, { count: 25 });
    expect(added.status).toBe(200);
    await sim.control('POST', `/_sim/divisions/${DIVISION}/mutate`, { entity: 'accounts', delete: 2 });
    const { records } = await readAll<Deleted>(sim, token, deletedPath());
    // Deleting an account also deletes its addresses (3) and contacts (5).
    const foreign = records.filter((r) => ![2, 3, 5].includes(r.EntityType));
    expect(foreign).toHaveLength(25);
    expect(records.filter((r) => r.EntityType === 2)).toHaveLength(2);
    expect(new Set(foreign.map((r) => r.EntityType)).size).toBeGreaterThan(1);

    const accounts = await json<Collection<Deleted>>(
      await sim.api(token, deletedPath(' and EntityType eq 2')),
    );
    expect(accounts.d.results.map((r) => r.EntityType)).toEqual([2, 2]);
    const purchaseOrders = await sim.control('POST', `/_sim/divisions/${DIVISION}/foreign-deletions`, {
      count: 3,
      entityType: 22,
    });
    expect(purchaseOrders.status).toBe(200);
    const typed = await json<Collection<Deleted>>(await sim.api(token, deletedPath(' and EntityType eq 22')));
    expect(typed.d.results.length).toBeGreaterThanOrEqual(3);
  });

  it('accrues them at foreignDeletionsPerDay over the sim clock, dated across the time they stand for', async () => {
    await sim.control('PATCH', '/_sim/config', { foreignDeletionsPerDay: 2_400 });
    await sim.api(token, deletedPath());
    await sim.control('POST', '/_sim/clock/advance', { ms: 3_600_000 });
    const { records } = await readAll<Deleted>(sim, await sim.token(), deletedPath());
    expect(records).toHaveLength(100);
    const dates = records.map((r) => Number(/\d+/.exec(r.DeletedDate)?.[0]));
    expect(Math.max(...dates) - Math.min(...dates)).toBeGreaterThan(3_000_000);
  });
});
