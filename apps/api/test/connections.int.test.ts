import { orders, syncState } from '@exact-sync/db';
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

const UNKNOWN = '00000000-0000-4000-8000-000000000000';
let db: TestDatabase;
let api: FastifyInstance;
const prefix = uniqueName('connections');

const create = async (payload: Record<string, unknown>) =>
  api.inject({ method: 'POST', url: '/v1/connections', headers: ADMIN, payload });

beforeAll(async () => {
  db = await createTestDatabase('connections');
  api = await buildApp(
    testConfig({
      DATABASE_URL: db.url,
      REDIS_URL: testRedisUrl(),
      REDIS_PREFIX: prefix,
      PUBLIC_URL: 'https://sync.example.com/',
    }),
  );
});

afterAll(async () => {
  await api?.close();
  await db?.drop();
  await deleteRedisKeys(`{${prefix}}`);
});

describe('operator routes', () => {
  it('want the admin token', async () => {
    for (const [method, url] of [
      ['GET', '/v1/connections'],
      ['POST', '/v1/connections'],
      ['DELETE', `/v1/api-keys/${UNKNOWN}`],
    ] as const) {
      const res = await api.inject({
        method,
        url,
        headers: { authorization: 'Bearer wrong-token-000000000' },
      });
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('unauthorized');
    }
  });

  it('create a pending connection on the default Exact host, listed without secrets', async () => {
    const res = await create({ name: '  Shop NL  ' });
    expect(res.statusCode).toBe(201);
    const { id, authorizeUrl } = res.json();
    expect(authorizeUrl).toMatch(
      new RegExp(`^https://sync.example.com/v1/connections/${id}/authorize\\?exp=`),
    );
    const list = await api.inject({ url: '/v1/connections', headers: ADMIN });
    expect(list.json().nextCursor).toBeNull();
    expect(list.json().data).toContainEqual(
      expect.objectContaining({
        id,
        name: 'Shop NL',
        status: 'pending',
        needsReauth: false,
        division: null,
        exactBaseUrl: 'https://start.exactonline.nl',
      }),
    );
  });

  it('keep only the origin of another Exact host', async () => {
    const res = await create({
      name: 'Shop BE',
      division: 2001,
      exactBaseUrl: 'https://start.exactonline.be/',
    });
    const status = await api.inject({ url: `/v1/connections/${res.json().id}/status`, headers: ADMIN });
    expect(status.json()).toMatchObject({ exactBaseUrl: 'https://start.exactonline.be', division: 2001 });
  });

  it('name the bad field', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{}, 'body.name'],
      [{ name: ' ' }, 'body.name'],
      [{ name: 'x', division: -3 }, 'body.division'],
      [{ name: 'x', exactBaseUrl: 'ftp://exact' }, 'body.exactBaseUrl'],
      [{ name: 'x', colour: 'red' }, 'body'],
    ];
    for (const [payload, field] of cases) {
      const res = await create(payload);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('validation_failed');
      expect(res.json().error.details.map((d: { field: string }) => d.field)).toContain(field);
    }
  });

  it('answer 404 not_found for an unknown connection, and 400 for an id that is not one', async () => {
    const calls = [
      { method: 'GET', url: `/v1/connections/${UNKNOWN}/status` },
      { method: 'PATCH', url: `/v1/connections/${UNKNOWN}`, payload: { paused: true } },
      { method: 'DELETE', url: `/v1/connections/${UNKNOWN}` },
      { method: 'POST', url: `/v1/connections/${UNKNOWN}/sync`, payload: {} },
      { method: 'POST', url: `/v1/connections/${UNKNOWN}/reauthorize` },
      { method: 'POST', url: `/v1/connections/${UNKNOWN}/api-keys`, payload: { channel: 'b2c' } },
      { method: 'DELETE', url: `/v1/api-keys/${UNKNOWN}` },
    ] as const;
    for (const call of calls) {
      const res = await api.inject({ ...call, headers: ADMIN });
      expect([call.url, res.statusCode, res.json().error.code]).toEqual([call.url, 404, 'not_found']);
    }
    const bad = await api.inject({ url: '/v1/connections/42/status', headers: ADMIN });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].field).toBe('params.id');
  });

  it('pause, resume and set channel settings, one channel at a time', async () => {
    const { connectionId } = await seedConnection(api, {
      b2b: { callbackUrl: 'https://b2b.example.com/hook' },
    });
    const url = `/v1/connections/${connectionId}`;
    const paused = await api.inject({
      method: 'PATCH',
      url,
      headers: ADMIN,
      payload: { paused: true, channels: { b2c: { defaultAccountCode: 'WEB001' } } },
    });
    expect(paused.statusCode).toBe(200);
    expect(paused.json()).toMatchObject({
      paused: true,
      channels: {
        b2c: { defaultAccountCode: 'WEB001' },
        b2b: { callbackUrl: 'https://b2b.example.com/hook' },
      },
    });
    const sync = await api.inject({ method: 'POST', url: `${url}/sync`, headers: ADMIN, payload: {} });
    expect(sync.statusCode).toBe(409);
    expect(sync.json().error.code).toBe('connection_paused');

    const resumed = await api.inject({ method: 'PATCH', url, headers: ADMIN, payload: { paused: false } });
    expect(resumed.json().paused).toBe(false);
    const empty = await api.inject({ method: 'PATCH', url, headers: ADMIN, payload: {} });
    expect(empty.statusCode).toBe(400);
    const noCode = await api.inject({
      method: 'PATCH',
      url,
      headers: ADMIN,
      payload: { channels: { b2c: { defaultAccountCode: null, priceSource: 'exact' } } },
    });
    expect(noCode.json().error.details[0].field).toBe('body.channels.b2c.defaultAccountCode');
  });

  it('enqueue a sync now, full when asked, and refuse a connection not yet authorized', async () => {
    const { connectionId } = await seedConnection(api);
    const res = await api.inject({
      method: 'POST',
      url: `/v1/connections/${connectionId}/sync`,
      headers: ADMIN,
      payload: { entities: ['items', 'prices'], full: true },
    });
    expect(res.json()).toEqual({ enqueued: ['items', 'prices'] });
    expect(res.statusCode).toBe(202);
    const jobId = await api.queues.sync.getDeduplicationJobId(`sync:${connectionId}:items`);
    expect((await api.queues.sync.getJob(jobId ?? ''))?.data).toEqual({
      connectionId,
      entity: 'items',
      full: true,
    });
    const states = await api.database.db
      .select()
      .from(syncState)
      .where(eq(syncState.connectionId, connectionId));
    expect(states.map((s) => [s.entity, s.fullResyncRequested]).sort()).toEqual([
      ['items', 1],
      ['prices', 1],
    ]);

    const bad = await api.inject({
      method: 'POST',
      url: `/v1/connections/${connectionId}/sync`,
      headers: ADMIN,
      payload: { entities: ['orders'] },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].field).toBe('body.entities.0');

    const pending = (await create({ name: 'Not yet' })).json().id;
    const refused = await api.inject({
      method: 'POST',
      url: `/v1/connections/${pending}/sync`,
      headers: ADMIN,
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('connection_not_authorized');
  });

  it('give a new authorize link on reauthorize', async () => {
    const { connectionId } = await seedConnection(api);
    const res = await api.inject({
      method: 'POST',
      url: `/v1/connections/${connectionId}/reauthorize`,
      headers: ADMIN,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().authorizeUrl).toContain(`/v1/connections/${connectionId}/authorize?exp=`);
  });

  it('delete a connection, but not one with orders still to submit unless forced', async () => {
    const { connectionId } = await seedConnection(api);
    await api.database.db.insert(orders).values({
      connectionId,
      channel: 'b2c',
      reference: 'R1',
      yourRef: 'B2C-R1',
      payloadHash: 'h',
      customer: { code: 'C1' },
    });
    const refused = await api.inject({
      method: 'DELETE',
      url: `/v1/connections/${connectionId}`,
      headers: ADMIN,
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('open_orders');
    const forced = await api.inject({
      method: 'DELETE',
      url: `/v1/connections/${connectionId}?force=true`,
      headers: ADMIN,
    });
    expect(forced.statusCode).toBe(204);
    const gone = await api.inject({ url: `/v1/connections/${connectionId}/status`, headers: ADMIN });
    expect(gone.statusCode).toBe(404);
  });
});

describe('storefront API keys', () => {
  it('are shown once, work at once, and stop working the moment they are revoked', async () => {
    const { connectionId } = await seedConnection(api);
    const created = await api.inject({
      method: 'POST',
      url: `/v1/connections/${connectionId}/api-keys`,
      headers: ADMIN,
      payload: { channel: 'b2b' },
    });
    expect(created.statusCode).toBe(201);
    const { id, key, channel } = created.json();
    expect(channel).toBe('b2b');
    const asShop = { authorization: `Bearer ${key}` };
    expect((await api.inject({ url: '/v1/orders', headers: asShop })).statusCode).toBe(200);

    const listed = await api.inject({ url: `/v1/connections/${connectionId}/api-keys`, headers: ADMIN });
    expect(listed.body).not.toContain(key);
    expect(listed.json().data).toContainEqual(
      expect.objectContaining({ id, channel: 'b2b', revokedAt: null }),
    );

    const revoked = await api.inject({ method: 'DELETE', url: `/v1/api-keys/${id}`, headers: ADMIN });
    expect(revoked.statusCode).toBe(204);
    const after = await api.inject({ url: '/v1/orders', headers: asShop });
    expect(after.statusCode).toBe(401);
    expect(after.json().error.code).toBe('unauthorized');
  });

  it('name the channel when it is missing or wrong', async () => {
    const { connectionId } = await seedConnection(api);
    const res = await api.inject({
      method: 'POST',
      url: `/v1/connections/${connectionId}/api-keys`,
      headers: ADMIN,
      payload: { channel: 'pos' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0].field).toBe('body.channel');
  });
});
