import { z } from 'zod';

/** One OAuth client (an "app" in Exact's terms) the simulator accepts. */
export interface SimClient {
  clientId: string;
  clientSecret: string;
  webhookSecret: string;
}

/** Everything the simulator can be told. All lengths are milliseconds of simulator time. */
export interface SimConfig {
  /** Length of the "minutely" rate window; windows are aligned to multiples of it on the sim clock. */
  minuteMs: number;
  /** Length of the daily rate window (86,400,000 aligns it to 00:00 UTC). */
  dayMs: number;
  minuteLimit: number;
  dayLimit: number;
  /** Whether order POSTs count toward the daily limit (they always count toward the minutely one). */
  ordersCountDaily: boolean;
  /** Life of an access token, in whole seconds as `expires_in` says it. */
  accessTokenTtlMs: number;
  /**
   * A refresh earlier than this after the last issue is refused. Null (the default) follows Exact: the token's life
   * minus 30 s (570 s for 600 s tokens; the last half for tokens shorter than a minute).
   */
  refreshMinAgeMs: number | null;
  refreshTokenTtlMs: number;
  authCodeTtlMs: number;
  /** Token endpoint calls per client per day window. */
  tokenCallsPerDay: number;
  /** 4xx responses per client, division and endpoint per error window before the endpoint is blocked. */
  errorLimit: number;
  errorWindowMs: number;
  errorBlockMs: number;
  syncPageSize: number;
  crudPageSize: number;
  seed: number;
  divisions: number[];
  /** Items per division. */
  items: number;
  /** Accounts per division. */
  accounts: number;
  /** Addresses per account: a visit address, then an invoice address, then delivery addresses. */
  addressesPerAccount: number;
  /** Contact persons per account (the first is the main contact). */
  contactsPerAccount: number;
  /** Customer price lists per division (with periods and volume discounts). */
  priceLists: number;
  /**
   * Whether `salesorder/SalesOrders` accepts `WarehouseID`: Exact takes it only in the Wholesale & Distribution and
   * Manufacturing editions, and refuses it elsewhere.
   */
  warehouseIdOnOrders: boolean;
  clients: SimClient[];
  /** CurrentDivision of `current/Me`; 0 means the first division. */
  userDivision: number;
  /**
   * Whether Edm.Int64 values (Timestamps) are sent as JSON strings, as Exact does for some: 'sometimes' (odd values)
   * makes every page mix numbers and strings, so a client must cope with both.
   */
  timestampsAsStrings: 'never' | 'sometimes' | 'always';
  /**
   * Deletions of entity types the simulator does not store (sales invoices, order lines, …) per `dayMs`, spread
   * over the sim clock: they enter `sync/Deleted` beside the stored entities' deletions, as in a real division.
   */
  foreignDeletionsPerDay: number;
}

export const DEFAULT_CONFIG: SimConfig = {
  minuteMs: 60_000,
  dayMs: 86_400_000,
  minuteLimit: 60,
  dayLimit: 5000,
  ordersCountDaily: true,
  accessTokenTtlMs: 600_000,
  refreshMinAgeMs: null,
  refreshTokenTtlMs: 30 * 86_400_000,
  authCodeTtlMs: 180_000,
  tokenCallsPerDay: 200,
  errorLimit: 10,
  errorWindowMs: 3_600_000,
  errorBlockMs: 3_600_000,
  syncPageSize: 1000,
  crudPageSize: 60,
  seed: 1,
  divisions: [100001, 100002],
  items: 500,
  accounts: 200,
  addressesPerAccount: 3,
  contactsPerAccount: 2,
  priceLists: 4,
  warehouseIdOnOrders: false,
  clients: [
    {
      clientId: 'exact-sim-client',
      clientSecret: 'exact-sim-secret',
      webhookSecret: 'exact-sim-webhook-secret',
    },
  ],
  userDivision: 0,
  timestampsAsStrings: 'sometimes',
  foreignDeletionsPerDay: 0,
};

const positive = z.number().int().positive();
const nonNegative = z.number().int().nonnegative();

/** Validates a partial SimConfig (control API bodies and SIM_CONFIG). Unknown keys are refused. */
export const simConfigPatchSchema = z
  .strictObject({
    minuteMs: positive,
    dayMs: positive,
    minuteLimit: nonNegative,
    dayLimit: nonNegative,
    ordersCountDaily: z.boolean(),
    accessTokenTtlMs: positive,
    refreshMinAgeMs: nonNegative.nullable(),
    refreshTokenTtlMs: positive,
    authCodeTtlMs: positive,
    tokenCallsPerDay: nonNegative,
    errorLimit: positive,
    errorWindowMs: positive,
    errorBlockMs: nonNegative,
    syncPageSize: positive.max(100_000),
    crudPageSize: positive.max(10_000),
    seed: z.number().int(),
    divisions: z.array(z.number().int().positive().max(999_999_999)).min(1).max(100),
    items: nonNegative.max(2_000_000),
    accounts: positive.max(1_000_000),
    addressesPerAccount: nonNegative.max(50),
    contactsPerAccount: nonNegative.max(50),
    priceLists: nonNegative.max(1000),
    warehouseIdOnOrders: z.boolean(),
    clients: z
      .array(
        z.strictObject({ clientId: z.string().min(1), clientSecret: z.string(), webhookSecret: z.string() }),
      )
      .min(1),
    userDivision: nonNegative,
    timestampsAsStrings: z.enum(['never', 'sometimes', 'always']),
    foreignDeletionsPerDay: nonNegative.max(1_000_000_000),
  })
  .partial();

export type SimConfigPatch = z.infer<typeof simConfigPatchSchema>;

/** Applies a patch over a config, dropping undefined values so they never erase a setting. */
export function mergeConfig(base: SimConfig, patch: SimConfigPatch): SimConfig {
  const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
  return { ...base, ...defined, divisions: [...(patch.divisions ?? base.divisions)] };
}

/** The division `current/Me` reports. */
export function userDivisionOf(config: SimConfig): number {
  return config.userDivision || (config.divisions[0] ?? 0);
}
