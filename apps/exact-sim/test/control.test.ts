import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SimClient, SimConfig } from '../src/index.ts';
import { DIVISION, type Sim, startSim } from './helpers.ts';

interface Item {
  ID: string;
  Code: string;
  Description: string;
  Timestamp: number;
}

interface Changes {
  created: string[];
  updated: string[];
  deleted: string[];
}

let sim: Sim;
beforeEach(async () => {
  sim = await startSim();
});
afterEach(async () => {
  await sim.close();
});

const mutate = (body: unknown) => sim.control<Changes>('POST', `/_sim/divisions/${DIVISION}/mutate`, body);

describe('config, reset and clock', () => {
  it('reads and patches the config live, refusing bad values', async () => {
    const config = await sim.control<SimConfig>('GET', '/_sim/config');
    const client: SimClient = {
      clientId: 'exact-sim-client',
      clientSecret: 'exact-sim-secret',
      webhookSecret: 'exact-sim-webhook-secret',
    };
    expect(config.body).toMatchObject({ minuteLimit: 60, divisions: [100001, 100002], clients: [client] });
    const patched = await sim.control<{ minuteLimit: number }>('PATCH', '/_sim/config', { minuteLimit: 7 });
    expect(patched.body.minuteLimit).toBe(7);
    const bad = await sim.control('PATCH', '/_sim/config', { minuteLimit: -1, bogus: true });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/minuteLimit/);
  });

  it('moves the clock forward only', async () => {
    const before = (await sim.control<{ now: number }>('GET', '/_sim/clock')).body.now;
    const after = (await sim.control<{ now: number }>('POST', '/_sim/clock/advance', { ms: 86_400_000 })).body
      .now;
    expect(after - before).toBeGreaterThanOrEqual(86_400_000);
    expect((await sim.control('POST', '/_sim/clock/advance', { ms: -5 })).status).toBe(400);
  });

  it('resets dataset, tokens, stats, orders and clock, optionally with new config', async () => {
    const token = await sim.token();
    await sim.api(token, `${DIVISION}/system/Divisions`);
    await sim.control('POST', '/_sim/clock/advance', { ms: 1_000_000 });
    const reset = await sim.control<{ items: number; divisions: number[] }>('POST', '/_sim/reset', {
      items: 5,
      divisions: [42],
    });
    expect(reset.body).toMatchObject({ items: 5, divisions: [42] });
    expect(await sim.entities('items', 42)).toHaveLength(5);
    expect((await sim.control('GET', `/_sim/divisions/${DIVISION}/entities/items`)).status).toBe(404);
    const stats = await sim.control<{ total: number }>('GET', '/_sim/stats');
    expect(stats.body.total).toBe(0);
    expect((await sim.api(token, '42/system/Divisions')).status).toBe(401);
    const now = (await sim.control<{ now: number }>('GET', '/_sim/clock')).body.now;
    expect(now - Date.now()).toBeLessThan(100_000);
  });
});

describe('dataset', () => {
  it('is deterministic for a seed and differs between seeds and divisions', async () => {
    const first = await sim.entities<Item>('items');
    await sim.control('POST', '/_sim/reset', {});
    expect(await sim.entities<Item>('items')).toEqual(first);
    expect((await sim.entities<Item>('items', 100002))[0]?.ID).not.toBe(first[0]?.ID);
    await sim.control('POST', '/_sim/reset', { seed: 2 });
    expect((await sim.entities<Item>('items'))[0]?.ID).not.toBe(first[0]?.ID);
  });

  it('serves every entity with API field names and padded account codes', async () => {
    const accounts = await sim.entities<{ Code: string }>('accounts');
    expect(accounts).toHaveLength(15);
    expect(accounts.every((a) => a.Code.length === 18)).toBe(true);
    expect((await sim.entities('stock')).length).toBeGreaterThan(0);
    expect((await sim.entities('prices')).length).toBeGreaterThan(0);
    expect((await sim.control('GET', `/_sim/divisions/${DIVISION}/entities/nope`)).status).toBe(404);
  });

  it('generates 100,000 items per division', async () => {
    await sim.control('POST', '/_sim/reset', { items: 100_000, accounts: 100, divisions: [7] });
    expect(await sim.entities('items', 7)).toHaveLength(100_000);
  }, 90_000);
});

