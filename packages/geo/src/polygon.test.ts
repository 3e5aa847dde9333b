import { describe, expect, it } from 'vitest';
import { loadBoundaries } from './boundaries.ts';
import { loadFrenchCommunes } from './communes.ts';
import type { MultiPolygon, Polygon } from './geojson.ts';
import { pointInPolygon } from './polygon.ts';

const square: Polygon = {
  type: 'Polygon',
  coordinates: [
    [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]],
    [[4, 4], [6, 4], [6, 6], [4, 6], [4, 4]],
  ],
};

// Metres from a point to the nearest edge (local equirectangular projection).
const distanceToEdges = (p: readonly [number, number], g: Polygon | MultiPolygon): number => {
  const k = Math.cos((p[1] * Math.PI) / 180);
  let best = Infinity;
  for (const rings of g.type === 'Polygon' ? [g.coordinates] : g.coordinates) {
    for (const ring of rings) {
      for (let i = 1; i < ring.length; i++) {
        const ax = ((ring[i - 1]?.[0] ?? 0) - p[0]) * k;
        const ay = (ring[i - 1]?.[1] ?? 0) - p[1];
        const dx = ((ring[i]?.[0] ?? 0) - p[0]) * k - ax;
        const dy = (ring[i]?.[1] ?? 0) - p[1] - ay;
        const len = dx * dx + dy * dy;
        const t = len === 0 ? 0 : Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len));
        best = Math.min(best, Math.hypot(ax + t * dx, ay + t * dy) * 111_195);
      }
    }
  }
  return best;
};

describe('pointInPolygon', () => {
  it('respects holes and multipolygons', () => {
    expect(pointInPolygon([1, 1], square)).toBe(true);
    expect(pointInPolygon([5, 5], square)).toBe(false);
    expect(pointInPolygon([11, 5], square)).toBe(false);
    const multi: MultiPolygon = { type: 'MultiPolygon', coordinates: [square.coordinates, [[[20, 20], [21, 20], [21, 21], [20, 20]]]] };
    expect(pointInPolygon([20.8, 20.2], multi)).toBe(true);
  });

  it('puts every located commune in (or, at a coarse coast or border, within 10 km of) its département', () => {
    const deps = new Map(loadBoundaries('fr-departements').features.map((f) => [f.properties.code, f.geometry]));
    const problems: string[] = [];
    let outside = 0;
    for (const c of loadFrenchCommunes()) {
      const g = deps.get(c.departement);
      if (!c.location || !g || pointInPolygon(c.location, g)) continue;
      outside++;
      const d = distanceToEdges(c.location, g);
      if (d > 10_000) problems.push(`${c.insee} ${c.name}: ${Math.round(d)} m`);
    }
    expect(problems).toEqual([]);
    // Natural Earth outlines are coarse; a jump here means a bad join, not coarse outlines.
    expect(outside).toBeLessThan(600);
  });
});
