import { ENTITY_NAMES, EXACT_ENTITIES, EXACT_LISTS, LIST_NAMES } from '@exact-sync/core';
import { CLIENT_FILTERS, CLIENT_POSTS, CLIENT_SELECTS } from '@exact-sync/exact';
import { type EndpointPath, type EndpointSchema, EXACT_SCHEMA } from '@exact-sync/exact-schema';
import { describe, expect, it } from 'vitest';
import { ENTITY_MAPPINGS, SYNC_ENDPOINTS } from '../src/sync/entity-mappers.ts';
import { LIST_ENDPOINTS, LIST_MAPPINGS } from '../src/sync/list-mappers.ts';

// Every field the client selects, filters on or sends exists in the schema for that endpoint, read from the lists
// the code itself uses (the worker's sync mappings and the Exact client's own lists).

// @ts-expect-error Exact's sync/Inventory/StockPositions has no Modified: a mapping selecting it does not compile.
const stockWithModified: (typeof ENTITY_MAPPINGS)['stock']['select'] = ['ID', 'Modified'];

const schemaOf = (path: string): EndpointSchema => EXACT_SCHEMA[path as EndpointPath];

describe('the client against the schema of Exact', () => {
  it.each(ENTITY_NAMES)(
    'selects only fields %s has on its sync endpoint, and those it cannot do without',
    (e) => {
      const endpoint = schemaOf(SYNC_ENDPOINTS[e]);
      expect(SYNC_ENDPOINTS[e]).toBe(`sync/${EXACT_ENTITIES[e].syncPath}`);
      expect(ENTITY_MAPPINGS[e].path).toBe(EXACT_ENTITIES[e].syncPath);
      for (const field of ENTITY_MAPPINGS[e].select) expect(Object.keys(endpoint.fields)).toContain(field);
      for (const field of endpoint.essential ?? []) expect(ENTITY_MAPPINGS[e].select).toContain(field);
      expect(endpoint.fieldsChecked).toBe('two-sources');
    },
  );

  it.each(LIST_NAMES)('reads the list %s from its REST endpoint with only fields it has', (list) => {
    const endpoint = schemaOf(LIST_ENDPOINTS[list]);
    expect(EXACT_LISTS[list].path).toBe(LIST_ENDPOINTS[list]);
    expect(endpoint.kind).toBe('crud');
    for (const field of LIST_MAPPINGS[list].select) expect(Object.keys(endpoint.fields)).toContain(field);
    expect(LIST_MAPPINGS[list].select).toContain(endpoint.key);
    expect(endpoint.fieldsChecked).toBe('two-sources');
  });

  it.each(Object.entries(CLIENT_SELECTS))('selects only fields %s has', (path, fields) => {
    const endpoint = schemaOf(path);
    for (const field of fields) expect(Object.keys(endpoint.fields), field).toContain(field);
    expect(endpoint.fieldsChecked).toBe('two-sources');
  });

  it.each(Object.entries(CLIENT_FILTERS))('filters %s only on filterable fields', (path, fields) => {
    for (const field of fields) expect(schemaOf(path).filterable, field).toContain(field);
  });

  it.each(Object.entries(CLIENT_POSTS))(
    'sends %s only postable fields, and every required one',
    (path, fields) => {
      const endpoint = schemaOf(path);
      for (const field of fields) expect(endpoint.postable, field).toContain(field);
      for (const field of endpoint.requiredOnPost) expect(fields as readonly string[]).toContain(field);
    },
  );

  it('keeps the compile-time check above alive', () => {
    expect(stockWithModified).toEqual(['ID', 'Modified']);
  });
});