describe('mutations', () => {
  it('creates, updates and deletes at random, giving new Timestamps', async () => {
    const before = await sim.entities<Item>('items');
    const { body } = await mutate({ entity: 'items', create: 3, update: 2, delete: 1 });
    expect(body.created).toHaveLength(3);
    expect(body.updated).toHaveLength(2);
    expect(body.deleted).toHaveLength(1);
    const after = await sim.entities<Item>('items');
    expect(after).toHaveLength(before.length + 2);
    const highest = Math.max(...before.map((i) => i.Timestamp));
    for (const id of [...body.created, ...body.updated]) {
      expect(after.find((i) => i.ID === id)?.Timestamp).toBeGreaterThan(highest);
    }
    expect(after.some((i) => i.ID === body.deleted[0])).toBe(false);
  });

  it('upserts exact records and deletes by ID', async () => {
    const [item] = await sim.entities<Item>('items');
    const { body } = await mutate({
      entity: 'items',
      records: [
        { ID: item?.ID, Description: 'Renamed' },
        { Code: 'NEW-1', Description: 'Brand new' },
      ],
    });
    expect(body.updated).toEqual([item?.ID]);
    expect(body.created).toHaveLength(1);
    const items = await sim.entities<Item>('items');
    expect(items.find((i) => i.ID === item?.ID)?.Description).toBe('Renamed');
    expect(items.find((i) => i.ID === body.created[0])).toMatchObject({
      Code: 'NEW-1',
      Description: 'Brand new',
    });

    const account = await mutate({ entity: 'accounts', records: [{ Code: '77', Name: 'Shop' }] });
    const accounts = await sim.entities<{ ID: string; Code: string }>('accounts');
    expect(accounts.find((a) => a.ID === account.body.created[0])?.Code).toBe('77'.padStart(18, ' '));

    const stock = await mutate({
      entity: 'stock',
      records: [{ ItemId: item?.ID, WarehouseCode: '3', CurrentStock: 10, ReservedStock: 4 }],
    });
    const position = (await sim.entities<Record<string, unknown>>('stock')).find(
      (s) => s.ID === stock.body.created[0],
    );
    expect(position).toMatchObject({ ItemId: item?.ID, WarehouseCode: '3', CurrentStock: 10, FreeStock: 6 });

    const removed = await mutate({ entity: 'items', deleteIds: [item?.ID] });
    expect(removed.body.deleted).toEqual([item?.ID]);
  });

  it('refuses bad mutations without applying any of them', async () => {
    const before = await sim.entities('prices');
    const bad = await mutate({
      entity: 'prices',
      records: [
        { Item: (await sim.entities<Item>('items'))[0]?.ID, Price: 5 },
        { Item: '00000000-0000-4000-8000-000000000000' },
      ],
    });
    expect(bad.status).toBe(400);
    expect(await sim.entities('prices')).toHaveLength(before.length);
    expect((await mutate({ entity: 'widgets', create: 1 })).status).toBe(400);
    expect((await mutate({ entity: 'items', records: [{ Price: 'x' }] })).status).toBe(400);
    expect(
      (await sim.control('POST', '/_sim/divisions/999/mutate', { entity: 'items', create: 1 })).status,
    ).toBe(404);
  });
});

describe('stats', () => {
  it('counts calls per client, division, endpoint, method and status, and resets', async () => {
    const token = await sim.token();
    await sim.api(token, `${DIVISION}/system/Divisions`);
    await sim.api(token, `${DIVISION}/system/Divisions`);
    await sim.api(token, `${DIVISION}/logistics/Items`);
    await sim.api(token, '100002/system/Divisions');
    const stats = await sim.control<{ calls: Array<Record<string, unknown>>; total: number }>(
      'GET',
      `/_sim/stats?division=${DIVISION}`,
    );
    expect(stats.body.total).toBe(3);
    expect(stats.body.calls).toEqual(
      expect.arrayContaining([
        {
          clientId: 'exact-sim-client',
          division: DIVISION,
          endpoint: 'system/Divisions',
          method: 'GET',
          status: 200,
          count: 2,
        },
        {
          clientId: 'exact-sim-client',
          division: DIVISION,
          endpoint: 'logistics/Items',
          method: 'GET',
          status: 400,
          count: 1,
        },
      ]),
    );
    await sim.control('DELETE', '/_sim/stats');
    expect((await sim.control<{ total: number }>('GET', '/_sim/stats')).body.total).toBe(0);
  });
});

describe('malformed input', () => {
  it('answers every bad request with an error and keeps running', async () => {
    const token = await sim.token();
    const raw = (path: string, init: RequestInit = {}) => fetch(`${sim.url}${path}`, init);
    expect((await raw('/_sim/reset', { method: 'POST', body: '{nope' })).status).toBe(400);
    expect((await raw('/_sim/unknown')).status).toBe(404);
    expect((await raw('/_sim/config', { method: 'DELETE' })).status).toBe(405);
    expect((await raw('/nowhere')).status).toBe(404);
    expect((await raw('/api/v1/%E0%A4%A/x')).status).toBe(400);
    expect((await sim.api(token, `${DIVISION}/unknown/Thing`)).status).toBe(404);
    expect((await sim.api(token, `${DIVISION}/crm/Accounts(nonsense)`)).status).toBe(400);
    expect((await sim.api(token, `${DIVISION}/sync/Logistics/Items?$select=ID&$skiptoken=abc`)).status).toBe(
      400,
    );
    expect((await sim.api(token, `${DIVISION}/system/Divisions`, { method: 'DELETE' })).status).toBe(405);
    expect((await sim.api(token, `999/system/Divisions`)).status).toBe(403);
    expect((await raw('/api/oauth2/token', { method: 'POST', body: '%%%' })).status).toBe(400);
    expect((await raw('/api/oauth2/auth?client_id=exact-sim-client&redirect_uri=::')).status).toBe(400);
    expect(
      (await sim.api(token, `${DIVISION}/logistics/Items?$filter=Code eq '${'x'.repeat(6000)}'`)).status,
    ).toBe(414);
    expect((await raw('/_sim/health')).status).toBe(200);
  });
});
