import { z } from 'zod';
import { type SimConfigPatch, simConfigPatchSchema } from './config.ts';

const int = (fallback: number) => z.coerce.number().int().nonnegative().default(fallback);
const bool = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0'])
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1');

const envSchema = z.object({
  /** Port to listen on; 0 picks a free one. */
  SIM_PORT: int(7070).refine((p) => p <= 65_535, 'must be a port number'),
  /** Address to listen on: 127.0.0.1 by default; 0.0.0.0 in a container, so other containers reach it. */
  SIM_HOST: z.string().min(1).default('127.0.0.1'),
  /** Seed of the generated dataset and of every random choice. */
  SIM_SEED: z.coerce.number().int().default(1),
  /** Divisions (Exact company numbers), comma separated. */
  SIM_DIVISIONS: z
    .string()
    .default('100001,100002')
    .transform((s) => s.split(',').map((d) => Number(d.trim())))
    .refine(
      (list) => list.length > 0 && list.every((d) => Number.isInteger(d) && d > 0),
      'positive integers, comma separated',
    ),
  /** Items per division. */
  SIM_ITEMS: int(500),
  /** Accounts per division. */
  SIM_ACCOUNTS: int(200),
  /** The OAuth app the simulator accepts. */
  SIM_CLIENT_ID: z.string().min(1).default('exact-sim-client'),
  SIM_CLIENT_SECRET: z.string().min(1).default('exact-sim-secret'),
  /** Key of the webhooks' HashCode. */
  SIM_WEBHOOK_SECRET: z.string().min(1).default('exact-sim-webhook-secret'),
  /** Rate window lengths (ms of simulator time) and limits. */
  SIM_MINUTE_MS: int(60_000),
  SIM_DAY_MS: int(86_400_000),
  SIM_MINUTE_LIMIT: int(60),
  SIM_DAY_LIMIT: int(5000),
  /** Whether order POSTs count toward the daily limit. */
  SIM_ORDERS_COUNT_DAILY: bool(true),
  /** Optional JSON object of SimConfig fields, applied over everything above. */
  SIM_CONFIG: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('warn'),
});

export interface SimEnv {
  port: number;
  host: string;
  logLevel: string;
  config: SimConfigPatch;
}

/** Reads the environment once; throws one error listing every bad variable. */
export function parseEnv(env: NodeJS.ProcessEnv): SimEnv {
  const result = envSchema.safeParse(env);
  const problems = result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  let overrides: SimConfigPatch = {};
  if (result.success && result.data.SIM_CONFIG) {
    let json: unknown;
    try {
      json = JSON.parse(result.data.SIM_CONFIG);
    } catch {
      problems.push('SIM_CONFIG: not valid JSON');
    }
    const parsed = simConfigPatchSchema.safeParse(json);
    if (json !== undefined && !parsed.success) {
      problems.push(...parsed.error.issues.map((i) => `SIM_CONFIG.${i.path.join('.')}: ${i.message}`));
    }
    if (parsed.success) overrides = parsed.data;
  }
  if (!result.success || problems.length > 0) {
    throw new Error(`Invalid environment:\n  ${problems.join('\n  ')}`);
  }
  const e = result.data;
  return {
    port: e.SIM_PORT,
    host: e.SIM_HOST,
    logLevel: e.LOG_LEVEL,
    config: {
      seed: e.SIM_SEED,
      divisions: e.SIM_DIVISIONS,
      items: e.SIM_ITEMS,
      accounts: e.SIM_ACCOUNTS,
      clients: [
        { clientId: e.SIM_CLIENT_ID, clientSecret: e.SIM_CLIENT_SECRET, webhookSecret: e.SIM_WEBHOOK_SECRET },
      ],
      minuteMs: e.SIM_MINUTE_MS,
      dayMs: e.SIM_DAY_MS,
      minuteLimit: e.SIM_MINUTE_LIMIT,
      dayLimit: e.SIM_DAY_LIMIT,
      ordersCountDaily: e.SIM_ORDERS_COUNT_DAILY,
      ...overrides,
    },
  };
}
