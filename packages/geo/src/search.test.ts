import { describe, expect, it } from 'vitest';
import { findCommunes, nameSimilarity, trigrams } from './search.ts';

const first = (query: string, options?: Parameters<typeof findCommunes>[1]): string | undefined => findCommunes(query, options)[0]?.commune.insee;

describe('trigrams / nameSimilarity', () => {
  it('follows pg_trgm', () => {
    expect([...trigrams('cat')].sort()).toEqual(['  c', ' ca', 'at ', 'cat']);
    expect(nameSimilarity('Saint-Étienne', 'st etienne')).toBe(1);
    expect(nameSimilarity('Paris', 'Lyon')).toBe(0);
  });
});

describe('findCommunes', () => {
  it('finds exact names whatever the spelling', () => {
    expect(first('Paris')).toBe('75056');
    expect(first('MARSEILLE')).toBe('13055');
    expect(first('chalons en champagne')).toBe('51108');
    expect(first('St Étienne')).toBe('42218');
  });

  it('tolerates typos', () => {
    expect(first('Catenieres')).toBe('59138');
    expect(first('Strasbour')).toBe('67482');
    expect(first('Montpelier')).toBe('34172');
  });

  it('ranks homonyms by postcode, département, then population', () => {
    const plain = findCommunes('Saint-Denis');
    expect(plain.length).toBeGreaterThan(3);
    expect(plain[0]?.similarity).toBe(1);
    expect(first('Saint-Denis', { postcode: '93200' })).toBe('93066');
    expect(first('Saint-Denis 97400')).toBe('97411');
    expect(first('Saint-Denis', { postcode: '11310' })).toBe('11339');
    const dep = findCommunes('Saint-Denis', { postcode: '30999' })[0];
    expect(dep?.commune.insee).toBe('30247');
    expect(dep?.postcodeMatch).toBe('departement');
    const maing = findCommunes('Maing', { postcode: '59233' })[0];
    expect(maing?.commune.name).toBe('Maing');
    expect(maing?.postcodeMatch).toBe('postcode');
  });

  it('finds the current commune from the name of a merged one', () => {
    const hit = findCommunes('Arbignieu')[0];
    expect(hit?.commune.insee).toBe('01015');
    expect(hit?.via).toBe('former-name');
    expect(hit?.matchedName).toBe('Arbignieu');
  });

  it('prefers current names and word-prefix matches over former names', () => {
    const boulogne = findCommunes('Boulogne').map((m) => m.commune.insee);
    expect(boulogne.slice(0, 2).sort()).toEqual(['62160', '92012']);
    expect(findCommunes('Boulogne', { postcode: '85140' })[0]?.commune.insee).toBe('85084');
  });

  it('lists the communes of a bare postcode', () => {
    const hits = findCommunes('', { postcode: '59440', limit: 100 });
    expect(hits.length).toBeGreaterThan(10);
    expect(hits.every((h) => h.commune.postcodes.includes('59440'))).toBe(true);
  });

  it('returns nothing for garbage and honours limit', () => {
    expect(findCommunes('xyzzy qwerty')).toEqual([]);
    expect(findCommunes('asdfgh')).toEqual([]);
    expect(findCommunes('')).toEqual([]);
    expect(findCommunes('12345')).toEqual([]);
    expect(findCommunes('Saint', { limit: 3 })).toHaveLength(3);
  });
});
