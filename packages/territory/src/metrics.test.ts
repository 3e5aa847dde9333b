import { describe, expect, it } from 'vitest';
import { buildAreaGraph } from './graph.ts';
import { areaLoads } from './measures.ts';
import { planMetrics } from './metrics.ts';
import type { Area } from './types.ts';

// Four unit squares in a row at x = 0..3 with workloads 1, 2, 3, 4; territories {0,1} and {2,3}.
const areas: Area[] = [1, 2, 3, 4].map((w, i) => ({ id: String(i), x: i, y: 0, measures: { count: 1, revenue: 10 * w, potential: 0, workload: w }, areaKm2: 1, perimeterKm: 4 }));
const graph = buildAreaGraph(areas, [0, 1, 2].map((i) => ({ a: i, b: i + 1, lengthKm: 1 })));

describe('planMetrics on a hand-computed case', () => {
  const m = planMetrics(graph, [0, 0, 1, 1], 2, { loads: areaLoads(areas, 'workload'), current: [0, 1, 1, 1] });

  it('loads and deviations', () => {
    expect(m.meanLoad).toBe(5);
    expect(m.territories.map((t) => t.load)).toEqual([3, 7]);
    expect(m.territories.map((t) => t.deviation)).toEqual([-0.4, 0.4]);
    expect(m.maxDeviation).toBeCloseTo(0.4, 12);
    expect(m.outside).toEqual({ pct5: 2, pct10: 2, pct20: 2 });
  });

  it('dispersion around the load-weighted centres', () => {
    expect(m.territories[0]?.centre.x).toBeCloseTo(2 / 3, 12);
    expect(m.territories[1]?.centre.x).toBeCloseTo(18 / 7, 12);
    expect(m.territories[0]?.dispersion).toBeCloseTo(4 / 3, 12);
    expect(m.territories[1]?.dispersion).toBeCloseTo(24 / 7, 12);
    expect(m.dispersion).toBeCloseTo(100 / 21, 12);
  });

  it('cut edges, Polsby-Popper, contiguity, disruption', () => {
    expect(m.cutEdges).toBe(1);
    expect(m.territories.map((t) => t.cutEdges)).toEqual([1, 1]);
    // Two unit squares: surface 2, perimeter 6 → 4π·2/36.
    expect(m.territories[0]?.polsbyPopper).toBeCloseTo((8 * Math.PI) / 36, 12);
    expect(m.polsbyPopperMean).toBeCloseTo((8 * Math.PI) / 36, 12);
    expect(m.contiguityViolations).toBe(0);
    expect(m.disruption).toEqual({ areasMoved: 1, loadMoved: 2, loadMovedShare: 0.2 });
    expect(m.assignmentCost).toBeNull();
  });

  it('fixed centres (anchors) and assignment costs', () => {
    const f = planMetrics(graph, [0, 0, 1, 1], 2, { loads: areaLoads(areas, 'count'), centres: [{ x: 0, y: 0 }, null], costs: [1, 9, 2, 9, 9, 3, 9, 4] });
    expect(f.territories[0]?.dispersion).toBe(1);
    expect(f.territories[1]?.dispersion).toBeCloseTo(1, 12);
    expect(f.assignmentCost).toBe(10);
  });

  it('a weighted mix adds each measure’s share of its total', () => {
    const loads = areaLoads(areas, { workload: 1, count: 1 });
    expect([...loads]).toEqual([0.1 + 0.25, 0.2 + 0.25, 0.3 + 0.25, 0.4 + 0.25].map((v) => expect.closeTo(v, 12) as number));
  });
});
