import { connections } from '@exact-sync/db';
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

// PATCH /v1/connections/{id} changes a channel's settings one by one: those not given stay, null removes one, and
// the channel that results is checked as a whole.
const WAREHOUSE = '6f1c1d2e-0d4b-4c1e-9a51-1a2b3c4d5e6f';
let db: TestDatabase;
let api: FastifyInstance;
const prefix = uniqueName('channel_settings');

beforeAll(async () => {
  db = await createTestDatabase('channel_settings');
  api = await buildApp(
    testConfig({
      DATABASE_URL: db.url,
      REDIS_URL: testRedisUrl(),
      REDIS_PREFIX: prefix,
      CALLBACK_ALLOW_HTTP: 'true',
      CALLBACK_ALLOW_PRIVATE: 'true',
    }),
  );
});

afterAll(async () => {
  await api?.close();
  await db?.drop();
  await deleteRedisKeys(`{${prefix}}`);
});

const patch = (id: string, channels: Record<string, unknown>) =>
  api.inject({ method: 'PATCH', url: `/v1/connections/${id}`, headers: ADMIN, payload: { channels } });

async function stored(id: string) {
  const [row] = await api.database.db.select().from(connections).where(eq(connections.id, id));
  return row?.channels;
}

describe('channel settings', () => {
  it('change only the settings given, and a setting given as null is removed', async () => {
    const { connectionId } = await seedConnection(api);
    const priced = { priceSource: 'exact', pricesIncludeVat: true, warehouseId: WAREHOUSE };
    expect((await patch(connectionId, { b2b: priced })).statusCode).toBe(200);
    const withUrl = await patch(connectionId, { b2b: { callbackUrl: 'http://127.0.0.1:9/hooks' } });
    expect(withUrl.statusCode).toBe(200);
    expect(withUrl.json().channels.b2b).toEqual({ ...priced, callbackUrl: 'http://127.0.0.1:9/hooks' });

    const removed = await patch(connectionId, { b2b: { callbackUrl: null, warehouseId: null } });
    expect(removed.statusCode).toBe(200);
    expect((await stored(connectionId))?.b2b).toEqual({ priceSource: 'exact', pricesIncludeVat: true });
  });

  it('are checked as the channel ends up, and a refused change leaves every setting as it was', async () => {
    const { connectionId } = await seedConnection(api);
    await patch(connectionId, { b2b: { priceSource: 'exact', pricesIncludeVat: true } });
    const before = await stored(connectionId);

    const refused = await patch(connectionId, {
      b2b: { priceSource: null, warehouseId: WAREHOUSE },
      b2c: { defaultAccountCode: null, priceSource: 'exact' },
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.details).toEqual([
      { field: 'body.channels.b2c.defaultAccountCode', message: expect.stringContaining('required') },
      {
        field: 'body.channels.b2b.priceSource',
        message: expect.stringContaining('pricesIncludeVat: true needs'),
      },
    ]);
    expect(await stored(connectionId)).toEqual(before);
  });

  it('keep a b2c channel on its default account: other settings leave it, removing it is refused', async () => {
    const { connectionId } = await seedConnection(api);
    expect((await patch(connectionId, { b2c: { defaultAccountCode: 'WEB' } })).statusCode).toBe(200);
    expect((await patch(connectionId, { b2c: { priceSource: 'exact' } })).statusCode).toBe(200);
    expect((await stored(connectionId))?.b2c).toEqual({ defaultAccountCode: 'WEB', priceSource: 'exact' });
    const orphaned = await patch(connectionId, { b2c: { defaultAccountCode: null } });
    expect(orphaned.statusCode).toBe(400);
    expect(orphaned.json().error.message).toContain('body.channels.b2c.defaultAccountCode');
  });
});
