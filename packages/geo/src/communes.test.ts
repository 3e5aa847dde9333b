import { haversineMeters } from '@geocrm/domain';
import { describe, expect, it } from 'vitest';
import { frenchDepartements, frenchRegions, loadFormerCommunes, loadFrenchCommunes, type Commune } from './communes.ts';

const communes = loadFrenchCommunes();
const byInsee = new Map(communes.map((c) => [c.insee, c]));
const get = (insee: string): Commune => {
  const c = byInsee.get(insee);
  if (!c) throw new Error(`missing ${insee}`);
  return c;
};
const near = (c: Commune, lngLat: [number, number], metres: number): void => {
  expect(c.location).not.toBeNull();
  if (c.location) expect(haversineMeters(c.location, lngLat)).toBeLessThan(metres);
};

// Metropolitan France (Corsica included) and the five overseas départements.
const BBOXES: readonly [number, number, number, number][] = [
  [-5.3, 41.3, 9.6, 51.2],
  [-61.9, 15.8, -60.9, 16.6], // Guadeloupe
  [-61.3, 14.3, -60.7, 14.9], // Martinique
  [-54.7, 2.1, -51.5, 5.9], // Guyane
  [55.2, -21.4, 55.9, -20.8], // La Réunion
  [44.9, -13.1, 45.4, -12.6], // Mayotte
];

describe('loadFrenchCommunes', () => {
  it('lists every current commune of metropolitan France and the DROM, plus the municipal arrondissements', () => {
    const kinds = communes.filter((c) => c.kind === 'commune');
    expect(kinds.length).toBeGreaterThan(34_000);
    expect(kinds.length).toBeLessThan(35_500);
    expect(communes.filter((c) => c.kind === 'arrondissement')).toHaveLength(45);
    expect(new Set(communes.map((c) => c.insee)).size).toBe(communes.length);
    expect(loadFrenchCommunes()).toBe(communes);
  });

  it('locates at least 90 % of the population and flags the rest', () => {
    const kinds = communes.filter((c) => c.kind === 'commune');
    const total = kinds.reduce((s, c) => s + c.population, 0);
    const located = kinds.filter((c) => c.location).reduce((s, c) => s + c.population, 0);
    expect(total).toBeGreaterThan(65_000_000);
    expect(located / total).toBeGreaterThan(0.9);
    expect(communes.filter((c) => (c.location === null) !== (c.locationSource === null))).toEqual([]);
  });

  it('places known communes', () => {
    const paris = get('75056');
    expect(paris.name).toBe('Paris');
    expect(paris.locationSource).toBe('geonames');
    expect(paris.postcodes).toContain('75001');
    expect(paris.region).toBe('11');
    near(paris, [2.35, 48.86], 2_000);
    near(get('69123'), [4.835, 45.758], 3_000); // Lyon
    near(get('13055'), [5.37, 43.297], 3_000); // Marseille
    near(get('13201'), [5.384, 43.298], 2_000); // Marseille 1er
    expect(get('13201').kind).toBe('arrondissement');
  });

  it('finds small communes by postcode (Cattenières 59217, Maing 59233)', () => {
    const cattenieres = communes.find((c) => c.name === 'Cattenières');
    expect(cattenieres?.postcodes).toEqual(['59217']);
    expect(cattenieres?.departement).toBe('59');
    if (cattenieres) near(cattenieres, [3.327, 50.135], 5_000);
    const maing = communes.find((c) => c.name === 'Maing');
    expect(maing?.postcodes).toEqual(['59233']);
    if (maing) near(maing, [3.483, 50.308], 5_000);
  });

  it('keeps every location inside metropolitan France or an overseas département', () => {
    for (const c of communes) {
      if (!c.location) continue;
      const [lng, lat] = c.location;
      const inside = BBOXES.some(([w, s, e, n]) => lng >= w && lng <= e && lat >= s && lat <= n);
      if (!inside) throw new Error(`${c.insee} ${c.name} at ${lng},${lat}`);
    }
  });

  it('gives every commune a known département and région', () => {
    const deps = new Set(frenchDepartements().map((d) => d.code));
    expect(communes.filter((c) => !deps.has(c.departement) || c.region === '')).toEqual([]);
  });
});

describe('frenchDepartements / frenchRegions', () => {
  it('has 101 départements and 18 régions', () => {
    expect(frenchDepartements()).toHaveLength(101);
    expect(frenchRegions()).toHaveLength(18);
    expect(frenchDepartements().find((d) => d.code === '2A')).toEqual({ code: '2A', name: 'Corse-du-Sud', region: '94' });
    expect(frenchRegions().find((r) => r.code === '32')?.name).toBe('Hauts-de-France');
  });
});

describe('loadFormerCommunes', () => {
  it('maps merged communes to their current commune', () => {
    const former = loadFormerCommunes();
    expect(former.length).toBeGreaterThan(2_000);
    expect(former.filter((f) => !byInsee.has(f.parent))).toEqual([]);
  });
});
