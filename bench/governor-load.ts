/**
 * The governor under load: four worker processes hammer the sync lane of one division of the simulator (5 s
 * "minutes" of 60 calls), a fifth hammers a second division, and this process places orders at random moments on
 * the first. Prints, per window, the calls Exact counted by lane, the share of the sync lane used, 429s, and the
 * orders' grant latency. `--quick` runs 3 windows instead of 12.
 *
 *   node_modules/.bin/tsx bench/governor-load.ts [--quick]
 */
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  createExactClient,
  createGovernor,
  createUndiciTransport,
  type Governor,
  parseRateHeaders,
  systemClock,
  type Transport,
} from '@exact-sync/exact';
import { deleteRedisKeys, repoRoot, startSimulator } from '@exact-sync/testkit';
import { Redis } from 'ioredis';

const quick = process.argv.includes('--quick');
const MINUTE_MS = 5000;
const WINDOWS = quick ? 3 : 12;
const LIMIT = 60;
const RESERVE = 10;
const SHARE = LIMIT - RESERVE;
const [A, B] = [100001, 100002];
const WORKERS_A = 4;
const LOOPS = 2;
const redisUrl = process.env.REDIS_URL ?? process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `bench-gov-${process.pid}-${Date.now().toString(36)}`;

interface HammerReport {
  pid: number;
  division: number;
  answers: { reset: number; status: number; count: number }[];
  refusals: Record<string, number>;
}

interface OrderRun {
  arrivedAt: number;
  grantedAt: number;
  doneAt: number;
  status: number;
  reset: number;
}

const sim = await startSimulator({
  SIM_MINUTE_MS: String(MINUTE_MS),
  SIM_MINUTE_LIMIT: String(LIMIT),
  SIM_DAY_LIMIT: '1000000',
  SIM_DIVISIONS: `${A},${B}`,
  SIM_ITEMS: '3000',
  SIM_CONFIG: JSON.stringify({ syncPageSize: 200 }),
});
const startAt = Math.ceil((Date.now() + 8000) / MINUTE_MS) * MINUTE_MS;
const endAt = startAt + WINDOWS * MINUTE_MS;

function startHammer(division: number): Promise<HammerReport> {
  const child = spawn(`${repoRoot}node_modules/.bin/tsx`, [`${repoRoot}bench/governor-hammer.ts`], {
    cwd: repoRoot,
    env: {
      ...process.env,
      SIM_URL: sim.url,
      REDIS_URL: redisUrl,
      KEY_PREFIX: prefix,
      DIVISION: String(division),
      START_AT: String(startAt),
      END_AT: String(endAt),
      LOOPS: String(LOOPS),
      RESERVE_MINUTE: String(RESERVE),
      RESERVE_DAY: '300',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => {
    out += c.toString();
  });
  child.stderr.on('data', (c: Buffer) => {
    err += c.toString();
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      if (code !== 0 || line === '') reject(new Error(`hammer exited with ${code}:\n${err}`));
      else resolve(JSON.parse(line) as HammerReport);
    });
  });
}

