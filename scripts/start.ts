/**
 * The one-command start. Reads `.env` when present, fills in what a demo needs (secrets kept in `.demo/` so tokens
 * stay readable across restarts), creates and migrates the database, starts apps/exact-sim as the Exact when
 * EXACT_CLIENT_ID is not set, starts the api and the worker, connects a demo division through the real OAuth flow,
 * issues a storefront key and prints where everything is. Ctrl-C stops it all.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { migrateDatabase } from '@exact-sync/db';
import postgres from 'postgres';

const root = new URL('..', import.meta.url).pathname;
const children: ChildProcess[] = [];

function loadDotEnv(): void {
  const file = `${root}.env`;
  if (!existsSync(file)) return;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const match = /^\s*([A-Z0-9_]+)\s*=\s*(.*)\s*$/.exec(line);
    if (match?.[1] && match[2] !== undefined && process.env[match[1]] === undefined)
      process.env[match[1]] = match[2];
  }
}

/** Secrets a demo needs, made once and kept in `.demo/secrets.json` (git-ignored). */
function demoSecrets(): { ADMIN_TOKEN: string; TOKEN_ENCRYPTION_KEY: string } {
  const dir = process.env.DEMO_DIR ?? `${root}.demo`;
  const file = `${dir}/secrets.json`;
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8'));
  mkdirSync(dir, { recursive: true });
  const secrets = {
    ADMIN_TOKEN: `admin-${randomBytes(18).toString('base64url')}`,
    TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
  };
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

function start(name: string, entry: string, env: NodeJS.ProcessEnv, ready: RegExp): Promise<string> {
  // The apps as production runs them: their build (scripts/start.sh builds first), by node.
  const child = spawn(process.execPath, ['--enable-source-maps', `${root}${entry}`], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let seen = '';
    const onData = (chunk: Buffer): void => {
      const text = chunk.toString();
      if (!seen.includes('\u0000ready')) {
        seen += text;
        const m = ready.exec(seen);
        if (m) {
          seen += '\u0000ready';
          resolve(m[1] ?? '');
        }
      }
      if (process.env.START_VERBOSE) process.stdout.write(`[${name}] ${text}`);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(`[${name}] ${chunk}`));
    child.once('exit', (code) => {
      reject(new Error(`${name} exited with ${code} before it was ready`));
      if (!stopping) void stopAll(1, `${name} stopped (exit code ${code})`);
    });
  });
}

let stopping = false;
async function stopAll(code: number, why?: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  if (why) console.error(why);
  for (const child of children) child.kill('SIGTERM');
  await Promise.all(
    children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : Promise.resolve())),
  );
  process.exit(code);
}
process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const sql = postgres(admin.toString(), { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql`select 1 as ok from pg_database where datname = ${name}`;
    if (!row) await sql.unsafe(`create database "${name.replace(/"/g, '""')}"`);
  } finally {
    await sql.end();
  }
}

