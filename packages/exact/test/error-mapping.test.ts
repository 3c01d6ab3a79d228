import { describe, expect, it } from 'vitest';
import { errorForResponse } from '../src/error-mapping.ts';
import {
  BudgetExhaustedError,
  EndpointGuardedError,
  ExactAuthError,
  ExactForbiddenError,
  ExactNetworkError,
  ExactNotFoundError,
  ExactServerError,
  ExactValidationError,
  isPermanent,
  RetryLaterError,
  UnexpectedBodyError,
} from '../src/errors.ts';
import { TokenRefreshTooEarlyError } from '../src/tokens/token-errors.ts';

const exactBody = (value: string) => JSON.stringify({ error: { code: '', message: { lang: '', value } } });

describe('errorForResponse', () => {
  it("maps 400 to a validation error carrying Exact's message", () => {
    const err = errorForResponse(400, exactBody('OrderedBy: Mandatory'), 'POST', 'salesorder/salesorders');
    expect(err).toBeInstanceOf(ExactValidationError);
    expect(err.name).toBe('ExactValidationError');
    expect(err.message).toBe('OrderedBy: Mandatory');
    expect(isPermanent(err)).toBe(true);
  });

  it('maps 401, 403, 404 and other 4xx to their classes', () => {
    expect(errorForResponse(401, '', 'GET', 'crm/accounts')).toBeInstanceOf(ExactAuthError);
    expect(errorForResponse(403, exactBody('Forbidden'), 'GET', 'crm/accounts')).toBeInstanceOf(
      ExactForbiddenError,
    );
    expect(errorForResponse(404, '', 'GET', 'crm/accounts')).toBeInstanceOf(ExactNotFoundError);
    expect(errorForResponse(422, exactBody('bad'), 'POST', 'x/y')).toBeInstanceOf(ExactValidationError);
    expect(isPermanent(errorForResponse(401, '', 'GET', 'crm/accounts'))).toBe(false);
  });

  it('maps 5xx to a server error with a short excerpt of a non-JSON body', () => {
    const err = errorForResponse(503, `<html>${'x'.repeat(1000)}</html>`, 'POST', 'salesorder/salesorders');
    expect(err).toBeInstanceOf(ExactServerError);
    expect(err.message.length).toBeLessThan(300);
    expect(isPermanent(err)).toBe(false);
  });
});

describe('isPermanent', () => {
  it('counts neither network failures, unreadable bodies nor waits as permanent', () => {
    expect(isPermanent(new ExactNetworkError('reset', 'x/y'))).toBe(false);
    expect(isPermanent(new UnexpectedBodyError('no d'))).toBe(false);
    expect(isPermanent(new BudgetExhaustedError(1, 'minute'))).toBe(false);
    expect(isPermanent(new Error('x'))).toBe(false);
  });
});

describe('RetryLaterError', () => {
  it('is the one base of every "ask again at until" error, and none of them is permanent', () => {
    const waits = [
      new BudgetExhaustedError(1000, 'day'),
      new EndpointGuardedError('salesorder/salesorders', 2000),
      new TokenRefreshTooEarlyError('c1', 3000),
    ];
    for (const wait of waits) {
      expect(wait).toBeInstanceOf(RetryLaterError);
      expect(isPermanent(wait)).toBe(false);
    }
    expect(waits.map((w) => [w.name, w.until])).toEqual([
      ['BudgetExhaustedError', 1000],
      ['EndpointGuardedError', 2000],
      ['TokenRefreshTooEarlyError', 3000],
    ]);
    for (const other of [errorForResponse(400, '', 'GET', 'x/y'), new ExactNetworkError('reset', 'x/y')]) {
      expect(other).not.toBeInstanceOf(RetryLaterError);
    }
  });
});
