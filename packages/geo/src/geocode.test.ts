import { describe, expect, it } from 'vitest';
import { loadFormerCommunes, loadFrenchCommunes } from './communes.ts';
import { geocode, geocodeAccountAddress, normalizeStreet, parseAddress, type GeocodeFeature } from './geocode.ts';

const best = (input: Parameters<typeof geocode>[0]): GeocodeFeature | undefined => geocode(input).features[0];

describe('parseAddress', () => {
  it('reads number, street, postcode, city, CEDEX and postal boxes', () => {
    expect(parseAddress('18, rue Roger-Salengro 59217 Cattenières')).toEqual({
      housenumber: '18', street: 'Rue Roger-Salengro', postcode: '59217', city: 'Cattenières',
    });
    expect(parseAddress('47 RUE JEAN JAURES 59233 MAING')).toEqual({ housenumber: '47', street: 'Rue Jean Jaures', postcode: '59233', city: 'MAING' });
    expect(parseAddress('3 rue richan à lyon')).toEqual({ housenumber: '3', street: 'Rue Richan', city: 'lyon' });
    expect(parseAddress('BP 123 - 75008 PARIS CEDEX 08')).toEqual({ postcode: '75008', city: 'PARIS', cedex: '08' });
    expect(parseAddress('CS 30001 12 av. des Champs 69003 Lyon Cedex')).toMatchObject({ housenumber: '12', street: 'Avenue des Champs', postcode: '69003', city: 'Lyon', cedex: '' });
    expect(parseAddress('12 bd st michel paris')).toEqual({ housenumber: '12', street: 'Boulevard Saint Michel', city: 'paris' });
    expect(parseAddress({ street: '5 r du fg st-denis', city: 'Paris Cedex 10', postcode: '75010' })).toEqual({
      housenumber: '5', street: 'Rue du Faubourg Saint-Denis', postcode: '75010', city: 'Paris', cedex: '10',
    });
    expect(parseAddress({ city: '59217 Cattenières' })).toEqual({ postcode: '59217', city: 'Cattenières' });
    expect(parseAddress({ street: '3 rue richan à lyon' })).toEqual({ housenumber: '3', street: 'Rue Richan', city: 'lyon' });
    expect(parseAddress({ street: 'BP 4', city: 'Maing Cedex', postcode: '59233' })).toEqual({ postcode: '59233', city: 'Maing', cedex: '' });
  });

  it('expands street types', () => {
    expect(normalizeStreet('imp. des lilas')).toBe('Impasse des Lilas');
    expect(normalizeStreet('CHEM DE LA FONTAINE')).toBe('Chemin de la Fontaine');
    expect(normalizeStreet("pl de l'église")).toBe("Place de l'Église");
    expect(normalizeStreet('rte de Ste-Anne')).toBe('Route de Sainte-Anne');
  });
});

