import { describe, expect, it } from 'vitest';
import { parseRateHeaders } from '../src/rate-headers.ts';

describe('parseRateHeaders', () => {
  it('reads all six headers case-insensitively', () => {
    expect(
      parseRateHeaders({
        'X-RateLimit-Limit': '5000',
        'x-ratelimit-remaining': '4999',
        'X-RATELIMIT-RESET': '1750809600000',
        'x-ratelimit-minutely-limit': '60',
        'x-ratelimit-minutely-remaining': '59',
        'x-ratelimit-minutely-reset': '1750795260000',
      }),
    ).toEqual({
      dayLimit: 5000,
      dayRemaining: 4999,
      dayReset: 1750809600000,
      minuteLimit: 60,
      minuteRemaining: 59,
      minuteReset: 1750795260000,
    });
  });

  it('keeps the subset a 429 carries and leaves the rest out', () => {
    expect(
      parseRateHeaders({
        'x-ratelimit-minutely-remaining': '0',
        'x-ratelimit-minutely-reset': '1750795260000',
      }),
    ).toEqual({ minuteRemaining: 0, minuteReset: 1750795260000 });
    expect(parseRateHeaders({ 'content-type': 'application/json' })).toEqual({});
  });

  it('drops malformed values instead of guessing', () => {
    expect(
      parseRateHeaders({
        'x-ratelimit-limit': 'lots',
        'x-ratelimit-remaining': '-1',
        'x-ratelimit-reset': '12.5',
      }),
    ).toEqual({});
  });

  it('takes the first of repeated headers', () => {
    expect(parseRateHeaders({ 'x-ratelimit-minutely-limit': ['100', '60'] })).toEqual({ minuteLimit: 100 });
  });
});
