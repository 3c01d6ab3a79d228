import { describe, expect, it } from 'vitest';
import { budgetKeyFor } from '../src/budget-key.ts';
import { endpointOf } from '../src/endpoint-context.ts';
import { normalizeEndpoint } from '../src/rate-governor.ts';

describe('budgetKeyFor', () => {
  it('gives two connections to one division on one host the same key', () => {
    expect(budgetKeyFor('https://start.exactonline.nl', 100001)).toBe(
      budgetKeyFor('https://START.exactonline.nl/some/path/', 100001),
    );
  });

  it('separates divisions and hosts, keeping a non-default port', () => {
    expect(budgetKeyFor('https://start.exactonline.nl', 100001)).not.toBe(
      budgetKeyFor('https://start.exactonline.nl', 100002),
    );
    expect(budgetKeyFor('https://start.exactonline.be', 1)).toBe('start.exactonline.be/1');
    expect(budgetKeyFor('http://127.0.0.1:4010', 1)).toBe('127.0.0.1:4010/1');
  });

  it('refuses a division that is not a positive integer', () => {
    expect(() => budgetKeyFor('https://start.exactonline.nl', 0)).toThrow(TypeError);
  });
});

describe('endpoint names for the error guard', () => {
  it('strip the division, keys and query', () => {
    expect(normalizeEndpoint(endpointOf("https://h/api/v1/1/crm/Accounts(guid'x')?$select=ID"))).toBe(
      'crm/accounts',
    );
    expect(normalizeEndpoint(endpointOf('https://h/api/v1/1/sync/Logistics/Items?$filter=x'))).toBe(
      'sync/logistics/items',
    );
    expect(endpointOf('https://h/api/v1/current/Me')).toBe('current/Me');
  });
});
