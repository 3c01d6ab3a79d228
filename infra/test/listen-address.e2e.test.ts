import { existsSync, readFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import {
  createTestDatabase,
  deleteRedisKeys,
  type RunningProcess,
  startEntry,
  type TestDatabase,
  testRedisUrl,
  uniqueName,
} from '@exact-sync/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// What the processes bind to unless told otherwise: loopback only. Containers set API_HOST / WORKER_HOST to 0.0.0.0
// (the image, docker-compose.yml and infra/k8s do), or probes and other containers could not reach them.
const prefix = uniqueName('listen');
let db: TestDatabase;
const running: RunningProcess[] = [];
// An address of this machine that other machines would use; none in some sandboxes.
const lanAddress = Object.values(networkInterfaces())
  .flat()
  .find((i) => i?.family === 'IPv4' && !i.internal)?.address;

beforeAll(async () => {
  db = await createTestDatabase('listen');
});

afterAll(async () => {
  await Promise.all(running.map((p) => p.stop()));
  await db?.drop();
  await deleteRedisKeys(`{${prefix}}`);
  await deleteRedisKeys(`${prefix}:`);
});

/** The IPv4 address a TCP port listens on, as the kernel lists it (Linux); undefined elsewhere or when not found. */
function boundAddress(port: number): string | undefined {
  if (!existsSync('/proc/net/tcp')) return undefined;
  const portHex = port.toString(16).toUpperCase().padStart(4, '0');
  for (const line of readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1)) {
    const [, local = '', , state] = line.trim().split(/\s+/);
    const [ipHex = '', p] = local.split(':');
    // 0A: LISTEN. The address is little-endian hex.
    if (p === portHex && state === '0A')
      return (ipHex.match(/../g) ?? [])
        .map((b) => parseInt(b, 16))
        .reverse()
        .join('.');
  }
  return undefined;
}

/** Starts an app on a free port and answers the port. */
async function start(role: 'api' | 'worker', env: Record<string, string> = {}): Promise<number> {
  const entry = role === 'api' ? 'apps/api/src/server.ts' : 'apps/worker/src/main.ts';
  const proc = await startEntry(entry, {
    env: {
      DATABASE_URL: db.url,
      REDIS_URL: testRedisUrl(),
      REDIS_PREFIX: prefix,
      EXACT_BASE_URL: 'http://127.0.0.1:1',
      EXACT_CLIENT_ID: 'client',
      EXACT_CLIENT_SECRET: 'secret',
      TOKEN_ENCRYPTION_KEY: 'ab'.repeat(32),
      ADMIN_TOKEN: 'listen-admin-token-0123456789',
      API_PORT: '0',
      WORKER_PORT: '0',
      API_HOST: '',
      WORKER_HOST: '',
      LOG_LEVEL: 'info',
      ...env,
    },
    ready: /"address":"(http:\/\/[^"]+)"/,
  });
  running.push(proc);
  return Number(new URL(proc.match).port);
}

const canCheck = existsSync('/proc/net/tcp') || lanAddress !== undefined;
const reachable = (url: string) =>
  fetch(url, { signal: AbortSignal.timeout(3_000) }).then(
    (res) => res.ok,
    () => false,
  );

describe.skipIf(!canCheck)('listen address', () => {
  it('is loopback for the api and the worker unless API_HOST / WORKER_HOST say otherwise', async () => {
    for (const role of ['api', 'worker'] as const) {
      const port = await start(role);
      if (existsSync('/proc/net/tcp')) expect(boundAddress(port), role).toBe('127.0.0.1');
      expect(await reachable(`http://127.0.0.1:${port}/health/live`), role).toBe(true);
      if (lanAddress) expect(await reachable(`http://${lanAddress}:${port}/health/live`), role).toBe(false);
    }
  });

  it('is every interface with API_HOST=0.0.0.0 and WORKER_HOST=0.0.0.0, as in containers', async () => {
    for (const [role, variable] of [
      ['api', 'API_HOST'],
      ['worker', 'WORKER_HOST'],
    ] as const) {
      const port = await start(role, { [variable]: '0.0.0.0' });
      if (existsSync('/proc/net/tcp')) expect(boundAddress(port), role).toBe('0.0.0.0');
      expect(await reachable(`http://127.0.0.1:${port}/health/live`), role).toBe(true);
      if (lanAddress) expect(await reachable(`http://${lanAddress}:${port}/health/live`), role).toBe(true);
    }
  });
});
