import { adminEndpoints } from './admin.endpoints.ts';
import { budgetKeyFor } from './budget-key.ts';
import type { Clock } from './clock.ts';
import { createEndpointContext } from './endpoint-context.ts';
import { createExactCall, type ExactCallObserver, type Logger } from './exact-call.ts';
import { lookupEndpoints } from './lookups.endpoints.ts';
import type { Governor } from './rate-governor.ts';
import { salesOrderEndpoints } from './sales-orders.endpoints.ts';
import { syncEndpoints } from './sync.endpoints.ts';
import type { TokenProvider } from './token-provider.ts';
import { createUndiciTransport, type Transport } from './transport.ts';

/** What a client runs on; `governor`, `tokens` and `transport` are shared by every client of a process. */
export interface ExactClientDeps {
  governor: Governor;
  tokens: TokenProvider;
  clock: Clock;
  /** Share one transport between the clients of a process (one pool per Exact host); default: the client's own. */
  transport?: Transport;
  logger?: Logger;
  /** Sees every response and every call the error guard refused (the apps count them for Prometheus). */
  observer?: ExactCallObserver;
}

/** Which Exact administration the client talks to. */
export interface ExactConnection {
  /** E.g. `https://start.exactonline.nl`, another country's host, or the simulator. */
  baseUrl: string;
  division: number;
  /** Default `budgetKeyFor(baseUrl, division)`, so two connections to one division share a budget. */
  budgetKey?: string;
}

/**
 * A client for one connection's division. Every call goes through the error guard and the rate governor; `lane`
 * says whose budget it takes. Sync-lane calls never sleep (they throw `BudgetExhaustedError`); order-lane calls may
 * sleep up to `options.maxWaitMs` (default 2 s) for a grant.
 */
export type ExactClient = ReturnType<typeof syncEndpoints> &
  ReturnType<typeof salesOrderEndpoints> &
  ReturnType<typeof lookupEndpoints> &
  ReturnType<typeof adminEndpoints> & {
    readonly budgetKey: string;
    readonly division: number;
    /** Closes the client's own transport (a transport passed in is left to its owner). */
    close(): Promise<void>;
  };

/** Creates the client for one connection. */
export function createExactClient(deps: ExactClientDeps, connection: ExactConnection): ExactClient {
  const budgetKey = connection.budgetKey ?? budgetKeyFor(connection.baseUrl, connection.division);
  const ownsTransport = deps.transport === undefined;
  const transport = deps.transport ?? createUndiciTransport();
  const call = createExactCall({ ...deps, transport }, budgetKey);
  const ctx = createEndpointContext(call, connection.baseUrl, connection.division);
  return {
    ...syncEndpoints(ctx),
    ...salesOrderEndpoints(ctx),
    ...lookupEndpoints(ctx),
    ...adminEndpoints(ctx),
    budgetKey,
    division: connection.division,
    async close() {
      if (ownsTransport) await transport.close();
    },
  };
}
