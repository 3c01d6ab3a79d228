import { freePort } from './ports.ts';
import { builtEntry, type RunningProcess, startEntry, startSimulator } from './processes.ts';
import { type SimControl, simControl } from './sim-control.ts';

export const STACK_ADMIN_TOKEN = 'stack-admin-token-0123456789';
/** The scraper's read-only token of the stack's api and workers. */
export const STACK_METRICS_TOKEN = 'stack-metrics-token-0123456789';

export interface StackOptions {
  databaseUrl: string;
  redisUrl: string;
  redisPrefix: string;
  /** Environment of the simulator (SIM_ITEMS, SIM_MINUTE_MS, …). */
  simEnv?: Record<string, string>;
  /** Environment added to both api and worker. */
  env?: Record<string, string>;
  workers?: number;
  /** Runs simulator, api and workers as built by `pnpm build` (node, dist/), not from source with tsx. */
  built?: boolean;
  /** Runs api and workers from source through tsx's CLI, as `pnpm dev` does (see `StartOptions.tsxCli`). */
  tsxCli?: boolean;
}

export interface Stack {
  readonly sim: RunningProcess & { url: string };
  readonly simControl: SimControl;
  readonly api: RunningProcess;
  readonly apiUrl: string;
  /** `match` is each worker's own URL (health and `/metrics`). */
  readonly workers: (RunningProcess & { match: string })[];
  /** The environment api and worker run with (secrets included: tests grep logs for them). */
  readonly env: Record<string, string>;
  startWorker(): Promise<RunningProcess & { match: string }>;
  /** Operator or storefront call to the api; answers status and parsed JSON. */
  call(
    method: string,
    path: string,
    options?: { token?: string; body?: unknown },
  ): Promise<{ status: number; body: unknown }>;
  stop(): Promise<void>;
}

/** Starts the simulator, the api and worker processes against the given Postgres and Redis. */
export async function startStack(options: StackOptions): Promise<Stack> {
  const sim = await startSimulator(options.simEnv, { built: options.built });
  const entry = (source: string) => (options.built ? builtEntry(source) : source);
  const apiPort = await freePort();
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const env: Record<string, string> = {
    DATABASE_URL: options.databaseUrl,
    REDIS_URL: options.redisUrl,
    REDIS_PREFIX: options.redisPrefix,
    EXACT_BASE_URL: sim.url,
    EXACT_CLIENT_ID: 'exact-sim-client',
    EXACT_CLIENT_SECRET: 'exact-sim-secret',
    EXACT_WEBHOOK_SECRET: 'exact-sim-webhook-secret',
    TOKEN_ENCRYPTION_KEY: 'ab'.repeat(32),
    ADMIN_TOKEN: STACK_ADMIN_TOKEN,
    METRICS_TOKEN: STACK_METRICS_TOKEN,
    PUBLIC_URL: apiUrl,
    API_PORT: String(apiPort),
    WORKER_PORT: '0',
    LOG_LEVEL: 'info',
    MAINTENANCE_INTERVAL_MS: '1000',
    SYNC_MIN_INTERVAL_MS: '2000',
    ...options.env,
  };
  const startWorker = () =>
    startEntry(entry('apps/worker/src/main.ts'), {
      env,
      ready: /worker listening on (\S+)/,
      tsxCli: options.tsxCli,
    });
  const workers: (RunningProcess & { match: string })[] = [];
  let api: RunningProcess;
  try {
    api = await startEntry(entry('apps/api/src/server.ts'), {
      env,
      ready: /api listening on (\S+)/,
      tsxCli: options.tsxCli,
    });
    for (let i = 0; i < (options.workers ?? 1); i++) workers.push(await startWorker());
  } catch (error) {
    // Nothing started may outlive a failed start: the caller would hang on the leftovers.
    await Promise.all(workers.map((w) => w.stop()));
    await sim.stop();
    throw error;
  }

  async function call(method: string, path: string, opts: { token?: string; body?: unknown } = {}) {
    const res = await fetch(`${apiUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${opts.token ?? STACK_ADMIN_TOKEN}`,
        ...(opts.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body };
  }

  return {
    sim,
    simControl: simControl(sim.url),
    api,
    apiUrl,
    workers,
    env,
    async startWorker() {
      const worker = await startWorker();
      workers.push(worker);
      return worker;
    },
    call,
    async stop() {
      await Promise.all(workers.map((w) => w.stop()));
      await api.stop();
      await sim.stop();
    },
  };
}

/**
 * Connects a division through the real OAuth flow, as a person with a browser would: create the connection, open
 * the signed authorize link, let the simulator approve, follow its redirect to the callback. Answers the id.
 */
export async function onboard(
  stack: Stack,
  input: { name?: string; division?: number } = {},
): Promise<string> {
  const created = await stack.call('POST', '/v1/connections', {
    body: { name: input.name ?? 'Demo shop', division: input.division },
  });
  if (created.status !== 201)
    throw new Error(`create connection: ${created.status} ${JSON.stringify(created.body)}`);
  const { id, authorizeUrl } = created.body as { id: string; authorizeUrl: string };
  let url = authorizeUrl;
  for (let hop = 0; hop < 4; hop++) {
    // The person switches to the connection's division on Exact's login page (the simulator's `sim_division`).
    if (input.division !== undefined && url.startsWith(`${stack.sim.url}/api/oauth2/auth`)) {
      const chosen = new URL(url);
      chosen.searchParams.set('sim_division', String(input.division));
      url = chosen.toString();
    }
    const res = await fetch(url, { redirect: 'manual' });
    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location) {
      url = new URL(location, url).toString();
      continue;
    }
    if (res.status !== 200) throw new Error(`authorization stopped at ${res.status}: ${await res.text()}`);
    return id;
  }
  throw new Error('too many redirects while authorizing');
}

/** Issues a storefront API key of a channel for a connection. */
export async function storefrontKey(
  stack: Stack,
  connectionId: string,
  channel: 'b2b' | 'b2c',
): Promise<string> {
  const res = await stack.call('POST', `/v1/connections/${connectionId}/api-keys`, { body: { channel } });
  if (res.status !== 201) throw new Error(`api key: ${res.status} ${JSON.stringify(res.body)}`);
  return (res.body as { key: string }).key;
}
