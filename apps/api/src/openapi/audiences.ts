import { type OpenApiDocument, type Operation, operationsOf, pruneComponents } from './document.ts';

/** Who a document is for: shops (their API key) or the people who run the service (the admin token). */
export type Audience = 'storefront' | 'operator';
export const AUDIENCES: readonly Audience[] = ['storefront', 'operator'];

const ABOUT: Record<Audience, { title: string; description: string }> = {
  storefront: {
    title: 'exact-sync storefront API',
    description:
      'For web shops, with a storefront API key (`Authorization: Bearer exs_…`), which fixes the connection and ' +
      'the channel (b2b or b2c): the synced catalogue (items, stock, prices, accounts) and orders. Each key may ' +
      'make a number of requests a minute over all these routes together (`RateLimit-*` headers on every ' +
      'answer; a 429 says how long to wait in `Retry-After`).',
  },
  operator: {
    title: 'exact-sync operator API',
    description:
      'For the people who run the service, with the admin token: connections to Exact divisions and their ' +
      "onboarding, sync control and status, storefront keys, callback secrets, every channel's orders; and " +
      'the routes Exact itself calls (OAuth callback, webhooks).',
  },
};

const usesScheme = (operation: Operation, scheme: string) =>
  (operation.security ?? []).some((s) => scheme in s);

/** An operator sees the routes the admin token opens and the public ones; a shop those its key opens. */
function viewOf(operation: Operation, audience: Audience): Operation | undefined {
  const security = operation.security ?? [];
  if (audience === 'storefront') {
    return usesScheme(operation, 'storefrontKey')
      ? { ...operation, security: [{ storefrontKey: [] }] }
      : undefined;
  }
  if (security.length > 0 && !usesScheme(operation, 'adminToken')) return undefined;
  if (!usesScheme(operation, 'storefrontKey')) return operation;
  // A route shared with shops: the admin token is not rate limited, so the shop's limit and 429 go.
  const responses = Object.entries(operation.responses)
    .filter(([status]) => status !== '429')
    .map(([status, answer]) => {
      const headers = Object.entries(answer.headers ?? {}).filter(([name]) => !name.startsWith('RateLimit-'));
      return [status, { ...answer, headers: Object.fromEntries(headers) }] as const;
    });
  return {
    ...operation,
    security: security.filter((s) => !('storefrontKey' in s)),
    responses: Object.fromEntries(responses),
  };
}

/** One audience's document: its operations, tags, credentials and the components they use. */
export function documentFor(full: OpenApiDocument, audience: Audience): OpenApiDocument {
  const paths: OpenApiDocument['paths'] = {};
  for (const [path, method, operation] of operationsOf(full)) {
    const view = viewOf(operation, audience);
    if (view) paths[path] = { ...paths[path], [method]: view };
  }
  const operations = Object.values(paths).flatMap((item) => Object.values(item));
  const tagsUsed = new Set(operations.flatMap((operation) => operation.tags ?? []));
  const schemesUsed = new Set(operations.flatMap((o) => (o.security ?? []).flatMap((s) => Object.keys(s))));
  const securitySchemes = Object.fromEntries(
    Object.entries(full.components?.securitySchemes ?? {}).filter(([name]) => schemesUsed.has(name)),
  );
  return pruneComponents({
    ...full,
    info: { ...full.info, ...ABOUT[audience] },
    tags: (full.tags ?? []).filter((tag) => tagsUsed.has(tag.name)),
    paths,
    components: { ...full.components, securitySchemes },
  });
}
