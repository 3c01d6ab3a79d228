const WHITESPACE = new Set([' ', '\t', '\n', '\r']);

/**
 * The raw text of a top-level member of a JSON object, exactly as it appears in `json` (for an object: braces,
 * whitespace and key order as received), or undefined when the member is absent. Exact signs the text of its
 * `Content` object, and re-serializing a parsed copy would change that text. `json` must be valid JSON (parse it
 * first); the scan only has to know where strings begin and end.
 */
export function rawMember(json: string, name: string): string | undefined {
  let i = skipWhitespace(json, 0);
  if (json[i] !== '{') return undefined;
  i = skipWhitespace(json, i + 1);
  while (json[i] === '"') {
    const keyEnd = skipString(json, i);
    const key: unknown = JSON.parse(json.slice(i, keyEnd));
    i = skipWhitespace(json, keyEnd);
    if (json[i] !== ':') return undefined;
    const start = skipWhitespace(json, i + 1);
    const end = skipValue(json, start);
    if (key === name) return json.slice(start, end);
    i = skipWhitespace(json, end);
    if (json[i] !== ',') return undefined;
    i = skipWhitespace(json, i + 1);
  }
  return undefined;
}

function skipWhitespace(json: string, from: number): number {
  let i = from;
  while (i < json.length && WHITESPACE.has(json.charAt(i))) i++;
  return i;
}

/** Index just past the string that opens at `from`, honouring backslash escapes. */
function skipString(json: string, from: number): number {
  let i = from + 1;
  while (i < json.length) {
    const c = json[i];
    if (c === '\\') i += 2;
    else if (c === '"') return i + 1;
    else i++;
  }
  return i;
}

/** Index just past the value that starts at `from`: a string, an object or array (nesting counted), or a literal. */
function skipValue(json: string, from: number): number {
  const first = json[from];
  if (first === '"') return skipString(json, from);
  if (first === '{' || first === '[') {
    let depth = 0;
    let i = from;
    while (i < json.length) {
      const c = json[i];
      if (c === '"') {
        i = skipString(json, i);
        continue;
      }
      if (c === '{' || c === '[') depth++;
      else if (c === '}' || c === ']') depth--;
      i++;
      if (depth === 0) return i;
    }
    return i;
  }
  let i = from;
  while (i < json.length && !WHITESPACE.has(json.charAt(i)) && !',}]'.includes(json.charAt(i))) i++;
  return i;
}
