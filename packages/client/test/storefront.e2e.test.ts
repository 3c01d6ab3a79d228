import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import {
  createTestDatabase,
  deleteRedisKeys,
  onboard,
  repoRoot,
  type Stack,
  startStack,
  storefrontKey,
  type TestDatabase,
  testRedisUrl,
  uniqueName,
  waitFor,
} from '@exact-sync/testkit';
import createClient, { type Client } from 'openapi-fetch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { components, paths } from '../src/index.ts';

// What the README shows a shop, against the live api (with its worker and the simulator as Exact, with the demo's
// dataset), through the generated types and openapi-fetch.
type Order = components['schemas']['Order'];

let db: TestDatabase;
let stack: Stack;
let client: Client<paths>;
let key: string;
const prefix = uniqueName('client');
const run = promisify(execFile);
const scratch = new URL('../.run/', import.meta.url);

beforeAll(async () => {
  db = await createTestDatabase('client');
  stack = await startStack({
    databaseUrl: db.url,
    redisUrl: testRedisUrl(),
    redisPrefix: prefix,
  });
  const connectionId = await onboard(stack);
  key = await storefrontKey(stack, connectionId, 'b2b');
  client = createClient<paths>({ baseUrl: stack.apiUrl, headers: { Authorization: `Bearer ${key}` } });
}, 90_000);

afterAll(async () => {
  rmSync(scratch, { recursive: true, force: true });
  await stack?.stop();
  await db?.drop();
  await deleteRedisKeys(`{${prefix}}`);
  await deleteRedisKeys(prefix);
});

describe('the storefront client', () => {
  it('lists a page of items, places an order and follows it into Exact', async () => {
    await waitFor(
      'items and accounts synced',
      async () => {
        const [items, accounts] = await Promise.all([
          client.GET('/v1/items', { params: { query: { limit: 5 } } }),
          client.GET('/v1/accounts', { params: { query: { limit: 5 } } }),
        ]);
        return (items.data?.data.length ?? 0) === 5 && (accounts.data?.data.length ?? 0) === 5;
      },
      60_000,
    );
    const { data: page, response } = await client.GET('/v1/items', { params: { query: { limit: 5 } } });
    expect(response.status).toBe(200);
    expect(response.headers.get('ratelimit-remaining')).toMatch(/^\d+$/);
    expect(response.headers.get('x-request-id')).toBeTruthy();
    const item = page?.data.find((row) => row.isSalesItem);
    const accounts = await client.GET('/v1/accounts', { params: { query: { limit: 10 } } });
    const customer = accounts.data?.data.find((row) => row.blocked !== true);
    if (!item || !customer) throw new Error('no sales item or unblocked customer synced');

    const placed = await client.POST('/v1/orders', {
      body: {
        reference: 'CLIENT-1',
        customer: { code: customer.code },
        lines: [{ sku: item.sku, quantity: '2' }],
      },
    });
    expect(placed.response.status, JSON.stringify(placed.error)).toBe(202);
    const id = placed.data?.id ?? '';
    expect(placed.data?.status).toBe('accepted');

    let order: Order | undefined;
    await waitFor(
      'the order in Exact',
      async () => {
        order = (await client.GET('/v1/orders/{id}', { params: { path: { id } } })).data;
        return order?.status === 'submitted';
      },
      30_000,
    );
    expect(order?.exactOrderNumber).toEqual(expect.any(Number));
    expect(order?.lines).toEqual([{ sku: item.sku, quantity: '2', unitPrice: null, unitCode: null }]);
  });

  it('gives the documented errors, typed', async () => {
    const missing = await client.GET('/v1/orders/{id}', { params: { path: { id: randomUUID() } } });
    expect(missing.response.status).toBe(404);
    expect(missing.error?.error.code).toBe('not_found');

    const invalid = await client.POST('/v1/orders', {
      body: { reference: 'CLIENT-2', customer: { code: '1001' }, lines: [{ sku: 'X', quantity: '0' }] },
    });
    expect(invalid.response.status).toBe(400);
    expect(invalid.error?.error.details).toEqual([
      { field: 'body.lines.0.quantity', message: 'must be greater than 0' },
    ]);
  });
});

/** The README's TypeScript example, importing the committed types as a shop imports its generated file. */
function readmeExample(): string {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const example = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  if (!example) throw new Error('the README has no TypeScript example');
  return example.replace("'./storefront-api.ts'", "'../src/storefront-api.ts'");
}

describe('the README example', () => {
  it('compiles against the committed types, and lists, places and follows an order in the demo data', async () => {
    mkdirSync(scratch, { recursive: true });
    const file = new URL(`readme-${randomUUID()}.ts`, scratch);
    writeFileSync(file, readmeExample());
    const tsconfig = new URL('tsconfig.json', scratch);
    writeFileSync(
      tsconfig,
      JSON.stringify({ extends: '../../../tsconfig.base.json', files: [file.pathname] }),
    );
    await run(`${repoRoot}node_modules/.bin/tsc`, ['--noEmit', '-p', tsconfig.pathname]);

    const { stdout } = await run(`${repoRoot}node_modules/.bin/tsx`, [file.pathname], {
      env: { PATH: process.env.PATH, EXACT_SYNC_URL: stack.apiUrl, EXACT_SYNC_KEY: key },
      timeout: 60_000,
    });
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(6);
    expect(lines.at(-1)).toMatch(/^submitted \d+$/);
    expect((await stack.simControl.orders()).postsByYourRef['B2B-100231']).toBe(1);
  });
});
