import { createHmac } from 'node:crypto';
import { WEBHOOK_TOPICS } from '@exact-sync/core';
import fc from 'fast-check';
import type { HTTPMethods, RouteOptions } from 'fastify';
import { z } from 'zod';
import { hostileBodyText, hostileString, toJsonText, wrongType } from './hostile.ts';
import { withOneHostileValue } from './mutate.ts';
import { arbitraryOf, jsonSchemaOf } from './schema-arbitrary.ts';

/** One request as `inject` takes it. */
export interface FuzzRequest {
  method: HTTPMethods;
  url: string;
  headers: Record<string, string>;
  payload?: string;
}

/** What requests may use: credentials, ids of rows that exist, a cursor the api handed out, the webhook secret. */
export interface FuzzWorld {
  adminToken: string;
  storefrontKeys: string[];
  knownIds: string[];
  cursors: string[];
  webhookSecret: string;
  division: number;
}

const zodOf = (schema: unknown): z.ZodType | undefined => (schema instanceof z.ZodType ? schema : undefined);

/** The credentials of a caller the route allows (its `config.access`, resolved by the security plugin). */
function authorization(route: RouteOptions, world: FuzzWorld): fc.Arbitrary<Record<string, string>> {
  const access = [route.config?.access ?? 'public'].flat();
  const tokens = [
    ...(access.includes('operator') || access.includes('metrics') ? [world.adminToken] : []),
    ...(access.includes('storefront') ? world.storefrontKeys : []),
  ];
  if (tokens.length === 0) return fc.constant({});
  return fc.constantFrom(...tokens).map((token) => ({ authorization: `Bearer ${token}` }));
}

/** Every byte percent-encoded (encodeURIComponent throws on a lone surrogate; UTF-8 makes it U+FFFD). */
const percentEncoded = (text: string) =>
  [...Buffer.from(text)].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('');

/**
 * A path parameter: an id that exists (never for DELETE, which would remove what the other cases need), a UUID
 * that does not, or something hostile, percent-encoded as a client would send it, or raw.
 */
function pathValue(method: string, world: FuzzWorld): fc.Arbitrary<string> {
  const known = method === 'DELETE' ? [] : [{ weight: 6, arbitrary: fc.constantFrom(...world.knownIds) }];
  return fc.oneof(
    ...known,
    { weight: 1, arbitrary: fc.uuid() },
    { weight: 1, arbitrary: hostileString.map(percentEncoded) },
    { weight: 1, arbitrary: fc.constantFrom('%ED%A0%80', '%00', '%', '%C0%80', 'x'.repeat(300)) },
  );
}

function pathOf(route: RouteOptions, world: FuzzWorld): fc.Arbitrary<string> {
  const method = [route.method].flat()[0] ?? 'GET';
  const parts = route.url
    .split('/')
    .map((part) => (part.startsWith(':') ? pathValue(method, world) : fc.constant(part)));
  return fc.tuple(...parts).map((values) => values.join('/'));
}

/**
 * Values from a schema: plausible throughout (a fifth), with one hostile value in an otherwise plausible whole
 * (three fifths), or with hostile values anywhere (a fifth).
 */
function fromSchema(node: Parameters<typeof arbitraryOf>[0]): fc.Arbitrary<unknown> {
  const plausible = arbitraryOf(node, false);
  return fc.oneof(
    { weight: 1, arbitrary: plausible },
    { weight: 3, arbitrary: withOneHostileValue(plausible) },
    { weight: 1, arbitrary: arbitraryOf(node, true) },
  );
}