describe('geocode', () => {
  it('locates the examples at the commune', () => {
    const cat = best('18, rue Roger-Salengro 59217 Cattenières');
    expect(cat?.properties).toMatchObject({
      citycode: '59138', city: 'Cattenières', postcode: '59217', precision: 'municipality', score: 1, source: 'gazetteer',
      context: '59, Nord, Hauts-de-France', housenumber: '18', street: 'Rue Roger-Salengro',
    });
    expect(cat?.geometry.type).toBe('Point');
    expect(cat?.geometry.coordinates[0]).toBeCloseTo(3.33, 1);
    expect(best('47 RUE JEAN JAURES 59233 MAING')?.properties).toMatchObject({ citycode: '59369', name: 'Maing', score: 1 });
    expect(best('3 rue richan à lyon')?.properties).toMatchObject({ citycode: '69123', street: 'Rue Richan', precision: 'municipality' });
  });

  it('resolves arrondissements from the postcode (commune point when the arrondissement has none)', () => {
    const paris = best('BP 123 - 75008 PARIS CEDEX 08');
    expect(paris?.properties).toMatchObject({ citycode: '75108', city: 'Paris', label: 'Paris 8e Arrondissement', precision: 'municipality' });
    expect(paris?.geometry.coordinates).toEqual([2.3488, 48.85341]);
    const lyon = best({ street: '10 cours Lafayette', postcode: '69003', city: 'LYON' });
    expect(lyon?.properties).toMatchObject({ citycode: '69383', city: 'Lyon', district: 'Lyon 3e Arrondissement' });
    const lyon3 = loadFrenchCommunes().find((c) => c.insee === '69383');
    expect(lyon?.geometry.coordinates).toEqual(lyon3?.location);
    expect(best('13001 Marseille')?.properties.citycode).toBe('13201');
  });

  it('answers a bare postcode with precision postcode', () => {
    const f = best('59233');
    expect(f?.properties).toMatchObject({ precision: 'postcode', postcode: '59233', city: 'Maing' });
    expect(f?.properties.score).toBeLessThan(1);
    expect(best('69003')?.properties).toMatchObject({ precision: 'postcode', citycode: '69383' });
  });

  it('marks communes located by postcode centroid as postcode precision with a lower score', () => {
    const centroid = loadFrenchCommunes().find((c) => c.kind === 'commune' && c.locationSource === 'postcode-centroid' && c.name.length > 8);
    expect(centroid).toBeDefined();
    const f = best({ city: centroid?.name ?? '', postcode: centroid?.postcodes[0] ?? '' });
    expect(f?.properties.citycode).toBe(centroid?.insee);
    expect(f?.properties.precision).toBe('postcode');
    expect(f?.properties.score).toBeLessThan(0.9);
  });

  it('resolves former names of merged communes to the current commune', () => {
    expect(best('Arbignieu')?.properties).toMatchObject({ citycode: '01015', formerName: 'Arbignieu' });
    const former = loadFormerCommunes().find((f) => f.name === 'Châtillon-en-Michaille');
    expect(former?.location).not.toBeNull();
    const f = best('Châtillon-en-Michaille 01200');
    expect(f?.properties).toMatchObject({ citycode: former?.parent, precision: 'locality', formerName: 'Châtillon-en-Michaille' });
    expect(f?.geometry.coordinates).toEqual(former?.location);
  });

  it('tolerates typos', () => {
    expect(best('Villeurbane')?.properties.citycode).toBe('69266');
    expect(best('Marseile')?.properties.citycode).toBe('13055');
    expect(best('Villeurbane')?.properties.score).toBeLessThan(1);
    // Short names: one edit leaves few shared trigrams; the postcode's communes are compared by edit distance.
    expect(best('80170 Cax')?.properties.citycode).toBe('80162');
    expect(best('07380 Farbas')?.properties.citycode).toBe('07087');
  });

  it('ranks an exact name placed by postcode centroid above a near name placed by GeoNames', () => {
    const f = geocode('5 pl. de l’Église 87230 Lavignac').features;
    expect(f[0]?.properties).toMatchObject({ citycode: '87084', precision: 'postcode' });
    expect(f[1]?.properties.citycode).toBe('87066');
  });

  it('resolves homonyms by postcode, then population', () => {
    expect(best('Saint-Denis 93200')?.properties.citycode).toBe('93066');
    expect(best('Saint-Denis 97400')?.properties.citycode).toBe('97411');
    expect(best('Valence')?.properties.citycode).toBe('26362');
    expect(best('Valence 82400')?.properties.citycode).toBe('82186');
    expect(best({ city: 'Valence', postcode: '26000' })?.properties.citycode).toBe('26362');
  });

  it('flags a postcode that contradicts the city', () => {
    const f = best('Lyon 75008');
    expect(f?.properties).toMatchObject({ citycode: '69123', postcodeMismatch: true });
    expect(f?.properties.score).toBeLessThan(0.7);
    // Same département: preferred, still flagged.
    const sd = best('Saint-Denis 30999');
    expect(sd?.properties).toMatchObject({ citycode: '30247', postcodeMismatch: true });
  });

  it('returns nothing (or nothing confident) for garbage', () => {
    for (const q of ['saint', 'Sainte', 'sur mer', 'le', 'rue', '1 rue', '12345', 'CEDEX', 'BP 45', 'zzzz qqqq', 'xkcd', 'asdfgh jkl', '123 rue de nulle part 00000', '10 rue de la Paix Blorptown', '', '   ', 'qwertyuiop 99999']) {
      expect(geocode(q).features, q).toEqual([]);
    }
    // A real postcode next to an unknown city: only the postcode, with low confidence.
    const fake = geocode('10 rue de la Paix 75002 Blorptown').features;
    expect(fake.every((f) => f.properties.score < 0.5)).toBe(true);
    expect(geocodeAccountAddress({ line1: '10 rue de la Paix', postcode: '75002', city: 'Blorptown', country: 'FR' })).toBeNull();
    // Deterministic pseudo-random strings.
    let seed = 42;
    const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < 200; i++) {
      const s = Array.from({ length: 4 + Math.floor(rand() * 10) }, () => 'bcdfghjkmnpqrstvwxz'[Math.floor(rand() * 19)]).join('');
      expect(geocode(s).features.filter((f) => f.properties.score >= 0.5), s).toEqual([]);
    }
  });

  it('finds a commune without a position but says so (département centre, precision region, low score)', () => {
    const antras = loadFrenchCommunes().find((c) => c.insee === '09011');
    expect(antras?.location).toBeNull();
    const f = best('09800 Antras');
    // Not the located homonym of the Gers (32003).
    expect(f?.properties).toMatchObject({ citycode: '09011', precision: 'region' });
    expect(f?.properties.score).toBeLessThanOrEqual(0.5);
    expect(geocodeAccountAddress({ postcode: '09800', city: 'Antras', country: 'FR' })).toBeNull();
  });

  it('reads a city written before the postcode, even misspelt', () => {
    expect(best('18 rue Roger Salengro Catenieres 59217')?.properties).toMatchObject({ citycode: '59138', street: 'Rue Roger Salengro' });
    expect(best('Mainf 59233')?.properties.citycode).toBe('59369');
  });

  it('reads the street after the city', () => {
    expect(best('59217 Cattenières, 18 rue Roger Salengro')?.properties).toMatchObject({ citycode: '59138', housenumber: '18', street: 'Rue Roger Salengro' });
  });

  it('names a département, a région or the country at precision region / country', () => {
    expect(best('Finistère')?.properties).toMatchObject({ precision: 'region', label: 'Finistère', context: '29, Finistère, Bretagne' });
    expect(best('Seine-Saint-Denis')?.properties.precision).toBe('region');
    expect(best('Corse')?.properties).toMatchObject({ precision: 'region', label: 'Corse' });
    expect(best('Hauts de France')?.properties).toMatchObject({ precision: 'region', label: 'Hauts-de-France' });
    expect(best('France')?.properties.precision).toBe('country');
    // A commune with that very name comes first.
    expect(best('Paris')?.properties.precision).toBe('municipality');
    expect(geocodeAccountAddress({ city: 'Finistère', country: 'FR' })).toBeNull();
  });

  it('honours limit and country', () => {
    expect(geocode('Saint-Martin', { limit: 3 }).features).toHaveLength(3);
    expect(geocode({ city: 'Paris', country: 'DE' }).features).toEqual([]);
    expect(geocode('Paris, France').features[0]?.properties.citycode).toBe('75056');
  });
});

describe('geocodeAccountAddress', () => {
  it('returns the best candidate above the minimum score, or null', () => {
    expect(geocodeAccountAddress({ line1: '47 RUE JEAN JAURES', line2: null, postcode: '59233', city: 'MAING', country: 'FR' })?.properties.citycode).toBe('59369');
    expect(geocodeAccountAddress({ line1: 'BP 123', postcode: '75008', city: 'PARIS CEDEX 08', country: 'FR' })?.properties.citycode).toBe('75108');
    expect(geocodeAccountAddress({ line1: '1 Main St', postcode: '10001', city: 'New York', country: 'US' })).toBeNull();
    expect(geocodeAccountAddress({ line1: '', postcode: '', city: 'zzzz', country: 'FR' })).toBeNull();
    // Everything typed in the first line.
    expect(geocodeAccountAddress({ line1: '18 rue Roger-Salengro 59217 Cattenières', postcode: '', city: '', country: 'France' })?.properties.citycode).toBe('59138');
  });
});
