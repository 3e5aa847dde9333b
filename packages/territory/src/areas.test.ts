import { describe, expect, it } from 'vitest';
import { pointInPolygon } from '@geocrm/geo';
import { accountAreas, communeAreas, departementAreas, h3Areas } from './areas.ts';
import { designTerritories } from './design.ts';
import { graphComponents } from './graph.ts';
import type { AreaGraph } from './types.ts';

const neighbourIds = (g: AreaGraph, id: string): string[] => {
  const i = g.areas.findIndex((a) => a.id === id);
  return [...g.neighbours.subarray(g.offsets[i], g.offsets[i + 1])].map((j) => g.areas[j]?.id ?? '');
};

describe('departementAreas', () => {
  const g = departementAreas();

  it('has the 96 metropolitan départements, adjacent along shared borders, Corsica bridged', () => {
    expect(g.areas).toHaveLength(96);
    expect(neighbourIds(g, '59').sort()).toEqual(['02', '62', '80'].sort());
    expect(neighbourIds(g, '2A')).toContain('2B');
    expect(g.bridges).toHaveLength(1);
    expect(graphComponents(g)).toHaveLength(1);
    expect(g.islands).toEqual([]);
    const nord = g.areas.find((a) => a.id === '59');
    expect(nord?.areaKm2).toBeGreaterThan(5000);
    expect(nord?.areaKm2).toBeLessThan(7000);
    expect(nord?.measures.count).toBeGreaterThan(600);
    expect(nord?.measures.potential).toBeGreaterThan(2_500_000);
  });

  it('can be restricted to some départements, and names unknown codes', () => {
    const hdf = departementAreas({ departements: ['02', '59', '60', '62', '80'] });
    expect(hdf.areas.map((a) => a.id)).toEqual(['02', '59', '60', '62', '80']);
    expect(graphComponents(hdf)).toHaveLength(1);
    expect(() => departementAreas({ departements: ['59', '99'] })).toThrow(/Unknown département code\(s\): 99/);
  });

  it('the overseas départements come as islands', () => {
    const all = departementAreas({ metropolitanOnly: false });
    expect(all.areas).toHaveLength(101);
    expect(all.islands.map((i) => all.areas[i]?.id).sort()).toEqual(['971', '972', '973', '974', '976']);
  });

  it('aggregates accounts by point in polygon', () => {
    const acc = departementAreas({ accounts: [{ lng: 3.06, lat: 50.63, revenue: 100 }, { lng: 2.35, lat: 48.86, workload: 2 }, { lng: -40, lat: 0 }] });
    expect(acc.areas.find((a) => a.id === '59')?.measures).toEqual({ count: 1, revenue: 100, potential: 0, workload: 0 });
    expect(acc.areas.find((a) => a.id === '75')?.measures.workload).toBe(2);
  });

  it('anchors in longitude/latitude lock the reps’ home départements and centre their territories', () => {
    const homes = [{ lng: 2.35, lat: 48.86 }, { lng: 5.37, lat: 43.3 }, { lng: -1.55, lat: 47.22 }, null];
    const plan = designTerritories(g, { k: 4, measure: 'potential', anchors: homes, seed: 1, starts: 1, patience: 20 });
    const territoryOf = (code: string): number | undefined => plan.assignment[g.areas.findIndex((a) => a.id === code)];
    expect([territoryOf('75'), territoryOf('13'), territoryOf('44')]).toEqual([0, 1, 2]);
    const [x, y] = g.project?.(2.35, 48.86) ?? [0, 0];
    expect(plan.metrics.territories[0]?.centre).toEqual({ x, y });
    expect(plan.metrics.contiguityViolations).toBe(0);
  });

  it('8 territories on population are balanced and contiguous', () => {
    const plan = designTerritories(g, { k: 8, measure: 'potential', seed: 1, starts: 2, patience: 50 });
    expect(plan.metrics.contiguityViolations).toBe(0);
    expect(plan.metrics.maxDeviation).toBeLessThanOrEqual(0.05 + 1e-9);
  });
});

