import { describe, expect, it } from 'vitest';
import { parseEnv } from '../src/env.ts';

describe('environment', () => {
  it('has the documented defaults', () => {
    const env = parseEnv({});
    expect(env.port).toBe(7070);
    expect(env.logLevel).toBe('warn');
    expect(env.config).toMatchObject({
      seed: 1,
      divisions: [100001, 100002],
      items: 500,
      accounts: 200,
      clients: [
        {
          clientId: 'exact-sim-client',
          clientSecret: 'exact-sim-secret',
          webhookSecret: 'exact-sim-webhook-secret',
        },
      ],
      minuteMs: 60_000,
      dayMs: 86_400_000,
      minuteLimit: 60,
      dayLimit: 5000,
      ordersCountDaily: true,
    });
  });

  it('reads every variable and lets SIM_CONFIG override', () => {
    const env = parseEnv({
      SIM_PORT: '0',
      SIM_DIVISIONS: '7, 8',
      SIM_ITEMS: '100000',
      SIM_MINUTE_MS: '1000',
      SIM_ORDERS_COUNT_DAILY: 'false',
      SIM_CONFIG: '{"refreshMinAgeMs":1000,"minuteMs":2000}',
    });
    expect(env.port).toBe(0);
    expect(env.config).toMatchObject({
      divisions: [7, 8],
      items: 100_000,
      minuteMs: 2000,
      refreshMinAgeMs: 1000,
      ordersCountDaily: false,
    });
  });

  it('lists every bad variable in one error', () => {
    expect(() =>
      parseEnv({ SIM_PORT: 'x', SIM_DIVISIONS: 'a,b', SIM_ORDERS_COUNT_DAILY: 'maybe', LOG_LEVEL: 'loud' }),
    ).toThrow(/SIM_PORT[\s\S]*SIM_DIVISIONS[\s\S]*SIM_ORDERS_COUNT_DAILY[\s\S]*LOG_LEVEL/);
    expect(() => parseEnv({ SIM_CONFIG: '{"nope":1}' })).toThrow(/SIM_CONFIG/);
    expect(() => parseEnv({ SIM_CONFIG: '{' })).toThrow(/SIM_CONFIG: not valid JSON/);
  });
});
