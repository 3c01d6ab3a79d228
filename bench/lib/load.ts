import { createRequire } from 'node:module';

interface Histogram {
  average: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

interface AutocannonRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
  setupRequest?: (request: AutocannonRequest) => AutocannonRequest;
}

interface AutocannonResult {
  requests: Histogram & { total: number };
  latency: Histogram;
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodeStats: Record<string, { count: number }>;
}

type Autocannon = (options: {
  url: string;
  connections: number;
  duration: number;
  requests: AutocannonRequest[];
}) => Promise<AutocannonResult>;

// autocannon ships no types: the few fields used here are typed above.
const require = createRequire(import.meta.url);
const autocannon = require('autocannon') as Autocannon;

export interface LoadResult {
  label: string;
  requestsPerSecond: number;
  total: number;
  p50: number;
  p99: number;
  max: number;
  errors: number;
  statuses: Record<string, number>;
}

/**
 * POSTs to `url` from `connections` keep-alive connections for `seconds`, each request with a fresh body from
 * `body()` (so every order has its own reference).
 */
export async function postLoad(input: {
  label: string;
  url: string;
  path: string;
  headers: Record<string, string>;
  body: () => string;
  connections: number;
  seconds: number;
}): Promise<LoadResult> {
  const result = await autocannon({
    url: input.url,
    connections: input.connections,
    duration: input.seconds,
    requests: [
      {
        method: 'POST',
        path: input.path,
        headers: { 'content-type': 'application/json', ...input.headers },
        setupRequest: (request) => ({ ...request, body: input.body() }),
      },
    ],
  });
  const statuses: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats)) statuses[code] = Number(stat.count);
  return {
    label: input.label,
    requestsPerSecond: result.requests.total / result.duration,
    total: result.requests.total,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    errors: result.errors + result.timeouts,
    statuses,
  };
}