async function call(
  url: string,
  token: string,
  method = 'GET',
  body?: unknown,
): Promise<{ status: number; json: unknown }> {
  const res = await fetch(url, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

/** Connects the demo division through the real flow: signed link → Exact's consent → callback. */
async function connectDemo(apiUrl: string, adminToken: string): Promise<{ id: string; created: boolean }> {
  const list = await call(`${apiUrl}/v1/connections`, adminToken);
  const existing = (list.json as { data: { id: string; status: string }[] }).data.find(
    (c) => c.status === 'active',
  );
  if (existing) return { id: existing.id, created: false };
  const created = await call(`${apiUrl}/v1/connections`, adminToken, 'POST', { name: 'Demo shop' });
  if (created.status !== 201)
    throw new Error(`could not create the demo connection: ${JSON.stringify(created.json)}`);
  const { id, authorizeUrl } = created.json as { id: string; authorizeUrl: string };
  let url = authorizeUrl;
  for (let hop = 0; hop < 5; hop++) {
    const res = await fetch(url, { redirect: 'manual' });
    const location = res.headers.get('location');
    if (!location) {
      if (res.status !== 200) throw new Error(`authorization failed with ${res.status}: ${await res.text()}`);
      return { id, created: true };
    }
    url = new URL(location, url).toString();
  }
  throw new Error('authorization did not finish');
}

interface ItemRow {
  sku: string;
  isSalesItem: boolean;
}

interface AccountRow {
  code: string;
  blocked: boolean | null;
}

/**
 * A real SKU and customer for the printed example order, once the demo division's catalogue is synced (within a
 * minute): the lowest-coded sales item, and the lowest-coded unblocked account other than the consumers' one. With
 * the simulator's fixed seed that is what the README shows.
 */
async function exampleRecords(
  apiUrl: string,
  key: string,
  consumerAccount: string,
): Promise<{ sku: string; customer: string } | undefined> {
  const list = async <T>(entity: string): Promise<T[]> => {
    const res = await call(`${apiUrl}/v1/${entity}?limit=1000`, key);
    return res.status === 200 ? (res.json as { data: T[] }).data : [];
  };
  for (const deadline = Date.now() + 60_000; Date.now() < deadline; ) {
    const [items, accounts] = await Promise.all([list<ItemRow>('items'), list<AccountRow>('accounts')]);
    const item = items.filter((row) => row.isSalesItem).sort((a, b) => a.sku.localeCompare(b.sku))[0];
    const customer = accounts
      .filter((row) => row.blocked !== true && row.code !== consumerAccount)
      .sort((a, b) => a.code.localeCompare(b.code))[0];
    if (item && customer) return { sku: item.sku, customer: customer.code };
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  return undefined;
}

async function main(): Promise<void> {
  loadDotEnv();
  const secrets = demoSecrets();
  const apiPort = process.env.API_PORT ?? '3000';
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/exact_sync',
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    ADMIN_TOKEN: process.env.ADMIN_TOKEN ?? secrets.ADMIN_TOKEN,
    TOKEN_ENCRYPTION_KEY: process.env.TOKEN_ENCRYPTION_KEY ?? secrets.TOKEN_ENCRYPTION_KEY,
    API_PORT: apiPort,
    WORKER_PORT: process.env.WORKER_PORT ?? '3001',
    PUBLIC_URL: process.env.PUBLIC_URL ?? `http://127.0.0.1:${apiPort}`,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  };
  const demo = !env.EXACT_CLIENT_ID;

  console.log('migrating the database…');
  await ensureDatabase(env.DATABASE_URL ?? '');
  await migrateDatabase(env.DATABASE_URL ?? '');

  let simUrl: string | undefined;
  if (demo) {
    console.log('no EXACT_CLIENT_ID configured: starting the Exact simulator…');
    simUrl = await start(
      'exact-sim',
      'apps/exact-sim/dist/main.js',
      { ...env, SIM_PORT: process.env.SIM_PORT ?? '7070', LOG_LEVEL: 'warn' },
      /exact-sim listening on (\S+)/,
    );
    Object.assign(env, {
      EXACT_BASE_URL: simUrl,
      EXACT_CLIENT_ID: 'exact-sim-client',
      EXACT_CLIENT_SECRET: 'exact-sim-secret',
      EXACT_WEBHOOK_SECRET: 'exact-sim-webhook-secret',
      // A demo's storefront callback receiver runs on this machine, over plain http.
      CALLBACK_ALLOW_HTTP: env.CALLBACK_ALLOW_HTTP ?? 'true',
      CALLBACK_ALLOW_PRIVATE: env.CALLBACK_ALLOW_PRIVATE ?? 'true',
    });
  }

  const [apiUrl, workerUrl] = await Promise.all([
    start('api', 'apps/api/dist/server.js', env, /api listening on (\S+)/),
    start('worker', 'apps/worker/dist/main.js', env, /worker listening on (\S+)/),
  ]);
  const admin = env.ADMIN_TOKEN ?? '';

  const lines = [
    '',
    'exact-sync is running',
    `  api:          ${apiUrl}`,
    `  docs:         ${apiUrl}/docs`,
    `  operator:     ${apiUrl}/admin            (Basic auth: any user, the admin token as password)`,
    `  queues:       ${apiUrl}/admin/queues`,
    `  metrics:      ${apiUrl}/metrics and ${workerUrl}/metrics   (admin token, or METRICS_TOKEN if set)`,
    `  admin token:  ${admin}`,
  ];
  if (demo && simUrl) {
    const { id } = await connectDemo(apiUrl, admin);
    // Consumer (b2c) orders are booked on one account of the demo division.
    const accounts = await fetch(`${simUrl}/_sim/divisions/100001/entities/accounts`).then((r) => r.json());
    const consumerAccount = String((accounts as { data: { Code: string }[] }).data[0]?.Code ?? '').trim();
    await call(`${apiUrl}/v1/connections/${id}`, admin, 'PATCH', {
      channels: { b2c: { defaultAccountCode: consumerAccount } },
    });
    const b2b = (await call(`${apiUrl}/v1/connections/${id}/api-keys`, admin, 'POST', { channel: 'b2b' }))
      .json;
    const b2c = (await call(`${apiUrl}/v1/connections/${id}/api-keys`, admin, 'POST', { channel: 'b2c' }))
      .json;
    const b2bKey = (b2b as { key: string }).key;
    lines.push(
      `  simulator:    ${simUrl}   (Exact stand-in; control API under /_sim)`,
      `  connection:   ${id}`,
      `  b2b key:      ${b2bKey}`,
      `  b2c key:      ${(b2c as { key: string }).key}`,
    );
    const example = await exampleRecords(apiUrl, b2bKey, consumerAccount);
    const auth = `-H "Authorization: Bearer ${b2bKey}"`;
    lines.push(
      '',
      example
        ? `try (${example.sku} is an item of the demo division, ${example.customer} a customer):`
        : 'try (the catalogue is still syncing: take a SKU and a customer code from /v1/items and /v1/accounts):',
      `  curl ${auth} "${apiUrl}/v1/items?limit=5"`,
      `  curl ${auth} "${apiUrl}/v1/accounts?limit=5"`,
      `  curl ${auth} -H "content-type: application/json" ${apiUrl}/v1/orders \\`,
      `    -d '{"reference":"DEMO-1","customer":{"code":"${example?.customer ?? '<customer code>'}"},"lines":[{"sku":"${example?.sku ?? '<sku>'}","quantity":"1"}]}'`,
      `  curl ${auth} ${apiUrl}/v1/orders/<id from the answer>`,
    );
  } else {
    lines.push('', `connect a division: POST ${apiUrl}/v1/connections with the admin token (see README)`);
  }
  lines.push('', 'Ctrl-C stops everything.', 'ready');
  console.log(lines.join('\n'));
}

main().catch((error: unknown) => {
  void stopAll(1, `start failed: ${error instanceof Error ? error.message : String(error)}`);
});
