import { describe, expect, it } from 'vitest';
import { countActiveFilters, filterParams, filterSearchString, readFilters, readSort } from './account-filters.ts';

describe('account filters in the URL', () => {
  it('reads known kinds and statuses and drops unknown ones', () => {
    const filters = readFilters(new URLSearchParams('kind=client,bogus,prospect&status=lead&ownerId=none&tag=vip,%20north&q=lyon'));
    expect(filters).toEqual({ kind: ['client', 'prospect'], status: ['lead'], ownerId: 'none', tag: ['vip', 'north'], q: 'lyon' });
    expect(countActiveFilters(filters)).toBe(5);
  });

  it('round-trips through API parameters, leaving empty filters out', () => {
    const params = filterParams({ kind: ['client'], status: [], ownerId: '', tag: ['a', 'b'], q: '  x ' });
    expect(params).toEqual({ kind: 'client', tag: 'a,b', q: 'x' });
    expect(readFilters(new URLSearchParams(params))).toEqual({ kind: ['client'], status: [], ownerId: '', tag: ['a', 'b'], q: 'x' });
  });

  it('keeps only filter keys when carrying them between list and map', () => {
    expect(filterSearchString(new URLSearchParams('sort=-city&kind=client&q=a&cursor=zz'))).toBe('?kind=client&q=a');
    expect(filterSearchString(new URLSearchParams('sort=name'))).toBe('');
  });

  it('leaves an unknown sort to the server default', () => {
    expect(readSort(new URLSearchParams('sort=-city'))).toBe('-city');
    expect(readSort(new URLSearchParams('sort=drop table'))).toBeUndefined();
  });
});
