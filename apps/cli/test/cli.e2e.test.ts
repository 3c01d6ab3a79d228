import { once } from 'node:events';
import { type AddressInfo, createServer } from 'node:net';
import {
  createTestDatabase,
  deleteRedisKeys,
  type RunningProcess,
  startEntry,
  startSimulator,
  type TestDatabase,
  testRedisUrl,
  uniqueName,
} from '@exact-sync/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli.ts';

const ADMIN_TOKEN = 'cli-e2e-admin-token-0123456789';
const prefix = uniqueName('cli');
let db: TestDatabase;
let sim: RunningProcess & { url: string };
let api: RunningProcess;
let apiUrl = '';

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Runs `exs <argv>` against the api process, as an operator would. */
async function exs(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, {
    env: { API_URL: apiUrl, ADMIN_TOKEN },
    stdout: (t) => {
      out += `${t}\n`;
    },
    stderr: (t) => {
      err += `${t}\n`;
    },
  });
  return { code, out, err };
}

beforeAll(async () => {
  const port = await freePort();
  apiUrl = `http://127.0.0.1:${port}`;
  [db, sim] = await Promise.all([
    createTestDatabase('cli'),
    startSimulator({ SIM_CONFIG: JSON.stringify({ items: 5, accounts: 5 }) }),
  ]);
  api = await startEntry('apps/api/src/server.ts', {
    env: {
      DATABASE_URL: db.url,
      REDIS_URL: testRedisUrl(),
      REDIS_PREFIX: prefix,
      EXACT_BASE_URL: sim.url,
      EXACT_CLIENT_ID: 'exact-sim-client',
      EXACT_CLIENT_SECRET: 'exact-sim-secret',
      TOKEN_ENCRYPTION_KEY: '5a'.repeat(32),
      ADMIN_TOKEN,
      API_PORT: String(port),
      PUBLIC_URL: apiUrl,
      LOG_LEVEL: 'warn',
    },
    ready: /api listening on (http:\/\/\S+)/,
  });
});

afterAll(async () => {
  await api?.stop();
  await sim?.stop();
  await db?.drop();
  await deleteRedisKeys(`{${prefix}}`);
  await deleteRedisKeys(prefix);
});

describe('operating a connection with the CLI', () => {
  it('creates, authorizes, inspects, pauses, keys and syncs a connection', async () => {
    const created = await exs('create', 'Garden shop', '--json');
    expect(created.code).toBe(0);
    const { id, authorizeUrl } = JSON.parse(created.out) as { id: string; authorizeUrl: string };

    // The person opens the link: api → Exact's consent page → back to the api's callback.
    const toExact = await fetch(authorizeUrl, { redirect: 'manual' });
    const consent = await fetch(toExact.headers.get('location') ?? '', { redirect: 'manual' });
    const page = await fetch(consent.headers.get('location') ?? '');
    expect(await page.text()).toContain('Connection ready');

    const status = await exs('status', id);
    expect(status.out).toContain(`Garden shop (${id})`);
    expect(status.out).toMatch(/status\s+active\s+division 100001/);
    expect(status.out).toMatch(/items\s+initial/);

    expect((await exs('pause', id)).out).toContain('Garden shop: paused');
    expect(JSON.parse((await exs('status', id, '--json')).out)).toMatchObject({ paused: true });
    expect((await exs('sync', id)).err).toContain('[connection_paused, HTTP 409]');
    expect((await exs('resume', id)).out).toContain('Garden shop: resumed');
    expect((await exs('sync', id, '--entity', 'items')).out).toContain('Sync queued: items');

    const key = await exs('keys', 'create', id, '--channel', 'b2c', '--json');
    const made = JSON.parse(key.out) as { id: string; key: string };
    const asShop = { headers: { authorization: `Bearer ${made.key}` } };
    expect((await fetch(`${apiUrl}/v1/orders`, asShop)).status).toBe(200);
    expect((await exs('keys', 'list', id)).out).toContain(`${made.id}  b2c`);
    expect((await exs('keys', 'revoke', made.id)).code).toBe(0);
    expect((await fetch(`${apiUrl}/v1/orders`, asShop)).status).toBe(401);

    expect((await exs('authorize-link', id)).out).toContain(`${apiUrl}/v1/connections/${id}/authorize?exp=`);
    expect((await exs('list')).out).toContain(`${id}  Garden shop  active`);
  });

  it('reports what the api refused, with its code', async () => {
    const unknown = await exs('status', '00000000-0000-4000-8000-000000000000');
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('connection not found [not_found, HTTP 404]');
    const wrong = await runCli(['list'], {
      env: { API_URL: apiUrl, ADMIN_TOKEN: 'not-the-token' },
      stdout: () => {},
      stderr: () => {},
    });
    expect(wrong).toBe(1);
  });
});