/** The order side: one more connection to division A, placing an order at random moments. */
async function placeOrders(): Promise<OrderRun[]> {
  const redis = new Redis(redisUrl);
  const base = createGovernor(
    { redis, clock: systemClock, keyPrefix: prefix },
    { syncReservePerMinute: RESERVE, syncReservePerDay: 300 },
  );
  let grantedAt = 0;
  const governor: Governor = {
    ...base,
    async acquire(key, lane, endpoint) {
      const result = await base.acquire(key, lane, endpoint);
      if (result.granted) grantedAt = Date.now();
      return result;
    },
  };
  let lastPost = { status: 0, reset: 0 };
  const inner = createUndiciTransport();
  const transport: Transport = {
    async request(req) {
      const res = await inner.request(req);
      if (req.method === 'POST')
        lastPost = { status: res.status, reset: parseRateHeaders(res.headers).minuteReset ?? 0 };
      return res;
    },
    close: () => inner.close(),
  };
  const tokenRes = await fetch(`${sim.url}/_sim/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ division: A }),
  });
  const { access_token: token } = (await tokenRes.json()) as { access_token: string };
  const tokens = { accessToken: async () => token, refreshAfterUnauthorized: async () => token };
  const client = createExactClient(
    { governor, tokens, clock: systemClock, transport },
    { baseUrl: sim.url, division: A },
  );
  const account = (await client.syncPage('CRM/Accounts', { select: ['ID'] }, 'order')).records[0]?.ID;
  const item = (await client.syncPage('Logistics/Items', { select: ['ID'] }, 'order')).records[0]?.ID;

  const runs: OrderRun[] = [];
  await sleep(startAt - Date.now());
  for (let n = 0; ; n += 1) {
    await sleep(300 + Math.random() * 1200);
    if (Date.now() > endAt - 500) break;
    const arrivedAt = Date.now();
    await client.createSalesOrder(
      {
        OrderedBy: String(account),
        YourRef: `LOAD-${n}`,
        SalesOrderLines: [{ Item: String(item), Quantity: 1 }],
      },
      'order',
      { maxWaitMs: MINUTE_MS },
    );
    runs.push({ arrivedAt, grantedAt, doneAt: Date.now(), ...lastPost });
  }
  await transport.close();
  redis.disconnect();
  return runs;
}

const pct = (values: number[], p: number): number => {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
};
const windowOf = (t: number): number => (Math.floor(t / MINUTE_MS) + 1) * MINUTE_MS;

try {
  console.log(
    `governor-load: ${WORKERS_A} processes x ${LOOPS} loops on division ${A}, 1 x ${LOOPS} on ${B}, ` +
      `${WINDOWS} windows of ${MINUTE_MS} ms, limit ${LIMIT}/window, sync share ${SHARE}`,
  );
  const hammers = [...Array.from({ length: WORKERS_A }, () => startHammer(A)), startHammer(B)];
  const [orders, ...reports] = await Promise.all([placeOrders(), ...hammers]);

  const counted = (division: number, ok: boolean) => {
    const map = new Map<number, number>();
    for (const r of reports.filter((x) => x.division === division)) {
      for (const a of r.answers) {
        if (a.status < 300 !== ok) continue;
        map.set(a.reset, (map.get(a.reset) ?? 0) + a.count);
      }
    }
    return map;
  };
  const syncA = counted(A, true);
  const syncB = counted(B, true);
  const windows = Array.from({ length: WINDOWS }, (_, i) => startAt + (i + 1) * MINUTE_MS);
  console.log('\nwindow end (sim time)      A sync  A orders  A share   B sync  B share');
  for (const w of windows) {
    const a = syncA.get(w) ?? 0;
    const b = syncB.get(w) ?? 0;
    const o = orders.filter((r) => r.reset === w).length;
    console.log(
      `${new Date(w).toISOString()}  ${String(a).padStart(6)}  ${String(o).padStart(8)}  ${((100 * a) / SHARE).toFixed(0).padStart(6)}%  ${String(b).padStart(7)}  ${((100 * b) / SHARE).toFixed(0).padStart(6)}%`,
    );
  }
  const sharesA = windows.map((w) => (syncA.get(w) ?? 0) / SHARE);
  const sharesB = windows.map((w) => (syncB.get(w) ?? 0) / SHARE);
  const stats = (await (await fetch(`${sim.url}/_sim/stats`)).json()) as {
    rateLimited: number;
    total: number;
  };
  const refusals: Record<string, number> = {};
  for (const r of reports) {
    for (const [k, v] of Object.entries(r.refusals)) refusals[k] = (refusals[k] ?? 0) + v;
  }
  const grant = orders.map((o) => o.grantedAt - o.arrivedAt);
  const total = orders.map((o) => o.doneAt - o.arrivedAt);
  const inWindow = orders.filter((o) => o.reset === windowOf(o.arrivedAt)).length;
  const fmt = (xs: number[]) => `p50 ${pct(xs, 50)} ms, p95 ${pct(xs, 95)} ms, max ${Math.max(...xs)} ms`;
  console.log(`\n429s at the simulator: ${stats.rateLimited} of ${stats.total} calls`);
  console.log(`governor refusals in the workers: ${JSON.stringify(refusals)}`);
  console.log(
    `sync share used, division A: min ${(100 * Math.min(...sharesA)).toFixed(1)}%, mean ${((100 * sharesA.reduce((s, x) => s + x, 0)) / WINDOWS).toFixed(1)}%`,
  );
  console.log(
    `sync share used, division B: min ${(100 * Math.min(...sharesB)).toFixed(1)}%, mean ${((100 * sharesB.reduce((s, x) => s + x, 0)) / WINDOWS).toFixed(1)}%`,
  );
  console.log(`orders: ${orders.length} placed, ${inWindow} granted in the window they arrived in`);
  console.log(`order grant latency: ${fmt(grant)}; until answered: ${fmt(total)}`);

  const ok =
    stats.rateLimited === 0 &&
    Math.min(...sharesA) >= 0.9 &&
    Math.min(...sharesB) >= 0.9 &&
    inWindow === orders.length &&
    orders.every((o) => o.status === 201);
  console.log(ok ? '\nRESULT: ok' : '\nRESULT: target missed');
  process.exitCode = ok ? 0 : 1;
} finally {
  await sim.stop();
  await deleteRedisKeys(prefix, redisUrl);
}
