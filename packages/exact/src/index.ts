export type { DivisionInfo, WebhookSubscription } from './admin.endpoints.ts';
export { budgetKeyFor } from './budget-key.ts';
export { type Clock, systemClock } from './clock.ts';
export {
  BudgetExhaustedError,
  type BudgetReason,
  EndpointGuardedError,
  ExactAuthError,
  ExactForbiddenError,
  ExactHttpError,
  ExactNetworkError,
  ExactNotFoundError,
  ExactRateLimitedError,
  ExactServerError,
  ExactValidationError,
  isAmbiguous,
  isPermanent,
  UnexpectedBodyError,
} from './errors.ts';
export type { CallOptions, ExactCallObserver, Logger } from './exact-call.ts';
export {
  createExactClient,
  type ExactClient,
  type ExactClientDeps,
  type ExactConnection,
} from './exact-client.ts';
export { ACCOUNT_LOOKUP_FIELDS, ITEM_LOOKUP_FIELDS, type LookupArgs } from './lookups.endpoints.ts';
export {
  parseExactDate,
  parseOptionalExactDate,
  type ResultPage,
  unwrapRecord,
  unwrapResults,
} from './odata.ts';
export {
  type AcquireResult,
  type BudgetSnapshot,
  createGovernor,
  type Governor,
  type GovernorDeps,
  type GovernorOptions,
  type Lane,
  type RecordedResponse,
  type WindowSnapshot,
} from './rate-governor.ts';
export { parseRateHeaders, type RateHeaders } from './rate-headers.ts';
export type {
  CreatedSalesOrder,
  SalesOrderInput,
  SalesOrderLineInput,
  SalesOrderRef,
} from './sales-orders.endpoints.ts';
export {
  DELETED_FIELDS,
  type DeletedPageArgs,
  type SyncEntityPath,
  type SyncPageArgs,
} from './sync.endpoints.ts';
export type { TokenProvider } from './token-provider.ts';
export * from './tokens/index.ts';
export {
  createUndiciTransport,
  type Transport,
  type TransportRequest,
  type TransportResponse,
  type UndiciTransportOptions,
} from './transport.ts';
