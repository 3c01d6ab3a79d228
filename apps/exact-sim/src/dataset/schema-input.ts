import { type EdmType, type EndpointPath, EXACT_SCHEMA } from '@exact-sync/exact-schema';
import { z } from 'zod';

const guid = z
  .string()
  .regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, 'must be a GUID')
  .transform((s) => s.toLowerCase());
const edmDate = z.string().regex(/^\/Date\(-?\d+\)\/$/, 'must be "/Date(ms)/"');

function fieldSchema(type: EdmType): z.ZodType {
  switch (type) {
    case 'Edm.Guid':
      return guid.nullable();
    case 'Edm.String':
      return z.string().max(1000).nullable();
    case 'Edm.DateTime':
      return edmDate.nullable();
    case 'Edm.Boolean':
      return z.boolean().nullable();
    case 'Edm.Byte':
      return z.number().int().min(0).max(1).nullable();
    case 'Edm.Double':
      return z.number().nullable();
    default:
      return z.number().int().nullable();
  }
}

const cache = new Map<EndpointPath, z.ZodType<Record<string, unknown>>>();

/**
 * What a control upsert may set on a record of the endpoint: any of its fields, typed by its Edm type (ID must be
 * a GUID; Timestamp is accepted and ignored). Unknown fields are refused by name.
 */
export function inputSchema(path: EndpointPath): z.ZodType<Record<string, unknown>> {
  const known = cache.get(path);
  if (known) return known;
  const shape: Record<string, z.ZodType> = { ID: guid, Timestamp: z.number() };
  for (const [field, type] of Object.entries(EXACT_SCHEMA[path].fields)) {
    if (!(field in shape)) shape[field] = fieldSchema(type);
  }
  const schema = z.strictObject(shape).partial() as unknown as z.ZodType<Record<string, unknown>>;
  cache.set(path, schema);
  return schema;
}
