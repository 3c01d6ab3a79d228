/** The parts of an OpenAPI 3.1 document this service reads and writes; the rest passes through untouched. */
export interface JsonSchema {
  $ref?: string;
  [keyword: string]: unknown;
}

interface MediaType {
  schema?: JsonSchema;
  example?: unknown;
}

export interface Answer {
  description: string;
  headers?: Record<string, { $ref: string }>;
  content?: Record<string, MediaType>;
}

type Security = Array<Record<string, string[]>>;

export interface Operation {
  operationId?: string;
  summary?: string;
  tags?: string[];
  security?: Security;
  parameters?: Array<{ in: string; name: string; schema?: JsonSchema }>;
  requestBody?: { content: Record<string, MediaType> };
  responses: Record<string, Answer>;
}

export interface OpenApiDocument {
  openapi: string;
  info: { title: string; description?: string; version: string };
  tags?: Array<{ name: string; description?: string }>;
  paths: Record<string, Record<string, Operation>>;
  components?: {
    schemas?: Record<string, JsonSchema>;
    headers?: Record<string, unknown>;
    securitySchemes?: Record<string, unknown>;
  };
}

/** Every operation of a document, with its path and method. */
export function* operationsOf(doc: OpenApiDocument): Generator<[string, string, Operation]> {
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(item)) yield [path, method, operation];
  }
}

const SCHEMAS = '#/components/schemas/';
const HEADERS = '#/components/headers/';
export const schemaRef = (name: string) => `${SCHEMAS}${name}`;
export const headerRef = (name: string) => `${HEADERS}${name}`;

/** Every `$ref` anywhere in a value. */
function refsIn(value: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) {
    for (const entry of value) refsIn(entry, found);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (key === '$ref' && typeof child === 'string') found.add(child);
      else refsIn(child, found);
    }
  }
  return found;
}

/** The components the paths use, directly or through other components. */
function usedComponents(doc: OpenApiDocument): Set<string> {
  const used = new Set<string>();
  const pending = [...refsIn(doc.paths)];
  for (let ref = pending.pop(); ref !== undefined; ref = pending.pop()) {
    if (used.has(ref)) continue;
    used.add(ref);
    const target = ref.startsWith(SCHEMAS)
      ? doc.components?.schemas?.[ref.slice(SCHEMAS.length)]
      : doc.components?.headers?.[ref.slice(HEADERS.length)];
    pending.push(...refsIn(target));
  }
  return used;
}

/** Drops the schemas and headers no operation uses (a split document keeps only its own). */
export function pruneComponents(doc: OpenApiDocument): OpenApiDocument {
  const used = usedComponents(doc);
  const keep = <T>(all: Record<string, T> | undefined, ref: (name: string) => string) =>
    all && Object.fromEntries(Object.entries(all).filter(([name]) => used.has(ref(name))));
  return {
    ...doc,
    components: {
      ...doc.components,
      schemas: keep(doc.components?.schemas, schemaRef),
      headers: keep(doc.components?.headers, headerRef),
    },
  };
}

/** A deep copy of a value with every schema `$ref` renamed by `rename`. */
export function renameSchemaRefs<T>(value: T, rename: (name: string) => string): T {
  return JSON.parse(JSON.stringify(value), (key, child: unknown) =>
    key === '$ref' && typeof child === 'string' && child.startsWith(SCHEMAS)
      ? schemaRef(rename(child.slice(SCHEMAS.length)))
      : child,
  ) as T;
}
