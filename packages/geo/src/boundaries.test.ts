import { describe, expect, it } from 'vitest';
import { BOUNDARY_LAYERS, loadBoundaries, type BoundaryLayer } from './boundaries.ts';
import { frenchDepartements, frenchRegions } from './communes.ts';
import type { Position } from './geojson.ts';

// Plain checks (not one expect per vertex): the world layer has ~100k positions.
const ringProblem = (ring: readonly Position[]): string | null => {
  if (ring.length < 4) return 'ring with fewer than 4 positions';
  const first = ring[0];
  const last = ring[ring.length - 1];
  if (first?.[0] !== last?.[0] || first?.[1] !== last?.[1]) return 'open ring';
  for (const p of ring) {
    const [lng = NaN, lat = NaN] = p;
    if (p.length !== 2 || !(lng >= -180 && lng <= 180 && lat >= -90 && lat <= 90)) return `bad position ${String(p)}`;
  }
  return null;
};

const EXPECTED: Record<BoundaryLayer, [number, number]> = {
  countries: [170, 260],
  'fr-regions': [18, 18],
  'fr-departements': [101, 101],
};

describe('loadBoundaries', () => {
  it.each(BOUNDARY_LAYERS)('%s is a valid polygon FeatureCollection with { code, name }', (layer) => {
    const fc = loadBoundaries(layer);
    expect(fc.type).toBe('FeatureCollection');
    const [min, max] = EXPECTED[layer];
    expect(fc.features.length).toBeGreaterThanOrEqual(min);
    expect(fc.features.length).toBeLessThanOrEqual(max);
    const codes = new Set<string>();
    for (const f of fc.features) {
      expect(f.type).toBe('Feature');
      expect(typeof f.properties.code).toBe('string');
      expect(f.properties.name.length).toBeGreaterThan(0);
      codes.add(f.properties.code);
      const polygons = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
      expect(polygons.length).toBeGreaterThan(0);
      const problems = polygons.flatMap((rings) => rings.map(ringProblem)).filter((x) => x !== null);
      expect(problems, f.properties.code).toEqual([]);
    }
    expect(codes.size).toBe(fc.features.length);
    expect(loadBoundaries(layer)).toBe(fc);
  });

  it('uses INSEE codes matching the official lists', () => {
    expect(new Set(loadBoundaries('fr-departements').features.map((f) => f.properties.code))).toEqual(
      new Set(frenchDepartements().map((d) => d.code)),
    );
    expect(new Set(loadBoundaries('fr-regions').features.map((f) => f.properties.code))).toEqual(new Set(frenchRegions().map((r) => r.code)));
    expect(loadBoundaries('countries').features.find((f) => f.properties.code === '250')?.properties.name).toBe('France');
  });
});
