import { createTestDatabase, type TestDatabase, testDatabaseUrl, uniqueName } from '@exact-sync/testkit';
import { eq } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connections,
  type DatabaseHandle,
  items,
  migrateDatabase,
  openDatabase,
  orderLines,
  orders,
  syncState,
} from '../src/index.ts';

let testDb: TestDatabase;
let handle: DatabaseHandle;

beforeAll(async () => {
  testDb = await createTestDatabase('schema');
  handle = openDatabase(testDb.url, { max: 4 });
});

afterAll(async () => {
  await handle?.close();
  await testDb?.drop();
});

async function newConnection(): Promise<string> {
  const [row] = await handle.db
    .insert(connections)
    .values({ name: 'Shop', exactBaseUrl: 'https://start.exactonline.nl', division: 1 })
    .returning({ id: connections.id });
  if (!row) throw new Error('no connection row');
  return row.id;
}

const item = (connectionId: string, exactId: string, timestamp: bigint) => ({
  connectionId,
  exactId,
  timestamp,
  code: `SKU-${timestamp}`,
});

/** postgres.js wraps the server's error; the constraint name is what the code paths branch on. */
async function violation(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    const cause = (error as { cause?: { constraint_name?: string } }).cause;
    return cause?.constraint_name ?? (error as { constraint_name?: string }).constraint_name;
  }
  return undefined;
}

describe('migrations', () => {
  it('a second run changes nothing', async () => {
    const tables = () =>
      handle.sql`select table_name, column_name, data_type from information_schema.columns
                 where table_schema = 'public' order by 1, 2`;
    const before = await tables();
    const applied = await handle.sql`select count(*)::int as n from drizzle.__drizzle_migrations`;
    await migrateDatabase(testDb.url);
    expect(await tables()).toEqual(before);
    const after = await handle.sql`select count(*)::int as n from drizzle.__drizzle_migrations`;
    expect(after[0]?.n).toBe(applied[0]?.n);
    expect(before.length).toBeGreaterThan(50);
  });

  it('several runners at once on an empty database apply each migration once', async () => {
    const name = uniqueName('migrate');
    const admin = postgres(testDatabaseUrl(), { max: 1 });
    await admin.unsafe(`create database ${name}`);
    const url = new URL(testDatabaseUrl());
    url.pathname = `/${name}`;
    try {
      await Promise.all(Array.from({ length: 4 }, () => migrateDatabase(url.toString())));
      const check = postgres(url.toString(), { max: 1 });
      const rows = await check`select hash from drizzle.__drizzle_migrations`;
      const files =
        await check`select count(*)::int as n from information_schema.tables where table_name = 'orders'`;
      await check.end();
      expect(new Set(rows.map((r) => r.hash)).size).toBe(rows.length);
      expect(files[0]?.n).toBe(1);
    } finally {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  });
});

describe('schema invariants', () => {
  it('keeps one row per connection and Exact ID, and two connections may hold the same ID', async () => {
    const a = await newConnection();
    const b = await newConnection();
    const id = crypto.randomUUID();
    await handle.db.insert(items).values(item(a, id, 5n));
    expect(await violation(handle.db.insert(items).values(item(a, id, 6n)))).toBe(
      'items_connection_id_exact_id_pk',
    );
    await handle.db.insert(items).values(item(b, id, 6n));
    const rows = await handle.db.select().from(items).where(eq(items.exactId, id));
    expect(rows.map((r) => r.timestamp).sort()).toEqual([5n, 6n]);
  });

  it('keeps Exact Timestamps beyond 2^53 exactly', async () => {
    const c = await newConnection();
    const big = 2n ** 62n + 7n;
    await handle.db.insert(items).values(item(c, crypto.randomUUID(), big));
    const [row] = await handle.db.select().from(items).where(eq(items.timestamp, big));
    expect(row?.timestamp).toBe(big);
  });

  it('allows one order per connection, channel, reference and attempt', async () => {
    const c = await newConnection();
    const order = (channel: 'b2b' | 'b2c') => ({
      connectionId: c,
      channel,
      reference: '100231',
      yourRef: `${channel.toUpperCase()}-100231`,
      payloadHash: 'h',
      customer: { code: 'C1' },
    });
    await handle.db.insert(orders).values(order('b2c'));
    expect(await violation(handle.db.insert(orders).values(order('b2c')))).toBe(
      'orders_connection_channel_reference_attempt',
    );
    await handle.db.insert(orders).values(order('b2b'));
  });

  it('refuses a submitted order without an Exact order id, and non-positive quantities', async () => {
    const c = await newConnection();
    const base = { connectionId: c, channel: 'b2b' as const, yourRef: 'B2B-x', payloadHash: 'h' };
    const bad = handle.db
      .insert(orders)
      .values({ ...base, reference: 'x', customer: { code: 'C' }, status: 'submitted' });
    expect(await violation(bad)).toBe('orders_submitted_has_exact_id');
    const [o] = await handle.db
      .insert(orders)
      .values({ ...base, reference: 'y', customer: { code: 'C' } })
      .returning();
    if (!o) throw new Error('no order');
    const line = handle.db.insert(orderLines).values({ orderId: o.id, lineNo: 1, sku: 'A', quantity: '0' });
    expect(await violation(line)).toBe('order_lines_quantity_positive');
  });

  it('refuses unknown sync entities and removes everything of a deleted connection', async () => {
    const c = await newConnection();
    const bad = handle.sql`insert into sync_state (connection_id, entity) values (${c}, 'ledgers')`;
    expect(await violation(bad)).toBe('sync_state_entity');
    await handle.db.insert(syncState).values({ connectionId: c, entity: 'items' });
    await handle.db.insert(items).values(item(c, crypto.randomUUID(), 1n));
    await handle.db.delete(connections).where(eq(connections.id, c));
    const left = await handle.sql`select (select count(*) from sync_state where connection_id = ${c})::int
      + (select count(*) from items where connection_id = ${c})::int as n`;
    expect(left[0]?.n).toBe(0);
  });
});
