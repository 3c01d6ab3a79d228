import { z } from 'zod';

/**
 * The characters rules of every string the api takes. What they keep out, and why:
 * - control characters (Unicode Cc: U+0000–U+001F, U+007F–U+009F). Postgres `text` and `jsonb` cannot hold U+0000
 *   at all, and the rest have no place in a code or a name; human text keeps tab, line feed and carriage return
 *   (browsers send a textarea's line breaks as CR LF);
 * - in codes, also the line and paragraph separators U+2028/U+2029, which break lines where no one expects it;
 * - lone surrogates (half of a UTF-16 pair): not characters at all. Postgres would store U+FFFD instead, and the
 *   order kept would no longer be the order received.
 */
type Kind = 'code' | 'text';

const LINE_BREAKS_OF_TEXT = new Set([0x09, 0x0a, 0x0d]);

const hex = (cp: number) => `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
const isControl = (cp: number) => cp <= 0x1f || (cp >= 0x7f && cp <= 0x9f);

/** Why `value` breaks the rules of its kind (naming the first offending character), or undefined if it keeps them. */
function problemIn(value: string, kind: Kind): string | undefined {
  let at = 0;
  for (const char of value) {
    const cp = char.codePointAt(0) ?? 0;
    if (cp >= 0xd800 && cp <= 0xdfff)
      return `must be valid Unicode text (lone surrogate ${hex(cp)} at ${at})`;
    if (isControl(cp) && !(kind === 'text' && LINE_BREAKS_OF_TEXT.has(cp))) {
      const allowed = kind === 'text' ? ' other than tab and line breaks' : '';
      return `must not contain control characters${allowed} (${hex(cp)} at ${at})`;
    }
    if (kind === 'code' && (cp === 0x2028 || cp === 0x2029)) {
      return `must not contain line breaks (${hex(cp)} at ${at})`;
    }
    at += char.length;
  }
  return undefined;
}

const keepsRules = <T extends z.ZodType<string>>(schema: T, kind: Kind) =>
  schema.refine((value) => problemIn(value, kind) === undefined, {
    error: (issue) => problemIn(String(issue.input), kind),
  });

const atMost = (max: number) => `must be at most ${max} characters`;

/** An identifier a person may type (SKU, customer or account code): trimmed, not empty, no control characters. */
export const code = (max: number) =>
  keepsRules(z.string().trim().min(1, 'must not be empty').max(max, atMost(max)), 'code');

/** A machine token compared as sent (cursor, OAuth code and state, signature, webhook key): no control characters. */
export const token = (max: number) => keepsRules(z.string().max(max, atMost(max)), 'code');

/** A name or address line: trimmed, not empty; tab and line breaks allowed, other control characters not. */
export const text = (max: number) =>
  keepsRules(z.string().trim().min(1, 'must not be empty').max(max, atMost(max)), 'text');

/** Free text kept as sent, possibly empty (an order's note): tab and line breaks allowed, other control characters not. */
export const freeText = (max: number) => keepsRules(z.string().max(max, atMost(max)), 'text');

/** An http(s) URL, at most 2,000 characters, without control characters (the URL parser would drop some silently). */
export const httpUrl = keepsRules(
  z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(2_000, atMost(2_000)),
  'code',
);
