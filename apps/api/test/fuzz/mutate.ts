import fc from 'fast-check';
import { hostileNumber, hostileString, wrongType } from './hostile.ts';

type Path = (string | number)[];

/** The path of every value inside `value` (itself included), objects and arrays before their members. */
function pathsOf(value: unknown, path: Path = []): Path[] {
  const inner =
    value !== null && typeof value === 'object'
      ? Object.entries(value).flatMap(([key, v]) =>
          pathsOf(v, [...path, Array.isArray(value) ? Number(key) : key]),
        )
      : [];
  return [path, ...inner];
}

function replaced(value: unknown, path: Path, by: unknown): unknown {
  const [head, ...rest] = path;
  if (head === undefined) return by;
  if (Array.isArray(value)) return value.map((v, i) => (i === head ? replaced(v, rest, by) : v));
  if (value !== null && typeof value === 'object') {
    return { ...value, [head]: replaced((value as Record<string, unknown>)[head], rest, by) };
  }
  return value;
}

/**
 * Values from `arbitrary` with exactly one place in them made hostile: a string gets a hostile string, a number a
 * hostile number, anything (one time in four) a value of the wrong type. With the rest of the value plausible, the
 * request gets as far as the one bad value lets it: this is what finds a value a schema lets through to Postgres.
 */
export function withOneHostileValue(arbitrary: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc
    .record({
      value: arbitrary,
      at: fc.nat(),
      string: hostileString,
      number: hostileNumber,
      wrong: wrongType,
      retype: fc.nat(3),
    })
    .map(({ value, at, string, number, wrong, retype }) => {
      const paths = pathsOf(value);
      const path = paths[at % paths.length] ?? [];
      const current = path.reduce<unknown>((v, key) => (v as Record<string, unknown>)[key], value);
      const by =
        retype === 0
          ? wrong
          : typeof current === 'string'
            ? string
            : typeof current === 'number'
              ? number
              : wrong;
      return replaced(value, path, by);
    });
}