/** Query parameters from the route's schema (or none), with a crafted cursor, repeated and unknown ones mixed in. */
function queryOf(route: RouteOptions, world: FuzzWorld): fc.Arbitrary<string> {
  const schema = zodOf(route.schema?.querystring);
  const fields = schema ? fromSchema(jsonSchemaOf(schema)) : fc.constant({});
  const odd = ['code=%ED%A0%80', 'code=%FF', 'code=%', 'code=a&code=b', 'limit=1e400', 'a[b]=1', '%00=1'];
  const extra = fc.oneof(
    { weight: 6, arbitrary: fc.constant('') },
    { weight: 1, arbitrary: fc.constantFrom(...world.cursors).map((c) => `cursor=${c}`) },
    { weight: 1, arbitrary: fc.constantFrom(...odd) },
  );
  // A generated cursor is one the api never handed out: mostly leave it out, or send a real one.
  const cursor = fc.constantFrom<string | undefined>(undefined, undefined, ...world.cursors, 'generated');
  return fc.tuple(fields, extra, cursor).map(([values, more, realCursor]) => {
    const params = new URLSearchParams();
    if (values !== null && typeof values === 'object' && !Array.isArray(values)) {
      const fieldsOf: Record<string, unknown> = { ...values };
      if ('cursor' in fieldsOf && realCursor !== 'generated') fieldsOf.cursor = realCursor;
      for (const [key, value] of Object.entries(fieldsOf)) {
        if (value === undefined) continue;
        params.append(key, typeof value === 'string' ? value : toJsonText(value));
      }
    }
    const text = [params.toString(), more].filter(Boolean).join('&');
    return text ? `?${text}` : '';
  });
}

/** A JSON body from the route's schema, or for a route without one, any JSON or none. */
function bodyOf(route: RouteOptions): fc.Arbitrary<string | undefined> {
  const schema = zodOf(route.schema?.body);
  const fitting = schema ? fromSchema(jsonSchemaOf(schema)).map(toJsonText) : fc.constant(undefined);
  return fc.oneof(
    { weight: 12, arbitrary: fitting },
    { weight: 1, arbitrary: hostileBodyText },
    { weight: 1, arbitrary: wrongType.map(toJsonText) },
  );
}

const topics = [...WEBHOOK_TOPICS, 'SalesOrders'];

/**
 * Exact's webhook: the route takes raw text, since the HashCode signs the Content as sent, so it has no body schema
 * to walk. Deliveries are signed with the test's secret, so they pass the HashCode check and reach the validation
 * of their Content.
 */
function webhookDelivery(world: FuzzWorld): fc.Arbitrary<string> {
  const plausible = fc.record({
    Topic: fc.constantFrom(...topics),
    Division: fc.constant(world.division),
    Action: fc.constantFrom('Create', 'Update', 'Delete'),
    Key: fc.uuid(),
    ExactOnlineEndpoint: fc
      .uuid()
      .map((key) => `https://start.exactonline.nl/api/v1/100001/logistics/Items(guid'${key}')`),
  });
  const content = fc.oneof(
    { weight: 1, arbitrary: plausible },
    { weight: 4, arbitrary: withOneHostileValue(plausible) },
  );
  const signed = content.map(toJsonText).map((text) => {
    const hash = createHmac('sha256', world.webhookSecret).update(text).digest('hex');
    return `{"HashCode":"${hash}","Content":${text}}`;
  });
  return fc.oneof(
    { weight: 12, arbitrary: signed },
    { weight: 1, arbitrary: content.map((c) => toJsonText({ HashCode: 'AB'.repeat(32), Content: c })) },
    { weight: 1, arbitrary: hostileBodyText },
    { weight: 1, arbitrary: fc.constant('') },
  );
}

/** Requests for one route: its credentials, path, query and body, each mostly plausible and sometimes hostile. */
export function requestsFor(route: RouteOptions, world: FuzzWorld): fc.Arbitrary<FuzzRequest> {
  const method = ([route.method].flat()[0] ?? 'GET') as HTTPMethods;
  const isWebhook = route.url === '/webhooks/exact';
  const body = isWebhook ? webhookDelivery(world) : bodyOf(route);
  return fc
    .record({
      auth: authorization(route, world),
      path: pathOf(route, world),
      query: queryOf(route, world),
      payload: method === 'GET' ? fc.constant(undefined) : body,
    })
    .map(({ auth, path, query, payload }) => ({
      method,
      url: `${path}${query}`,
      headers: { ...auth, ...(payload === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(payload === undefined ? {} : { payload }),
    }));
}
