import type { SwaggerTransformObject } from '@fastify/swagger';
import { jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import {
  type Answer,
  headerRef,
  type JsonSchema,
  type OpenApiDocument,
  type Operation,
  operationsOf,
  pruneComponents,
  renameSchemaRefs,
  schemaRef,
} from './document.ts';

const INPUT = 'Input';

/**
 * The zod provider names the input form of a schema `<id>Input`, beside its output form `<id>`. One name is enough
 * when only one form is used or both are the same, so a request body is `OrderRequest`, not `OrderRequestInput`.
 * Folds one at a time until none is left to fold: a parent's two forms become equal once its children's have.
 */
function foldInputSchemas(doc: OpenApiDocument): OpenApiDocument {
  for (;;) {
    const schemas = doc.components?.schemas ?? {};
    const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
    const name = Object.keys(schemas).find((n) => {
      if (!n.endsWith(INPUT)) return false;
      const base = n.slice(0, -INPUT.length);
      return schemas[base] === undefined || same(schemas[n], schemas[base]);
    });
    if (name === undefined) return doc;
    const base = name.slice(0, -INPUT.length);
    const folded = renameSchemaRefs(doc, (n) => (n === name ? base : n));
    const all = { ...folded.components?.schemas };
    all[base] = all[base] ?? all[name] ?? {};
    delete all[name];
    doc = { ...folded, components: { ...folded.components, schemas: all } };
  }
}

// zod spells each format out as a long pattern too; the format says it, and the api checks its input anyway.
const FORMATS_WITH_PATTERN = new Set(['date-time', 'date', 'uuid', 'email']);

function dropFormatPatterns<T>(value: T): T {
  return JSON.parse(JSON.stringify(value), function (this: JsonSchema, key, child: unknown) {
    const format = this.format;
    return key === 'pattern' && typeof format === 'string' && FORMATS_WITH_PATTERN.has(format)
      ? undefined
      : child;
  }) as T;
}

const integer = { type: 'integer', minimum: 0 };
/** Response headers, named once and referenced by every answer that carries them. */
const HEADERS = {
  RequestId: {
    description:
      "This request's id: the `X-Request-Id` it was sent with when that is 1–100 of `A–Z a–z 0–9 - _ . : @ + / = ~`, " +
      'otherwise one made for it. Every log line of the request carries it (as `requestId`).',
    schema: { type: 'string', maxLength: 100 },
  },
  RateLimitLimit: {
    description:
      'Requests this API key may make per window (60 s), counted over all storefront routes and all api processes.',
    schema: integer,
  },
  RateLimitRemaining: {
    description: 'Requests left to this API key in the current window.',
    schema: integer,
  },
  RateLimitReset: {
    description: 'Seconds until the current window ends and the count restarts.',
    schema: integer,
  },
  RetryAfter: { description: 'Seconds to wait before trying again.', schema: integer },
  Location: { description: 'Where the redirect leads.', schema: { type: 'string', format: 'uri' } },
  CreatedLocation: {
    description: 'Where the new resource is read (`/v1/orders/{id}`).',
    schema: { type: 'string', format: 'uri-reference' },
  },
};

/** Operations whose 202 says where the new resource is. */
const CREATING = new Set(['createOrder']);

const isStorefront = (operation: Operation) =>
  (operation.security ?? []).some((scheme) => 'storefrontKey' in scheme);

/**
 * The headers of one answer: its request id always; the key's limit on storefront answers (but a 401's, which has
 * no key); a 429's wait; a redirect's target.
 */
function headersOf(operation: Operation, status: string): Answer['headers'] {
  return {
    'X-Request-Id': { $ref: headerRef('RequestId') },
    ...(isStorefront(operation) &&
      status !== '401' && {
        'RateLimit-Limit': { $ref: headerRef('RateLimitLimit') },
        'RateLimit-Remaining': { $ref: headerRef('RateLimitRemaining') },
        'RateLimit-Reset': { $ref: headerRef('RateLimitReset') },
      }),
    ...(status === '429' && { 'Retry-After': { $ref: headerRef('RetryAfter') } }),
    ...(status.startsWith('3') && { Location: { $ref: headerRef('Location') } }),
    ...(status === '202' &&
      CREATING.has(operation.operationId ?? '') && { Location: { $ref: headerRef('CreatedLocation') } }),
  };
}

/**
 * A named schema's first example, also set on each body that uses it: Swagger UI's "Try it out" starts from it,
 * and the linter checks it against the schema.
 */
function exampleFor(doc: OpenApiDocument, schema: JsonSchema | undefined): unknown {
  const name = schema?.$ref?.slice(schemaRef('').length);
  const examples = name === undefined ? undefined : doc.components?.schemas?.[name]?.examples;
  return Array.isArray(examples) ? examples[0] : undefined;
}

function withExamples(doc: OpenApiDocument, content: Answer['content']): Answer['content'] {
  if (!content) return content;
  const entries = Object.entries(content).map(([type, media]) => {
    const example = media.example ?? exampleFor(doc, media.schema);
    return [type, example === undefined ? media : { ...media, example }] as const;
  });
  return Object.fromEntries(entries);
}

function finishOperation(doc: OpenApiDocument, operation: Operation): Operation {
  const responses = Object.entries(operation.responses).map(([status, answer]) => {
    const headers = { ...answer.headers, ...headersOf(operation, status) };
    const content = withExamples(doc, answer.content);
    return [status, { ...answer, headers, ...(content && { content }) }] as const;
  });
  const body = operation.requestBody;
  return {
    ...operation,
    ...(body && { requestBody: { ...body, content: withExamples(doc, body.content) ?? {} } }),
    responses: Object.fromEntries(responses),
  };
}

/**
 * The document's last step: the named zod schemas become `components.schemas` (the zod provider's
 * `jsonSchemaTransformObject`), with one name per schema where one does, and only those the operations use; every
 * answer gets its headers and its body's example.
 */
export const finishDocument: SwaggerTransformObject = (input) => {
  const named = jsonSchemaTransformObject(input) as unknown as OpenApiDocument;
  const doc = dropFormatPatterns(foldInputSchemas(pruneComponents(named)));
  const paths: OpenApiDocument['paths'] = {};
  for (const [path, method, operation] of operationsOf(doc)) {
    paths[path] = { ...paths[path], [method]: finishOperation(doc, operation) };
  }
  const components = { ...doc.components, headers: HEADERS };
  return pruneComponents({ ...doc, paths, components }) as unknown as ReturnType<SwaggerTransformObject>;
};
