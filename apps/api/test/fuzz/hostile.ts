import fc from 'fast-check';

/**
 * Input classes a hostile client sends, found by a review or known to break one layer or another: characters
 * Postgres or JSON cannot hold, years outside 1..9999, numbers past every integer type, crafted cursors, deep and
 * huge JSON, and plain wrong types.
 */

/** Text that is spliced into the JSON as sent (numbers JSON.stringify cannot write, nesting it would not build). */
const RAW = '@@raw@@';
const raw = (text: string): string => `${RAW}${text}${RAW}`;
const RAW_VALUE = new RegExp(`"${RAW}(.*?)${RAW}"`, 'gs');

/** JSON text of a value, with `raw(...)` markers replaced by their text. */
export function toJsonText(value: unknown): string {
  return (JSON.stringify(value) ?? 'null').replace(RAW_VALUE, (_match, text: string) =>
    JSON.parse(`"${text}"`),
  );
}

const controls = [...Array(32).keys(), 0x7f, 0x85, 0x9f].map((cp) => String.fromCharCode(cp));
const unicodeTraps = ['\u2028', '\u2029', '\ud800', '\udfff', '\ud83d', '\ufeff', '\u202e', '\uffff', '😀'];

const cursorOf = (iso: string, id = '00000000-0000-4000-8000-000000000000') =>
  Buffer.from(`${iso}|${id}`).toString('base64url');

const hostileTimes = [
  '0000-01-01T00:00:00.000Z',
  '0001-01-01T00:00:00.000Z',
  '9999-12-31T23:59:59.999Z',
  '+010000-01-01T00:00:00.000Z',
  '-000001-01-01T00:00:00.000Z',
  '-271821-04-20T00:00:00.000Z',
  '+275760-09-13T00:00:00.000Z',
  '2024-02-30T00:00:00.000Z',
  '0001-01-01T00:00:00+14:00',
  '9999-12-31T23:59:59-23:59',
  '0001-01-01T00:00:00+00:01',
  '2024-01-01T24:00:00Z',
  '2024-01-01T00:00:00.123456789Z',
  'not a time',
];
const hostileDates = ['0000-01-01', '0001-01-01', '9999-12-31', '10000-01-01', '-0001-01-01', '2023-02-29'];

/** Cursors as a client could craft them: base64url of a position whose time or id Postgres would refuse. */
const craftedCursors = [
  ...hostileTimes.map((iso) => cursorOf(iso)),
  cursorOf('2024-01-01T00:00:00.000Z', 'not-a-uuid'),
  cursorOf('2024-01-01T00:00:00.000Z', "' or 1=1 --"),
  Buffer.from('2024-01-01T00:00:00.000Z|00000000-0000-4000-8000-000000000000|x').toString('base64url'),
  Buffer.from('\u0000|\u0000').toString('base64url'),
  '!!!!',
  '',
];

/** A string that keeps a field's length rules but carries a character it must refuse. */
const trapChar = fc.oneof(
  { weight: 1, arbitrary: fc.constant('\u0000') },
  { weight: 2, arbitrary: fc.constantFrom(...controls, ...unicodeTraps) },
);
const spliced = fc
  .tuple(fc.string({ maxLength: 6 }), trapChar, fc.string({ maxLength: 6 }))
  .map(([a, trap, b]) => `${a}${trap}${b}`);

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: spliced },
  { weight: 2, arbitrary: fc.constantFrom(...hostileTimes, ...hostileDates, ...craftedCursors) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('', ' ', '\t', "' or 1=1 --", '%00', '../../etc/passwd', 'x'.repeat(5_000)),
  },
);

/** Numbers past each bound that matters: int32, the safe integers, int64, doubles, and what JSON cannot write. */
export const hostileNumber: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom(0, -1, 2_147_483_647, 2_147_483_648, -2_147_483_649, 2 ** 53, 2 ** 63, 1e308),
  },
  { weight: 1, arbitrary: fc.constantFrom(0.5, -0, 5e-324, -1e308) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      raw('1e400'),
      raw('-1e400'),
      raw('123456789012345678901234567890'),
      raw('1e-400'),
    ),
  },
  { weight: 1, arbitrary: fc.double() },
);

/** A value of the wrong type, deep nesting included. */
export const wrongType: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 100, max: 20_000 })
      .map((depth) => raw(`${'['.repeat(depth)}${']'.repeat(depth)}`)),
  },
);

/** Whole bodies that are not what any route expects: broken JSON, huge JSON, other media. */
export const hostileBodyText: fc.Arbitrary<string> = fc.oneof(
  fc.string().map((text) => `{${text}`),
  fc.constantFrom('', 'null', '[]', '"x"', '{"__proto__":{"x":1}}', '{"constructor":{"prototype":{}}}'),
  fc.constantFrom(`{"a":"${'x'.repeat(300_000)}"}`, `${'['.repeat(50_000)}${']'.repeat(50_000)}`),
);
