import { readFileSync } from 'node:fs';
import Fastify, { type FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOCUMENTS_DIR, documentFiles } from '../scripts/openapi-files.ts';
import { app } from '../src/app.ts';
import { frameworkErrors } from '../src/plugins/errors.plugin.ts';
import { testConfig } from './helpers.ts';
import { type OpenApiDocument, operations, propertiesOf, resolve, schemasIn } from './openapi.ts';

// The rules every route keeps so that clients can be generated from the documents (README, "API conventions"). A
// new route that breaks one fails here, naming itself. Nothing reaches Postgres or Redis.
let api: FastifyInstance;
let doc: OpenApiDocument;
const routes: Array<{ method: string; url: string; hidden: boolean }> = [];

beforeAll(async () => {
  api = Fastify({ logger: false, frameworkErrors });
  api.addHook('onRoute', (route) => {
    const hidden = (route.schema as { hide?: boolean } | undefined)?.hide === true;
    for (const method of [route.method].flat()) routes.push({ method, url: route.url, hidden });
  });
  const config = testConfig({
    DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none',
    REDIS_URL: 'redis://127.0.0.1:1',
  });
  await api.register(fp(app), { config });
  await api.ready();
  doc = api.swagger() as unknown as OpenApiDocument;
});

afterAll(async () => {
  await api?.close();
});

const all = () => [...operations(doc)];
const VERBS =
  'list|get|create|update|delete|start|retry|revoke|rotate|authorize|reauthorize|complete|receive';

describe('every route', () => {
  it('is in the document, or hidden on purpose (probes, pages, the docs, Bull Board)', () => {
    const documented = new Set(all().map(([where]) => where));
    const plugins = /^\/(docs|admin\/queues)(\/|$)/;
    const missing = routes
      .filter((r) => r.method !== 'HEAD' && !r.hidden && !plugins.test(r.url))
      .map((r) => `${r.method} ${r.url.replace(/:(\w+)/g, '{$1}')}`)
      .filter((where) => !documented.has(where));
    expect(missing).toEqual([]);
  });

  it('has a unique camelCase operationId that starts with a verb, a summary and a tag', () => {
    const ids = all().map(([, op]) => op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const [where, op] of all()) {
      expect(op.operationId, where).toMatch(new RegExp(`^(${VERBS})[A-Z][A-Za-z]*$`));
      expect(op.summary?.length, where).toBeGreaterThan(10);
      expect(op.tags?.length, where).toBe(1);
    }
  });

  it('documents every answer with what it means, and bodies as named schemas', () => {
    for (const [where, op] of all()) {
      for (const [status, answer] of Object.entries(op.responses)) {
        expect(answer.description, `${where} ${status}`).not.toMatch(/^(Default Response)?$/);
        const json = answer.content?.['application/json'];
        if (json)
          expect(json.schema?.$ref, `${where} ${status}: inline body`).toMatch(/^#\/components\/schemas\//);
      }
      const body = op.requestBody?.content['application/json'];
      if (body)
        expect(body.schema?.$ref, `${where}: inline request body`).toMatch(/^#\/components\/schemas\//);
    }
  });

  it('names the rows of its lists', () => {
    for (const [at, schema] of schemasIn(doc.components?.schemas)) {
      const items =
        schema.type === 'array' ? (schema.items as { properties?: unknown } | undefined) : undefined;
      expect(items?.properties, `${at}: an inline object in a list`).toBeUndefined();
    }
  });

  it('documents the errors it can give: 400 with field details, 401, 429 with its headers', () => {
    for (const [where, op] of all()) {
      const { responses } = op;
      if ((op.parameters ?? []).length > 0 || op.requestBody) {
        const bad = resolve(doc, responses['400']?.content?.['application/json']?.schema);
        expect(Object.keys(bad?.properties ?? {}), `${where}: 400`).toEqual(['error']);
        expect(JSON.stringify(bad), where).toContain('FieldError');
      }
      if (op.security?.length) expect(responses['401'], `${where}: 401`).toBeDefined();
      const storefront = op.security?.some((s) => 'storefrontKey' in s);
      if (storefront) expect(responses['429'], `${where}: 429`).toBeDefined();
      for (const [status, answer] of Object.entries(responses)) {
        const headers = Object.keys(answer.headers ?? {});
        expect(headers, `${where} ${status}`).toContain('X-Request-Id');
        if (status === '429') expect(headers, `${where} ${status}`).toContain('Retry-After');
        if (storefront && status !== '401') {
          expect(headers, `${where} ${status}`).toEqual(
            expect.arrayContaining(['RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset']),
          );
        }
      }
    }
  });

  it('states the format of times, dates and ids', () => {
    for (const [name, schema] of Object.entries(doc.components?.schemas ?? {})) {
      for (const [at, object] of schemasIn(schema, name)) {
        for (const [field, property] of propertiesOf(object)) {
          const where = `${at}.${field}`;
          if (/At$/.test(field)) expect(property.format, where).toBe('date-time');
          if (/Date$/.test(field)) expect(property.format, where).toMatch(/^date(-time)?$/);
          if (/(^id|Id)$/.test(field) && property.type === 'string')
            expect(property.format, where).toBe('uuid');
        }
      }
    }
  });
});

describe('the committed documents (apps/api/openapi/)', () => {
  it('are what the app serves: run `pnpm openapi` after changing a route or a schema', () => {
    for (const [name, text] of Object.entries(documentFiles(api))) {
      const committed = readFileSync(new URL(name, DOCUMENTS_DIR), 'utf8');
      expect(committed === text, `apps/api/openapi/${name} is stale: run \`pnpm openapi\``).toBe(true);
    }
  });
});
