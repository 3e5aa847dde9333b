import { buildAreaGraph, type AreaEdge } from './graph.ts';
import type { Area, AreaGraph } from './types.ts';

/** A w×h grid of unit squares (rook adjacency) with the given loads as `workload`; for tests and examples. */
export const gridGraph = (w: number, h: number, loads: (i: number) => number = () => 1): AreaGraph => {
  const areas: Area[] = [];
  const edges: AreaEdge[] = [];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      areas.push({ id: `a${String(i)}`, x, y, measures: { count: 1, revenue: 0, potential: 0, workload: loads(i) }, areaKm2: 1, perimeterKm: 4 });
      if (x + 1 < w) edges.push({ a: i, b: i + 1, lengthKm: 1 });
      if (y + 1 < h) edges.push({ a: i, b: i + w, lengthKm: 1 });
    }
  }
  return buildAreaGraph(areas, edges);
};
