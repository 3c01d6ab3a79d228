import fc from 'fast-check';
import { z } from 'zod';
import { hostileNumber, hostileString, wrongType } from './hostile.ts';

/** The part of JSON Schema that zod's `toJSONSchema` writes for this api's request schemas. */
interface JsonSchema {
  type?: string | string[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
}

/** A request schema (zod) as JSON Schema, input side: what a client sends. */
export const jsonSchemaOf = (schema: z.ZodType): JsonSchema =>
  z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;

const URL_ORIGINS = [
  'https://93.184.216.34',
  'https://[2606:2800:21f:cb07:6820:80da:af6b:8b2c]',
  'https://203.0.113.7:8443',
  'http://127.0.0.1:8080',
  'https://10.0.0.1',
];

const YEAR_1 = new Date('0001-01-01T00:00:00.000Z');
const YEAR_9999 = new Date('9999-12-31T23:59:59.999Z');
const anyTime = fc.date({ min: YEAR_1, max: YEAR_9999, noInvalidDate: true });

/** A string a client would plausibly send for the field. */
function plausibleString(node: JsonSchema): fc.Arbitrary<string> {
  switch (node.format) {
    case 'date':
      return anyTime.map((d) => d.toISOString().slice(0, 10));
    case 'date-time':
      return anyTime.map((d) => d.toISOString());
    case 'uuid':
      return fc.uuid();
    case 'email':
      return fc
        .tuple(fc.stringMatching(/^[a-z0-9]{1,12}$/), fc.stringMatching(/^[a-z]{1,10}$/))
        .map(([user, host]) => `${user}@${host}.example`);
    case 'uri':
      // Hosts as address literals: a URL the api checks (a callback) must never send the test to a DNS resolver.
      return fc
        .tuple(fc.constantFrom(...URL_ORIGINS), fc.webPath())
        .map(([origin, path]) => `${origin}${path}`);
  }
  const minLength = node.minLength ?? 0;
  const maxLength = Math.max(minLength, Math.min(node.maxLength ?? 40, 40));
  if (node.pattern) {
    return fc
      .stringMatching(new RegExp(node.pattern))
      .filter((s) => s.length >= minLength && s.length <= (node.maxLength ?? Number.POSITIVE_INFINITY));
  }
  return fc.string({ minLength, maxLength, unit: 'grapheme-ascii' });
}

function plausibleNumber(node: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  const min = node.minimum ?? (node.exclusiveMinimum === undefined ? -1e6 : node.exclusiveMinimum + 1e-6);
  const max = node.maximum ?? (node.exclusiveMaximum === undefined ? 1e6 : node.exclusiveMaximum - 1e-6);
  if (integer) return fc.integer({ min: Math.ceil(min), max: Math.floor(max) });
  return fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
}

/** In a hostile case, a value of the right type that should be refused, one time in ten; else the plausible one. */
const sometimes = <T>(plausible: fc.Arbitrary<T>, bad: fc.Arbitrary<unknown>, hostile: boolean) =>
  hostile ? fc.oneof({ weight: 9, arbitrary: plausible }, { weight: 1, arbitrary: bad }) : plausible;

/** What fits the node's type, or (in a hostile case) sometimes a hostile value of the same type. */
function ofType(type: string, node: JsonSchema, hostile: boolean): fc.Arbitrary<unknown> {
  switch (type) {
    case 'string':
      return sometimes(
        node.enum ? fc.constantFrom(...node.enum) : plausibleString(node),
        hostileString,
        hostile,
      );
    case 'integer':
    case 'number':
      return sometimes(plausibleNumber(node, type === 'integer'), hostileNumber, hostile);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(arbitraryOf(node.items ?? {}, hostile), {
        minLength: node.minItems ?? 0,
        maxLength: Math.max(node.minItems ?? 0, Math.min(node.maxItems ?? 3, 3)),
      });
    case 'object':
      return objectOf(node, hostile);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** Every property the schema knows (required ones always, optional ones sometimes), now and then an unknown one. */
function objectOf(node: JsonSchema, hostile: boolean): fc.Arbitrary<Record<string, unknown>> {
  const properties = node.properties ?? {};
  const known = fc.record(
    Object.fromEntries(Object.entries(properties).map(([key, value]) => [key, arbitraryOf(value, hostile)])),
    { requiredKeys: node.required ?? [] },
  );
  const extra = sometimes(fc.constant(undefined), fc.tuple(hostileString, wrongType), hostile);
  return fc
    .tuple(known, extra)
    .map(([object, unknown]) =>
      Array.isArray(unknown) ? { ...object, [String(unknown[0])]: unknown[1] } : object,
    );
}

/**
 * Values for a JSON Schema node: what the schema describes (so that the request gets past validation and reaches
 * the handler and the database), and in a hostile case, hostile values of the right type and values of the wrong
 * type mixed in at every level.
 */
export function arbitraryOf(node: JsonSchema, hostile: boolean): fc.Arbitrary<unknown> {
  const branches = node.anyOf ?? node.oneOf;
  let fitting: fc.Arbitrary<unknown>;
  if (branches) fitting = fc.oneof(...branches.map((branch) => arbitraryOf(branch, hostile)));
  else if (node.const !== undefined) fitting = fc.constant(node.const);
  else if (node.enum && node.type === undefined) fitting = fc.constantFrom(...node.enum);
  else {
    const types = [node.type ?? 'any'].flat();
    fitting = fc.oneof(...types.map((type) => ofType(type, node, hostile)));
  }
  return hostile
    ? fc.oneof({ weight: 19, arbitrary: fitting }, { weight: 1, arbitrary: wrongType })
    : fitting;
}
