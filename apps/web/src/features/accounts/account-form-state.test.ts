import { describe, expect, it } from 'vitest';
import { createBody, EMPTY_FORM, parseTags, updateBody } from './account-form-state.ts';

describe('account form state', () => {
  it('sends only the changed fields, with empty strings as null', () => {
    const initial = { ...EMPTY_FORM, name: 'Boulangerie', phone: '01 02', city: 'Lyon' };
    expect(updateBody(initial, { ...initial, phone: '' })).toEqual({ phone: null });
    expect(updateBody(initial, { ...initial, city: 'Lille' })).toEqual({
      address: { line1: '', line2: '', postcode: '', city: 'Lille', country: 'FR' },
    });
    expect(updateBody(initial, initial)).toEqual({});
  });

  it('normalises tags and visit days', () => {
    expect(parseTags(' a, b ,a,, c')).toEqual(['a', 'b', 'c']);
    const body = createBody({ ...EMPTY_FORM, name: ' X ', preferredVisitDays: [5, 1], ownerId: '' });
    expect(body.name).toBe('X');
    expect(body.preferredVisitDays).toEqual([1, 5]);
    expect(body.ownerId).toBeNull();
  });
});
