import type { ExactCall } from './exact-call.ts';

/** What each endpoint helper needs: the call pipeline and URLs for the connection's division. */
export interface EndpointContext {
  call: ExactCall;
  division: number;
  /** `{base}/api/v1/{division}/{path}{query}`. */
  divisionUrl(path: string, query?: string): string;
  /**
   * Resolves a `__next` link (opaque, usually absolute) against the connection's base. A link to another origin is
   * re-based onto ours, so the bearer token is never sent to a host the connection was not configured for.
   */
  nextUrl(next: string): string;
}

export function createEndpointContext(call: ExactCall, baseUrl: string, division: number): EndpointContext {
  const base = new URL(baseUrl);
  const root = baseUrl.replace(/\/+$/, '');
  return {
    call,
    division,
    divisionUrl: (path, query = '') => `${root}/api/v1/${division}/${path}${query}`,
    nextUrl(next) {
      // Kept byte for byte (URL parsing would re-encode Exact's skip token); only the origin is checked.
      const authority = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(next);
      if (authority === null)
        return next.startsWith('/') ? `${base.origin}${next}` : new URL(next, `${root}/`).href;
      if (new URL(authority[0]).origin === base.origin) return next;
      return `${base.origin}${next.slice(authority[0].length)}`;
    },
  };
}

/** The `service/Entity` part of an API URL, the unit of Exact's error budget. */
export function endpointOf(url: string): string {
  const path = new URL(url).pathname;
  const match = /\/api\/v1\/(?:\d+\/)?(.+)$/.exec(path);
  return (match?.[1] ?? path).replace(/\(.*$/, '');
}
