import { type EdmType, type EndpointPath, EXACT_SCHEMA } from '@exact-sync/exact-schema';
import type { SimConfig } from './config.ts';

/** The fields an endpoint has, from the schema: what `$select`, `$filter` and POST bodies may name. */
export const fieldsOf = (path: EndpointPath): readonly string[] => Object.keys(EXACT_SCHEMA[path].fields);

/** How the simulator writes one record: the endpoint's Edm types and whether Int64s come as JSON strings. */
export interface WireFormat {
  types: { readonly [field: string]: EdmType };
  int64AsString: SimConfig['timestampsAsStrings'];
}

export const wireFormat = (path: EndpointPath, config: SimConfig): WireFormat => ({
  types: EXACT_SCHEMA[path].fields,
  int64AsString: config.timestampsAsStrings,
});

/**
 * One value in Exact's wire types: an Edm.Byte flag is 0 or 1, never a boolean; an Edm.Int64 may come as a JSON
 * string (always, never, or for odd values with 'sometimes', so one page mixes both and a client must cope).
 */
export function wireValue(
  value: unknown,
  type: EdmType | undefined,
  mode: WireFormat['int64AsString'],
): unknown {
  if (value === null || value === undefined) return null;
  if (type === 'Edm.Byte' && typeof value === 'boolean') return value ? 1 : 0;
  if (type === 'Edm.Boolean' && typeof value === 'number') return value !== 0;
  if (type === 'Edm.Int64' && typeof value === 'number') {
    if (mode === 'always' || (mode === 'sometimes' && value % 2 === 1)) return String(value);
  }
  return value;
}
