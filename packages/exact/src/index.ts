export { budgetKeyFor } from './budget-key.ts';
export {
  /** @internal */
  CLIENT_FILTERS,
  /** @internal */
  CLIENT_POSTS,
  /** @internal */
  CLIENT_SELECTS,
} from './client-fields.ts';
export { type Clock, systemClock } from './clock.ts';
export {
  /** @internal */
  BudgetExhaustedError,
  EndpointGuardedError,
  ExactValidationError,
  isPermanent,
  RetryLaterError,
} from './errors.ts';
export type { ExactCallObserver } from './exact-call.ts';
export { createExactClient, type ExactClient } from './exact-client.ts';
export { isAllowedExactOrigin } from './exact-hosts.ts';
export { parseOptionalExactDate } from './odata.ts';
export {
  type BudgetSnapshot,
  createGovernor,
  type Governor,
  /** @internal */
  type Lane,
  type WindowSnapshot,
} from './rate-governor.ts';
export {
  /** @internal */
  parseRateHeaders,
} from './rate-headers.ts';
export type { SalesOrderInput } from './sales-orders.endpoints.ts';
export * from './tokens/index.ts';
export { createUndiciTransport, type Transport } from './transport.ts';
