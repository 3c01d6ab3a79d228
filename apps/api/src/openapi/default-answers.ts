import type { RouteOptions } from 'fastify';
import { failure } from './answers.ts';

/**
 * Adds the answers a route gives without its handler saying so, so they are documented (and serialized) like the
 * others: 400 when it takes input (its schema's rules, or a body that is not JSON), 401 when it is not public (the
 * security plugin), 429 on storefront routes (the per-key request limit, and addresses that send unknown keys).
 * What the route declares itself wins. Runs on every route as it is added, after the security plugin has resolved
 * its access; hidden routes (pages, probes) are left alone.
 */
export function addDefaultAnswers(route: RouteOptions): void {
  const { schema } = route;
  if (!schema || (schema as { hide?: boolean }).hide) return;
  const access = [route.config?.access ?? []].flat();
  const takesInput = [schema.body, schema.querystring, schema.params].some((part) => part !== undefined);
  const defaults = {
    ...(takesInput && { 400: failure(400) }),
    ...(!access.includes('public') && { 401: failure(401) }),
    ...(access.includes('storefront') && { 429: failure(429) }),
  };
  route.schema = { ...schema, response: { ...defaults, ...(schema.response as object | undefined) } };
}
