import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import {
  freePort,
  type OwnRedis,
  repoRoot,
  startOwnRedis,
  testDatabaseUrl,
  uniqueName,
  waitFor,
} from '@exact-sync/testkit';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../src/openapi/demo-data.ts';
import { examplesIn, readmeDemoBlock, runExamples } from './examples.ts';

// The README's start command, tried as a new user would: it must bring everything up on its own, and what it
// prints must be enough to place an order and read the catalogue.
let redis: OwnRedis;
let output = '';
let stop: () => Promise<void>;
let group = 0;
const database = uniqueName('start');
const printed = (label: string): string => new RegExp(`${label}:\\s+(\\S+)`).exec(output)?.[1] ?? '';
const orderStatus = async (api: string, key: string, id: string) => {
  const res = await fetch(`${api}/v1/orders/${id}`, { headers: { authorization: `Bearer ${key}` } });
  return ((await res.json()) as { status: string }).status;
};

beforeAll(async () => {
  redis = await startOwnRedis();
  const dbUrl = new URL(testDatabaseUrl());
  dbUrl.pathname = `/${database}`;
  const [apiPort, workerPort, simPort] = [await freePort(), await freePort(), await freePort()];
  const child = spawn('bash', [`${repoRoot}scripts/start.sh`], {
    cwd: repoRoot,
    detached: true,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DATABASE_URL: dbUrl.toString(),
      REDIS_URL: redis.url,
      API_PORT: String(apiPort),
      WORKER_PORT: String(workerPort),
      SIM_PORT: String(simPort),
      DEMO_DIR: mkdtempSync(`${tmpdir()}/exs-demo-`),
      MAINTENANCE_INTERVAL_MS: '1000',
      SYNC_MIN_INTERVAL_MS: '2000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  group = child.pid ?? 0;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.stdout.on('data', (c: Buffer) => {
    output += c.toString();
  });
  child.stderr.on('data', (c: Buffer) => {
    output += c.toString();
  });
  stop = async () => {
    if (child.pid && child.exitCode === null) process.kill(-child.pid, 'SIGTERM');
    await exited;
  };
  await waitFor('the start command to print ready', async () => /\nready\n/.test(output), 90_000);
});

afterAll(async () => {
  await stop?.();
  await redis?.stop();
  const admin = postgres(testDatabaseUrl(), { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${database} with (force)`);
  await admin.end();
});

describe('the start command', () => {
  it('builds the apps and runs the built JavaScript with node, as production does', () => {
    const commands = execFileSync('pgrep', ['-a', '-g', String(group)], { encoding: 'utf8' });
    for (const built of [
      'apps/exact-sim/dist/main.js',
      'apps/api/dist/server.js',
      'apps/worker/dist/main.js',
    ])
      expect(commands).toMatch(new RegExp(`^\\d+ \\S*node --enable-source-maps \\S*${built}$`, 'm'));
    expect(commands).not.toMatch(/apps\/[a-z-]+\/src\//);
  });

  it('prints working URLs, an admin token and storefront keys, and the demo division syncs and takes orders', async () => {
    const api = printed('api');
    const admin = printed('admin token');
    const key = printed('b2b key');
    const sim = printed('simulator');
    expect(api).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const get = (path: string, token = key) =>
      fetch(`${api}${path}`, { headers: { authorization: `Bearer ${token}` } });

    await waitFor(
      'synced items',
      async () => ((await (await get('/v1/items?limit=5')).json()) as { data: unknown[] }).data.length === 5,
      60_000,
    );
    await waitFor(
      'synced accounts',
      async () =>
        ((await (await get('/v1/accounts?limit=1')).json()) as { data: unknown[] }).data.length === 1,
      60_000,
    );
    const items = (await (await get('/v1/items?limit=2')).json()) as { data: { sku: string }[] };
    const accounts = (await (await get('/v1/accounts?limit=1')).json()) as { data: { code: string }[] };

    const placed = await fetch(`${api}/v1/orders`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        reference: 'START-1',
        customer: { code: accounts.data[0]?.code },
        lines: items.data.map((i) => ({ sku: i.sku, quantity: '1' })),
      }),
    });
    expect(placed.status, await placed.clone().text()).toBe(202);
    const { id } = (await placed.json()) as { id: string };
    await waitFor(
      'the order submitted',
      async () =>
        ((await (await get(`/v1/orders/${id}`)).json()) as { status: string }).status === 'submitted',
      30_000,
    );
    const simOrders = (await (await fetch(`${sim}/_sim/orders`)).json()) as {
      postsByYourRef: Record<string, number>;
    };
    expect(simOrders.postsByYourRef['B2B-START-1']).toBe(1);

    for (const path of ['/admin', '/admin/queues', '/metrics']) {
      const res = await get(path, admin);
      expect(res.status, path).toBe(200);
    }
    expect((await fetch(`${api}/docs/json`)).status).toBe(200);
  });
});

// The examples people copy: what the start command prints, the README's demo requests, and the order Swagger UI's
// "Try it out" sends. Each must be accepted and reach Exact, not be refused a minute later for a made-up SKU.
describe('the example requests', () => {
  it('that the start command prints work as they are, with a real SKU and customer', async () => {
    const api = printed('api');
    const key = printed('b2b key');
    const block = output.slice(output.indexOf('\ntry ('), output.indexOf('\nCtrl-C'));
    expect(block).toContain(`${DEMO.sku} is an item of the demo division, ${DEMO.customerCode} a customer`);
    const examples = examplesIn(block);
    expect(examples).toHaveLength(4);
    const id = await runExamples(examples, {}, [200, 200, 202, 200]);
    if (!id) throw new Error('no order was placed');
    await waitFor(
      'the printed order in Exact',
      async () => (await orderStatus(api, key, id)) === 'submitted',
    );
  });

  it("in the README's demo section work against the demo, with the answers shown under them", async () => {
    const examples = examplesIn(readmeDemoBlock());
    expect(examples.map((e) => e.documented?.status)).toEqual([200, 202, 200, 200]);
    const id = await runExamples(examples, {
      '<b2b key>': printed('b2b key'),
      'http://127.0.0.1:3000': printed('api'),
    });
    expect(id).toBeDefined();
  });

  it('in the storefront document are accepted and reach Exact', async () => {
    const api = printed('api');
    const key = printed('b2b key');
    const doc = (await (await fetch(`${api}/docs/storefront/json`)).json()) as {
      paths: Record<
        string,
        Record<string, { requestBody: { content: Record<string, { example: unknown }> } }>
      >;
    };
    const example = doc.paths['/v1/orders']?.post?.requestBody.content['application/json']?.example;
    expect(example).toMatchObject({ customer: { code: DEMO.customerCode }, lines: [{ sku: DEMO.sku }] });
    const placed = await fetch(`${api}/v1/orders`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(example),
    });
    expect(placed.status, await placed.clone().text()).toBe(202);
    const { id } = (await placed.json()) as { id: string };
    await waitFor(
      'the example order in Exact',
      async () => (await orderStatus(api, key, id)) === 'submitted',
    );
  });
});
