import type { JsonSchema, OpenApiDocument, Operation } from '../src/openapi/document.ts';

export type { JsonSchema, OpenApiDocument, Operation };

/** A schema with its `$ref` followed (once per level). */
export function resolve(doc: OpenApiDocument, schema: JsonSchema | undefined): JsonSchema | undefined {
  const name = schema?.$ref?.replace('#/components/schemas/', '');
  return name === undefined ? schema : doc.components?.schemas?.[name];
}

export function* operations(doc: OpenApiDocument): Generator<[string, Operation]> {
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(item))
      yield [`${method.toUpperCase()} ${path}`, operation];
  }
}

/** Every schema object anywhere in a value, with where it is. */
export function* schemasIn(value: unknown, at = ''): Generator<[string, JsonSchema]> {
  if (Array.isArray(value)) {
    for (const [i, entry] of value.entries()) yield* schemasIn(entry, `${at}/${i}`);
  } else if (value !== null && typeof value === 'object') {
    yield [at, value as JsonSchema];
    for (const [key, child] of Object.entries(value)) yield* schemasIn(child, `${at}/${key}`);
  }
}

/** The properties of an object schema, looking through `anyOf` (a nullable property) to the first schema. */
export function propertiesOf(schema: JsonSchema): Array<[string, JsonSchema]> {
  const properties = schema.properties;
  if (properties === null || typeof properties !== 'object') return [];
  return Object.entries(properties as Record<string, JsonSchema>).map(([name, property]) => {
    const branches = Array.isArray(property.anyOf) ? (property.anyOf as JsonSchema[]) : [property];
    return [name, branches.find((b) => b.type !== 'null') ?? property];
  });
}
