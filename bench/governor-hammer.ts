/**
 * One worker process of bench/governor-load.ts: hammers the sync lane of one division as hard as the governor lets
 * it, like a sync worker whose refused jobs are delayed until the governor's time. Started by the load bench with
 * its settings in the environment; prints one JSON line with what Exact (the simulator) answered, per window.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import {
  BudgetExhaustedError,
  createExactClient,
  createGovernor,
  createUndiciTransport,
  parseRateHeaders,
  systemClock,
  type Transport,
} from '@exact-sync/exact';
import { Redis } from 'ioredis';

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`governor-hammer: ${name} is not set`);
  return value;
};

const simUrl = env('SIM_URL');
const division = Number(env('DIVISION'));
const startAt = Number(env('START_AT'));
const endAt = Number(env('END_AT'));
const loops = Number(env('LOOPS'));

/** Answers per (minute window reset, status), as the simulator counted them. */
const answers = new Map<string, number>();
const refusals = new Map<string, number>();

function counting(inner: Transport): Transport {
  return {
    async request(req) {
      const res = await inner.request(req);
      const reset = parseRateHeaders(res.headers).minuteReset ?? 0;
      const key = `${reset}|${res.status}`;
      answers.set(key, (answers.get(key) ?? 0) + 1);
      return res;
    },
    close: () => inner.close(),
  };
}

async function simToken(): Promise<string> {
  const res = await fetch(`${simUrl}/_sim/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ division }),
  });
  const body = (await res.json()) as { access_token: string };
  return body.access_token;
}

const redis = new Redis(env('REDIS_URL'));
const governor = createGovernor(
  { redis, clock: systemClock, keyPrefix: env('KEY_PREFIX') },
  { syncReservePerMinute: Number(env('RESERVE_MINUTE')), syncReservePerDay: Number(env('RESERVE_DAY')) },
);
const transport = counting(createUndiciTransport());
let token = await simToken();
const client = createExactClient(
  {
    governor,
    clock: systemClock,
    transport,
    tokens: {
      accessToken: async () => token,
      refreshAfterUnauthorized: async () => {
        token = await simToken();
        return token;
      },
    },
  },
  { baseUrl: simUrl, division },
);

async function hammer(): Promise<void> {
  let next: string | null = null;
  while (Date.now() < endAt) {
    try {
      const page = await client.syncPage('Logistics/Items', {
        next: next ?? undefined,
        select: ['ID', 'Code', 'Timestamp'],
      });
      next = page.next;
    } catch (err) {
      if (!(err instanceof BudgetExhaustedError)) throw err;
      refusals.set(err.reason, (refusals.get(err.reason) ?? 0) + 1);
      await sleep(Math.max(0, Math.min(err.until, endAt) - Date.now()));
    }
  }
}

console.error(`hammer ${process.pid} ready for division ${division}`);
await sleep(Math.max(0, startAt - Date.now()));
await Promise.all(Array.from({ length: loops }, hammer));
await transport.close();
redis.disconnect();
console.log(
  JSON.stringify({
    pid: process.pid,
    division,
    answers: [...answers].map(([key, count]) => {
      const [reset, status] = key.split('|').map(Number);
      return { reset, status, count };
    }),
    refusals: Object.fromEntries(refusals),
  }),
);
