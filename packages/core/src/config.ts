import { z } from 'zod';
import { decodeEncryptionKey, ENCRYPTION_KEY_RULE } from './encryption-key.ts';

const port = (fallback: number) => z.coerce.number().int().min(0).max(65_535).default(fallback);
const nonNegative = (fallback: number) => z.coerce.number().int().min(0).default(fallback);
const flag = z
  .enum(['true', 'false'], { error: 'must be true or false' })
  .default('false')
  .transform((v) => v === 'true');
const host = (fallback: string) =>
  z
    .string()
    .refine(
      (v) => [z.ipv4(), z.ipv6(), z.hostname()].some((format) => format.safeParse(v).success),
      'must be an IP address or a host name, e.g. 127.0.0.1 (this machine only) or 0.0.0.0 (every interface)',
    )
    .default(fallback);

/** 32 bytes, given as 64 hex characters or as base64 / base64url (encryption-key.ts has the one definition). */
const encryptionKey = z.string().refine((v) => decodeEncryptionKey(v) !== undefined, ENCRYPTION_KEY_RULE);

const serviceEnvFields = z.object({
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// URL' }),
  REDIS_URL: z.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' }),
  EXACT_BASE_URL: z.url({ protocol: /^https?$/ }).default('https://start.exactonline.nl'),
  EXACT_CLIENT_ID: z.string().min(1),
  EXACT_CLIENT_SECRET: z.string().min(1),
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  EXACT_WEBHOOK_SECRET: z.string().min(1).optional(),
  /** Key that encrypts OAuth tokens at rest (AES-256-GCM). */
  TOKEN_ENCRYPTION_KEY: encryptionKey,
  ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters'),
  /** Read-only bearer token for `/metrics` on the api and the worker (the scraper's); it opens nothing else. */
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  API_PORT: port(3000),
  WORKER_PORT: port(3001),
  /** Address the api listens on: this machine only unless set; containers set 0.0.0.0 (the image does). */
  API_HOST: host('127.0.0.1'),
  /** Address of the worker's health and metrics server, as API_HOST. */
  WORKER_HOST: host('127.0.0.1'),
  SYNC_RESERVE_PER_MINUTE: nonNegative(10),
  SYNC_RESERVE_PER_DAY: nonNegative(300),
  /** Shortest interval at which the sync planner polls an entity, in ms. */
  SYNC_MIN_INTERVAL_MS: z.coerce.number().int().min(100).default(60_000),
  /**
   * How long a webhook-triggered sync waits before it runs, in ms: deliveries within this window (after a run, or
   * before it starts) fold into one run.
   */
  WEBHOOK_DEBOUNCE_MS: z.coerce.number().int().min(0).default(3_000),
  /** How long an entity (or deletions chain) that Exact refused for good (400, 403, 404) waits before a retry, in ms. */
  SYNC_ERROR_RETRY_MS: z.coerce.number().int().min(100).default(3_600_000),
  /**
   * Days a deletions cursor may go without a complete run before it is deemed older than Exact's memory (Exact keeps
   * deletions two months): the entities it covers are then re-read in full, once.
   */
  DELETED_RETENTION_DAYS: z.coerce.number().min(0.0001).max(60).default(55),
  /**
   * The window over which the deletions strategy (one unfiltered chain, or one per entity type) is measured and
   * compared, in ms; also how often the unfiltered chain is probed while the per-type chains run.
   */
  DELETION_STRATEGY_WINDOW_MS: z.coerce.number().int().min(1_000).default(86_400_000),
  /** How often the worker reconciles queues with Postgres and re-plans polling, in ms. */
  MAINTENANCE_INTERVAL_MS: z.coerce.number().int().min(100).default(60_000),
  /**
   * Requests a minute one storefront API key may make over all storefront routes, counted in Redis across api
   * processes (each process counts on its own while Redis does not answer). High by default: it stops a runaway
   * client, not ordinary load or the ingest benchmark.
   */
  STOREFRONT_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(6000),
  /**
   * Storefront requests with an unknown, revoked or malformed key that one client address (an IPv6 /64) may make a
   * minute, counted in each api process; past it the address gets 429 before any key is looked up.
   */
  AUTH_FAILURES_PER_MINUTE: z.coerce.number().int().min(1).default(30),
  /** Lets callback URLs use plain http:// (a demo, a test); https only unless true. */
  CALLBACK_ALLOW_HTTP: flag,
  /** Lets callback URLs reach loopback, private, link-local and other non-public addresses; public only unless true. */
  CALLBACK_ALLOW_PRIVATE: flag,
  /**
   * First retry delay of a failed order callback, in ms; later retries wait fixed multiples of it, so the default
   * (10 s) spreads 15 attempts over about 25 hours before giving up. Lower it only for tests and demos.
   */
  CALLBACK_RETRY_BASE_MS: z.coerce.number().int().min(10).default(10_000),
  /**
   * Lookups in Exact (a SKU or customer not in the synced data) that one storefront key's orders may cause in an
   * hour; past it, such a code is rejected as unknown. Bounds what a key's made-up codes cost in calls.
   */
  ORDER_LOOKUPS_PER_KEY_PER_HOUR: z.coerce.number().int().min(0).default(20),
  /**
   * Orders of one storefront key that Exact itself may reject (a 4xx on the post) in an hour; once reached, the key
   * gets 429 on new orders and its accepted orders wait, so it cannot spend Exact's 10-errors-an-hour block.
   */
  ORDER_REJECTIONS_PER_KEY_PER_HOUR: z.coerce.number().int().min(1).default(2),
  /** How often the worker asks Exact whether a division moved (its Timestamps then restart), in ms. */
  DIVISION_CHECK_INTERVAL_MS: z.coerce.number().int().min(100).default(86_400_000),
  /**
   * How old a change must be before `updated_since` / cursor feeds show it, in ms: longer than the longest write
   * transaction, so a reader never moves past a change that has not committed yet.
   */
  FEED_SETTLE_MS: z.coerce.number().int().min(0).default(2_000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Prefix of every Redis key (queues and budgets), so several installations or tests can share one Redis. */
  REDIS_PREFIX: z
    .string()
    .regex(/^[a-zA-Z0-9_-]+$/, 'may only contain letters, digits, "-" and "_"')
    .default('exs'),
});

/**
 * Every environment variable of the api and the worker. Both read the same set; each uses what it needs. Names are
 * part of the service's interface (see DESIGN.md, "The interface").
 */
export const serviceEnvSchema = serviceEnvFields.refine(
  // The scraper's token is kept in more places (Prometheus, its Secret): it must not open the operator's routes.
  (env) => env.METRICS_TOKEN === undefined || env.METRICS_TOKEN !== env.ADMIN_TOKEN,
  { path: ['METRICS_TOKEN'], message: 'must differ from ADMIN_TOKEN' },
);
export type ServiceEnv = z.infer<typeof serviceEnvSchema>;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Parses the environment once; on failure the message lists every bad variable with the reason. */
export function parseEnv<S extends z.ZodType>(
  schema: S,
  env: Record<string, string | undefined>,
): z.infer<S> {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = schema.safeParse(cleaned);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const name = issue.path.join('.') || '(environment)';
    const reason = issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : issue.message;
    return `  ${name}: ${reason}`;
  });
  throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
}
