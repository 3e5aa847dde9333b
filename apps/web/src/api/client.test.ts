import { describe, expect, it } from 'vitest';
import { ApiError, fieldErrors, toQueryString } from './client.ts';

describe('api client helpers', () => {
  it('builds query strings without empty values', () => {
    expect(toQueryString({ a: 'x', b: '', c: undefined, d: ['p', 'q'], e: [], f: 50 })).toBe('?a=x&d=p%2Cq&f=50');
    expect(toQueryString({})).toBe('');
  });

  it('reads field errors from the shapes a validation error may carry', () => {
    const ajv = new ApiError(400, { code: 'VALIDATION', message: 'Invalid', details: { errors: [{ instancePath: '/body/email', message: 'must be an email' }] } });
    expect(fieldErrors(ajv)).toEqual({ email: 'must be an email' });
    const nested = new ApiError(400, { code: 'VALIDATION', message: 'Invalid', details: { errors: [{ path: '/address/postcode', message: 'too long' }] } });
    expect(fieldErrors(nested)).toEqual({ 'address.postcode': 'too long' });
    const single = new ApiError(400, { code: 'VALIDATION', message: 'Name is required', details: { field: 'name' } });
    expect(fieldErrors(single)).toEqual({ name: 'Name is required' });
    expect(fieldErrors(new Error('x'))).toEqual({});
  });
});

describe('field errors from the server', () => {
  it('keeps the first message per field', () => {
    const error = new ApiError(400, {
      code: 'VALIDATION',
      message: 'Invalid request',
      details: {
        issues: [
          { path: 'body/email', message: 'must match format "email"' },
          { path: 'body/email', message: 'must be null' },
        ],
      },
    });
    expect(fieldErrors(error)).toEqual({ email: 'must match format "email"' });
  });
});