describe('communeAreas', () => {
  const g = communeAreas({ departements: ['59', '62'] });

  it('builds Voronoi cells clipped to their département, adjacent across the border', () => {
    expect(g.areas.length).toBeGreaterThan(1400);
    expect(graphComponents(g).filter((c) => c.length > 1)).toHaveLength(1);
    // Cells tile the départements: their surfaces add up to the polygons' (±1 %).
    const dep = departementAreas();
    const polygons = ['59', '62'].reduce((s, c) => s + (dep.areas.find((a) => a.id === c)?.areaKm2 ?? 0), 0);
    const cells = g.areas.reduce((s, a) => s + (a.areaKm2 ?? 0), 0);
    expect(Math.abs(cells - polygons) / polygons).toBeLessThan(0.01);
    // Lille (59350) touches several communes; some Nord commune touches a Pas-de-Calais one.
    expect(neighbourIds(g, '59350').length).toBeGreaterThanOrEqual(4);
    const cross = g.areas.some((a, i) => a.id.startsWith('59') && [...g.neighbours.subarray(g.offsets[i], g.offsets[i + 1])].some((j) => g.areas[j]?.id.startsWith('62')));
    expect(cross).toBe(true);
    const mean = g.neighbours.length / g.areas.length;
    expect(mean).toBeGreaterThan(4);
    expect(mean).toBeLessThan(8);
  });

  it('returns each cell as a closed MultiPolygon in lng/lat that holds its commune', () => {
    const withCells = communeAreas({ departements: ['59'], cells: true });
    const cells = withCells.cells ?? [];
    expect(cells).toHaveLength(withCells.areas.length);
    const shared = new Map<string, number>();
    for (const a of withCells.areas) shared.set(`${String(a.lng)},${String(a.lat)}`, (shared.get(`${String(a.lng)},${String(a.lat)}`) ?? 0) + 1);
    let unique = 0;
    let inside = 0;
    withCells.areas.forEach((a, i) => {
      const cell = cells[i];
      if (!cell || cell.coordinates.length === 0) return;
      const ring = cell.coordinates[0]?.[0] ?? [];
      expect(ring[0]).toEqual(ring[ring.length - 1]);
      if (shared.get(`${String(a.lng)},${String(a.lat)}`) !== 1) return;
      unique++;
      if (pointInPolygon([a.lng ?? 0, a.lat ?? 0], cell)) inside++;
    });
    // Communes sharing a postcode point are spread around it, so only those with their own point are checked.
    expect(unique).toBeGreaterThan(300);
    expect(inside / unique).toBeGreaterThan(0.97);
  });

  it('lists the communes without a position instead of dropping them silently', () => {
    expect(Array.isArray(g.unlocated)).toBe(true);
    expect(g.areas.some((a) => g.unlocated.includes(a.id))).toBe(false);
  });
});

describe('h3Areas and accountAreas', () => {
  const accounts = [
    { id: 'a', lng: 2.35, lat: 48.85, revenue: 10 },
    { id: 'b', lng: 2.36, lat: 48.86, revenue: 5 },
    { id: 'c', lng: 2.4, lat: 48.85 },
    { id: 'd', lng: 2.35, lat: 48.85 },
    { id: 'far', lng: 5.37, lat: 43.3 },
  ];

  it('h3: one area per occupied hexagon, far hexagons are islands', () => {
    const g = h3Areas(accounts, { resolution: 6 });
    const total = g.areas.reduce((s, a) => s + a.measures.count, 0);
    expect(total).toBe(5);
    expect(g.islands.length).toBeGreaterThanOrEqual(1);
    expect(g.areas.reduce((s, a) => s + a.measures.revenue, 0)).toBe(15);
  });

  it('accounts: Delaunay adjacency (coincident accounts spread apart), long edges dropped on request', () => {
    const g = accountAreas(accounts);
    expect(g.areas).toHaveLength(5);
    expect(g.islands).toEqual([]);
    const cut = accountAreas(accounts, { maxEdgeKm: 50 });
    expect(cut.islands.map((i) => cut.areas[i]?.id)).toEqual(['far']);
  });
});
