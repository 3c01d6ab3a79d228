import type { DivisionStore } from './dataset/division-store.ts';
import type { FaultScope } from './faults.ts';
import type { Reply } from './http.ts';
import type { SimState } from './state.ts';

/** A division-scoped API call that passed authentication, rate limits and the error budget. */
export interface ApiRequest {
  method: string;
  division: number;
  store: DivisionStore;
  clientId: string;
  /** The part in parentheses of `Entity(…)`, e.g. `guid'…'`. */
  key: string | null;
  query: URLSearchParams;
  body: string;
  /** `http://host:port` as the client reached us, for `__next` and `__metadata.uri`. */
  baseUrl: string;
}

export type ApiHandler = (state: SimState, req: ApiRequest) => Reply | Promise<Reply>;

/** One endpoint under `/api/v1/{division}/`; `name` is its canonical path, matched case-insensitively. */
export interface ApiRoute {
  name: string;
  scope: FaultScope;
  handlers: Partial<Record<string, ApiHandler>>;
}

/** Absolute URL of a path under the division. */
export const divisionUrl = (req: ApiRequest, path: string): string =>
  `${req.baseUrl}/api/v1/${req.division}/${path}`;

/** Percent-encodes a query part but keeps `$`, `,` and `'` readable, as in Exact's own links. */
const encode = (text: string): string =>
  encodeURIComponent(text).replaceAll('%24', '$').replaceAll('%2C', ',').replaceAll('%27', "'");

/** Rebuilds a query with one parameter replaced. */
export function withParam(query: URLSearchParams, name: string, value: string): string {
  const next = new URLSearchParams(query);
  next.set(name, value);
  return [...next].map(([k, v]) => `${encode(k)}=${encode(v)}`).join('&');
}
