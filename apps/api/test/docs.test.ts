import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, testConfig } from './helpers.ts';

interface JsonSchema {
  properties?: Record<string, unknown>;
  required?: string[];
  anyOf?: JsonSchema[];
}
interface Operation {
  security?: Array<Record<string, string[]>>;
  parameters?: Array<{ in: string; name: string; required?: boolean }>;
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
}
interface OpenApi {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { securitySchemes: Record<string, { type: string; scheme: string }> };
}

// Nothing here reaches Postgres or Redis: the document is built from the routes alone.
let api: FastifyInstance;
let doc: OpenApi;

beforeAll(async () => {
  api = await buildApp(
    testConfig({ DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none', REDIS_URL: 'redis://127.0.0.1:1' }),
  );
  const res = await api.inject('/docs/json');
  expect(res.statusCode).toBe(200);
  doc = res.json<OpenApi>();
});

afterAll(async () => {
  await api?.close();
});

const operation = (method: string, path: string): Operation => {
  const op = doc.paths[path]?.[method];
  if (!op) throw new Error(`${method.toUpperCase()} ${path} is not documented`);
  return op;
};

/** Property names of a JSON body, looking through `anyOf` (an optional body is `object | null`). */
function bodyFields(op: Operation): string[] {
  const schema = op.requestBody?.content['application/json']?.schema;
  const objects = schema?.anyOf ?? (schema ? [schema] : []);
  return objects.flatMap((s) => Object.keys(s.properties ?? {}));
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
  ['post', '/v1/orders', { body: ['reference', 'customer', 'lines', 'orderDate', 'deliveryDate', 'note'] }],
  ['get', '/v1/orders/{id}', { path: ['id'] }],
  ...(['/v1/items', '/v1/stock', '/v1/prices', '/v1/accounts'] as const).map(
    (path) => ['get', path, { query: ['code', 'updated_since', 'cursor', 'limit'] }] as const,
  ),
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
    const order = operation('post', '/v1/orders').requestBody?.content['application/json']?.schema;
    expect(order?.required).toEqual(expect.arrayContaining(['reference', 'customer', 'lines']));
  });

  it('says which credentials each operation wants', () => {
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['adminToken', 'storefrontKey']);
    expect(doc.components.securitySchemes.adminToken).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(operation('post', '/v1/orders').security).toEqual([{ storefrontKey: [] }]);
    expect(operation('get', '/v1/items').security).toEqual([{ storefrontKey: [] }]);
    expect(operation('post', '/v1/connections').security).toEqual([{ adminToken: [] }]);
    expect(operation('get', '/v1/orders').security).toEqual([{ storefrontKey: [] }, { adminToken: [] }]);
    expect(operation('post', '/webhooks/exact').security).toEqual([]);
    expect(operation('get', '/v1/oauth/callback').security).toEqual([]);
  });

  it('leaves out health probes, the docs themselves and the operator pages', () => {
    const paths = Object.keys(doc.paths);
    expect(paths.filter((p) => /^\/(health|docs|admin)/.test(p))).toEqual([]);
  });

  it('serves Swagger UI without credentials', async () => {
    const page = await api.inject('/docs/');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('swagger-ui');
  });
});
