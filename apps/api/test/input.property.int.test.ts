import { items } from '@exact-sync/db';
import {
  createTestDatabase,
  deleteRedisKeys,
  type TestDatabase,
  testRedisUrl,
  uniqueName,
} from '@exact-sync/testkit';
import fc from 'fast-check';
import Fastify, { type FastifyInstance, type RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { app } from '../src/app.ts';
import { frameworkErrors } from '../src/plugins/errors.plugin.ts';
import { type FuzzWorld, requestsFor } from './fuzz/requests.ts';
import { storedState } from './fuzz/stored-state.ts';
import { seedConnection, testConfig } from './helpers.ts';

// Every route the app registers gets generated input: bodies and query strings from its own zod schemas (mostly
// plausible, so most requests reach the handler and the database, with hostile values at every level), path ids,
// and for the webhook, deliveries signed with the test's secret. The routes are read from the app, so a new one is
// covered without a change here. What must hold: no answer is a 5xx, and a 4xx leaves nothing behind.

const ADMIN_TOKEN = 'test-admin-token-0123456789';
const WEBHOOK_SECRET = 'property-webhook-secret';
// Routes the plugins of others add (Swagger UI, Bull Board): not this api's input handling.
const PLUGIN_ROUTES = /^\/(docs|admin\/queues)(\/|$)/;

let db: TestDatabase;
let api: FastifyInstance;
let world: FuzzWorld;
const routes: RouteOptions[] = [];
const prefix = uniqueName('input_prop');

beforeAll(async () => {
  db = await createTestDatabase('api_input_prop');
  api = Fastify({ logger: false, frameworkErrors });
  api.addHook('onRoute', (route) => {
    if (route.method !== 'HEAD' && !PLUGIN_ROUTES.test(route.url)) routes.push(route);
  });
  const config = testConfig({
    DATABASE_URL: db.url,
    REDIS_URL: testRedisUrl(),
    REDIS_PREFIX: prefix,
    EXACT_WEBHOOK_SECRET: WEBHOOK_SECRET,
    STOREFRONT_RATE_LIMIT_PER_MINUTE: '1000000',
  });
  await api.register(fp(app), { config });
  await api.ready();
  const shop = await seedConnection(api);
  await api.database.db.insert(items).values(
    [1, 2, 3].map((n) => ({
      connectionId: shop.connectionId,
      exactId: `00000000-0000-4000-8000-00000000000${n}`,
      timestamp: BigInt(n),
      code: `SKU-${n}`,
    })),
  );
  const order = await api.inject({
    method: 'POST',
    url: '/v1/orders',
    headers: { authorization: `Bearer ${shop.keys.b2b}` },
    payload: { reference: 'PROP-1', customer: { code: 'C1' }, lines: [{ sku: 'SKU-1', quantity: '1' }] },
  });
  const page = await api.inject({
    method: 'GET',
    url: '/v1/items?limit=1',
    headers: { authorization: `Bearer ${shop.keys.b2b}` },
  });
  world = {
    adminToken: ADMIN_TOKEN,
    storefrontKeys: [shop.keys.b2b, shop.keys.b2c],
    knownIds: [shop.connectionId, order.json().id, shop.keyIds.b2b],
    cursors: [page.json().nextCursor],
    webhookSecret: WEBHOOK_SECRET,
    division: 100001,
  };
});

afterAll(async () => {
  await api?.close();
  await deleteRedisKeys(`{${prefix}}`);
  await db?.drop();
});

it('answers every generated request to every route without a 5xx, and a 4xx stores nothing', async () => {
  expect(routes.length).toBeGreaterThan(15);
  const seen = new Map<string, number[]>();
  let before = await storedState(api);
  const cases = fc.oneof(
    ...routes.map((route) =>
      requestsFor(route, world).map((request) => ({ route: `${request.method} ${route.url}`, request })),
    ),
  );
  await fc.assert(
    fc.asyncProperty(cases, async ({ route, request }) => {
      const res = await api.inject(request);
      seen.set(route, [...(seen.get(route) ?? []), res.statusCode]);
      const what = `${request.method} ${request.url.slice(0, 200)} → ${res.statusCode} ${res.body.slice(0, 300)}`;
      expect(res.statusCode, what).toBeLessThan(500);
      const after = await storedState(api);
      if (res.statusCode >= 400) {
        expect(res.json().error.code, what).toMatch(/^[a-z_]+$/);
        expect(after, `${what}: a refusal changed what is stored`).toEqual(before);
      }
      before = after;
    }),
    { numRuns: 5_000 },
  );
  // Every route was called with credentials it takes, and the generated input got past validation often enough to
  // test the handlers too.
  expect([...seen.keys()].sort()).toEqual(routes.map((r) => `${r.method} ${r.url}`).sort());
  for (const [route, statuses] of seen)
    expect(
      statuses.some((s) => s !== 401),
      route,
    ).toBe(true);
  const statuses = [...seen.values()].flat();
  expect(statuses.filter((s) => s < 300).length).toBeGreaterThan(500);
  expect(statuses.filter((s) => s === 400).length).toBeGreaterThan(500);
  // 5,000 requests with a read of the stored state around each: about 50 s here, more on a loaded machine.
}, 300_000);
