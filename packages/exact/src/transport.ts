import { Pool } from 'undici';
import type { HeaderBag } from './rate-headers.ts';

/** One HTTP request to Exact; `url` is absolute. */
export interface TransportRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  headers: Record<string, string>;
  body?: string;
}

/**
 * The whole response, body read as text.
 * @internal exported for tests
 */
export interface TransportResponse {
  status: number;
  headers: HeaderBag;
  body: string;
}

/**
 * How the client talks HTTP. The default is undici with a keep-alive pool per Exact host; tests and benches may
 * wrap it to watch every response. Rejects only when no response arrived (timeout, reset, refused).
 */
export interface Transport {
  request(req: TransportRequest): Promise<TransportResponse>;
  /** Closes idle connections; in-flight requests finish first. */
  close(): Promise<void>;
}

export interface UndiciTransportOptions {
  /** Default 10 s. */
  connectTimeoutMs?: number;
  /** Time to the response headers; default 30 s (sync pages of 1,000 records can take a while on Exact). */
  headersTimeoutMs?: number;
  /** Time between body chunks; default 60 s. */
  bodyTimeoutMs?: number;
  /** How long an idle connection stays open; default 30 s. */
  keepAliveTimeoutMs?: number;
  /** Parallel connections per host; default 8 (the rate limit, not sockets, bounds throughput). */
  connectionsPerHost?: number;
}

/** An undici transport: one pooled keep-alive client per Exact origin, created on first use. */
export function createUndiciTransport(options: UndiciTransportOptions = {}): Transport {
  const pools = new Map<string, Pool>();
  const poolFor = (origin: string): Pool => {
    let pool = pools.get(origin);
    if (!pool) {
      pool = new Pool(origin, {
        connections: options.connectionsPerHost ?? 8,
        connectTimeout: options.connectTimeoutMs ?? 10_000,
        headersTimeout: options.headersTimeoutMs ?? 30_000,
        bodyTimeout: options.bodyTimeoutMs ?? 60_000,
        keepAliveTimeout: options.keepAliveTimeoutMs ?? 30_000,
      });
      pools.set(origin, pool);
    }
    return pool;
  };
  return {
    async request(req) {
      const url = new URL(req.url);
      const res = await poolFor(url.origin).request({
        method: req.method,
        path: `${url.pathname}${url.search}`,
        headers: req.headers,
        body: req.body ?? null,
      });
      const body = await res.body.text();
      return { status: res.statusCode, headers: res.headers, body };
    },
    async close() {
      const all = [...pools.values()];
      pools.clear();
      await Promise.all(all.map((p) => p.close()));
    },
  };
}
