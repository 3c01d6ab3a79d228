import { describe, expect, it } from 'vitest';
import { UnexpectedBodyError } from '../src/errors.ts';
import {
  exactErrorMessage,
  guidLiteral,
  parseExactDate,
  parseOptionalExactDate,
  queryString,
  stringLiteral,
  timestampLiteral,
  unwrapRecord,
  unwrapResults,
} from '../src/odata.ts';

describe('parseExactDate', () => {
  it('reads /Date(ms)/ as UTC epoch milliseconds', () => {
    expect(parseExactDate('/Date(1641034800000)/').toISOString()).toBe('2022-01-01T11:00:00.000Z');
    expect(parseExactDate('/Date(-86400000)/').toISOString()).toBe('1969-12-31T00:00:00.000Z');
  });

  it('tolerates an offset suffix and refuses anything else', () => {
    expect(parseExactDate('/Date(1641034800000+0100)/').getTime()).toBe(1641034800000);
    expect(() => parseExactDate('2022-01-01')).toThrow(UnexpectedBodyError);
  });

  it('keeps unset dates as null', () => {
    expect(parseOptionalExactDate(null)).toBeNull();
    expect(parseOptionalExactDate('/Date(0)/')?.getTime()).toBe(0);
  });
});

describe('unwrapResults', () => {
  it('reads the d.results shape with its __next link', () => {
    const page = unwrapResults({ d: { results: [{ ID: 'a' }], __next: 'https://x/api?$skiptoken=1' } });
    expect(page).toEqual({ records: [{ ID: 'a' }], next: 'https://x/api?$skiptoken=1' });
  });

  it('reads the d[] shape of function endpoints', () => {
    expect(unwrapResults({ d: [{ ID: 'a' }, { ID: 'b' }] })).toEqual({
      records: [{ ID: 'a' }, { ID: 'b' }],
      next: null,
    });
  });

  it('treats an absent or empty __next as the last page', () => {
    expect(unwrapResults({ d: { results: [] } }).next).toBeNull();
    expect(unwrapResults({ d: { results: [], __next: '' } }).next).toBeNull();
  });

  it('refuses bodies without the envelope', () => {
    expect(() => unwrapResults({ value: [] })).toThrow(UnexpectedBodyError);
    expect(() => unwrapResults({ d: { results: [1] } })).toThrow(UnexpectedBodyError);
    expect(() => unwrapResults(undefined)).toThrow(UnexpectedBodyError);
  });
});

describe('unwrapRecord', () => {
  it('reads one record and the results form', () => {
    expect(unwrapRecord({ d: { OrderID: 'x' } })).toEqual({ OrderID: 'x' });
    expect(unwrapRecord({ d: { results: [{ CurrentDivision: 1 }] } })).toEqual({ CurrentDivision: 1 });
    expect(() => unwrapRecord({ d: { results: [] } })).toThrow(UnexpectedBodyError);
  });
});

describe('exactErrorMessage', () => {
  it("reads Exact's REST and OAuth error shapes", () => {
    expect(exactErrorMessage({ error: { code: '', message: { lang: '', value: 'Item is required' } } })).toBe(
      'Item is required',
    );
    expect(
      exactErrorMessage({ error: 'invalid_grant', error_description: 'The refresh token expired' }),
    ).toBe('The refresh token expired');
    expect(exactErrorMessage('<html>')).toBeNull();
  });
});

describe('literals', () => {
  it('escapes quotes in strings and accepts only GUIDs as guid literals', () => {
    expect(stringLiteral("O'Brien")).toBe("'O''Brien'");
    expect(guidLiteral('4C2F2A40-1E5C-4E8B-9A3C-0B3F6F8E1D22')).toBe(
      "guid'4c2f2a40-1e5c-4e8b-9a3c-0b3f6f8e1d22'",
    );
    expect(() => guidLiteral("x' or 1 eq 1")).toThrow(TypeError);
  });

  it('starts sync filters at 1 and keeps big Timestamps exact', () => {
    expect(timestampLiteral(undefined)).toBe('1L');
    expect(timestampLiteral(0n)).toBe('1L');
    expect(timestampLiteral('90071992547409931')).toBe('90071992547409931L');
    expect(() => timestampLiteral('1 or 1')).toThrow(TypeError);
  });

  it('encodes spaces as %20 and keeps $ and commas readable', () => {
    expect(
      queryString({ $filter: "YourRef eq 'B2C 1'", $select: 'OrderID,OrderNumber', $top: undefined }),
    ).toBe("?$filter=YourRef%20eq%20'B2C%201'&$select=OrderID,OrderNumber");
  });
});
