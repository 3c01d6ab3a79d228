import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, testConfig } from './helpers.ts';
import { type OpenApiDocument, type Operation, operations, resolve } from './openapi.ts';

// Nothing here reaches Postgres or Redis: the documents are built from the routes alone.
let api: FastifyInstance;
let doc: OpenApiDocument;
const documents: Record<string, OpenApiDocument> = {};

beforeAll(async () => {
  api = await buildApp(
    testConfig({ DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none', REDIS_URL: 'redis://127.0.0.1:1' }),
  );
  const res = await api.inject('/docs/json');
  expect(res.statusCode).toBe(200);
  doc = res.json<OpenApiDocument>();
  for (const audience of ['storefront', 'operator']) {
    const one = await api.inject(`/docs/${audience}/json`);
    expect(one.statusCode, audience).toBe(200);
    documents[audience] = one.json<OpenApiDocument>();
  }
});

afterAll(async () => {
  await api?.close();
});

const operation = (method: string, path: string, from = doc): Operation => {
  const op = from.paths[path]?.[method];
  if (!op) throw new Error(`${method.toUpperCase()} ${path} is not documented`);
  return op;
};

/** Property names of a JSON body (a named schema, or a nullable one: `SyncRequest | null`). */
function bodyFields(op: Operation): string[] {
  const schema = resolve(doc, op.requestBody?.content['application/json']?.schema);
  const objects = (schema?.anyOf as (typeof schema)[] | undefined) ?? (schema ? [schema] : []);
  return objects.flatMap((s) => Object.keys(resolve(doc, s)?.properties ?? {}));
}
const params = (op: Operation, where: 'query' | 'path') =>
  (op.parameters ?? []).filter((p) => p.in === where).map((p) => p.name);

// "The interface" of DESIGN.md, with the inputs each route must show.
type Inputs = { body?: readonly string[]; query?: readonly string[]; path?: readonly string[] };
const INTERFACE: ReadonlyArray<readonly [string, string, Inputs]> = [
  ['post', '/v1/connections', { body: ['name', 'division', 'exactBaseUrl'] }],
  ['get', '/v1/connections/{id}/authorize', { path: ['id'], query: ['exp', 'sig'] }],
  ['get', '/v1/oauth/callback', { query: ['code', 'state'] }],
  ['get', '/v1/connections', {}],
  ['get', '/v1/connections/{id}/status', { path: ['id'] }],
  ['patch', '/v1/connections/{id}', { path: ['id'], body: ['paused', 'channels'] }],
  ['delete', '/v1/connections/{id}', { path: ['id'] }],
  ['post', '/v1/connections/{id}/reauthorize', { path: ['id'] }],
  ['post', '/v1/connections/{id}/sync', { path: ['id'], body: ['entities', 'full'] }],
  ['post', '/v1/connections/{id}/api-keys', { path: ['id'], body: ['channel'] }],
  ['delete', '/v1/api-keys/{id}', { path: ['id'] }],
  ['get', '/v1/orders', { query: ['status', 'updated_since', 'cursor'] }],
  ['post', '/v1/orders/{id}/retry', { path: ['id'] }],
  [
    'post',
    '/v1/orders',
    { body: ['reference', 'customer', 'currency', 'lines', 'orderDate', 'deliveryDate', 'note'] },
  ],
  ['get', '/v1/orders/{id}', { path: ['id'] }],
  ...(['/v1/items', '/v1/stock', '/v1/prices'] as const).map(
    (path) => ['get', path, { query: ['sku', 'updated_since', 'cursor', 'limit'] }] as const,
  ),
  ['get', '/v1/accounts', { query: ['code', 'updated_since', 'cursor', 'limit'] }],
  ['get', '/v1/items/{sku}', { path: ['sku'], query: ['expand', 'customer'] }],
  ['post', '/webhooks/exact', {}],
];

describe('the OpenAPI document at /docs/json', () => {
  it('documents every route of the interface with its inputs, from the zod schemas', () => {
    expect(doc.openapi).toMatch(/^3\./);
    for (const [method, path, inputs] of INTERFACE) {
      const op = operation(method, path);
      const where = `${method.toUpperCase()} ${path}`;
      expect(bodyFields(op), where).toEqual(expect.arrayContaining([...(inputs.body ?? [])]));
      expect(params(op, 'query'), where).toEqual(expect.arrayContaining([...(inputs.query ?? [])]));
      expect(params(op, 'path'), where).toEqual(expect.arrayContaining([...(inputs.path ?? [])]));
    }
    const order = resolve(
      doc,
      operation('post', '/v1/orders').requestBody?.content['application/json']?.schema,
    );
    expect(order?.required).toEqual(expect.arrayContaining(['reference', 'customer', 'lines']));
  });

  it('says which credentials each operation wants', () => {
    const schemes = doc.components?.securitySchemes ?? {};
    expect(Object.keys(schemes).sort()).toEqual(['adminToken', 'storefrontKey']);
    expect(schemes.adminToken).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(operation('post', '/v1/orders').security).toEqual([{ storefrontKey: [] }]);
    expect(operation('get', '/v1/items').security).toEqual([{ storefrontKey: [] }]);
    expect(operation('post', '/v1/connections').security).toEqual([{ adminToken: [] }]);
    expect(operation('get', '/v1/orders').security).toEqual([{ storefrontKey: [] }, { adminToken: [] }]);
    expect(operation('post', '/webhooks/exact').security).toEqual([]);
    expect(operation('get', '/v1/oauth/callback').security).toEqual([]);
  });

  it('leaves out health probes, the docs themselves and the operator pages', () => {
    const paths = Object.keys(doc.paths);
    expect(paths.filter((p) => /^\/(health|docs|admin|metrics)/.test(p))).toEqual([]);
  });

  it('serves Swagger UI without credentials, offering the storefront and the operator document', async () => {
    const page = await api.inject('/docs/');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('swagger-ui');
    const init = await api.inject('/docs/static/swagger-initializer.js');
    expect(init.body).toContain('/docs/storefront/json');
    expect(init.body).toContain('/docs/operator/json');
  });
});

describe('the documents per audience', () => {
  const ids = (d: OpenApiDocument) => [...operations(d)].map(([, op]) => op.operationId).sort();

  it('give shops the catalogue and their orders, with only their key', () => {
    const storefront = documents.storefront as OpenApiDocument;
    expect(ids(storefront)).toEqual([
      'createOrder',
      'createPriceQuote',
      'getItem',
      'getOrder',
      'listAccounts',
      'listItems',
      'listOrders',
      'listPrices',
      'listStock',
    ]);
    for (const [where, op] of operations(storefront))
      expect(op.security, where).toEqual([{ storefrontKey: [] }]);
    expect(Object.keys(storefront.components?.securitySchemes ?? {})).toEqual(['storefrontKey']);
    expect(storefront.tags?.map((t) => t.name).sort()).toEqual(['catalogue', 'orders']);
  });

  it('give operators the rest, with the admin token (or none, where Exact calls)', () => {
    const operator = documents.operator as OpenApiDocument;
    expect(ids(operator)).toEqual(
      expect.arrayContaining(['listOrders', 'getOrder', 'retryOrder', 'startSync']),
    );
    expect(ids(operator)).not.toContain('createOrder');
    expect(ids(operator)).not.toContain('listItems');
    for (const [where, op] of operations(operator)) {
      expect(op.security, where).not.toContainEqual({ storefrontKey: [] });
      // The admin token is not rate limited: a route shared with shops has no 429 here.
      if (op.security?.length) expect(Object.keys(op.responses), where).not.toContain('429');
    }
    expect(Object.keys(operator.components?.securitySchemes ?? {})).toEqual(['adminToken']);
  });

  it('each hold exactly the components their operations use', () => {
    for (const [audience, one] of Object.entries(documents)) {
      const text = JSON.stringify(one);
      const refs = new Set([...text.matchAll(/"\$ref":"#\/components\/(\w+)\/([\w.-]+)"/g)].map((m) => m[0]));
      for (const ref of refs) {
        const [, kind = '', name = ''] = /components\/(\w+)\/([\w.-]+)/.exec(ref) ?? [];
        const components = one.components as Record<string, Record<string, unknown>> | undefined;
        expect(components?.[kind]?.[name], `${audience}: ${ref}`).toBeDefined();
      }
      for (const name of Object.keys(one.components?.schemas ?? {})) {
        expect(text, `${audience}: ${name} is unused`).toContain(`"#/components/schemas/${name}"`);
      }
    }
  });
});
