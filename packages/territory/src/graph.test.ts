import { describe, expect, it } from 'vitest';
import { isAppError } from '@geocrm/domain';
import { buildAreaGraph, checkContiguity, graphComponents } from './graph.ts';
import { gridGraph } from './testing.ts';
import type { Area } from './types.ts';

const area = (id: string, x: number, y = 0): Area => ({ id, x, y, measures: { count: 1, revenue: 0, potential: 0, workload: 1 } });

describe('buildAreaGraph', () => {
  it('builds a symmetric adjacency without duplicates or self-loops, and lists islands', () => {
    const areas = [area('a', 0), area('b', 1), area('c', 2), area('d', 10)];
    const g = buildAreaGraph(areas, [{ a: 0, b: 1 }, { a: 1, b: 0 }, { a: 1, b: 2 }, { a: 2, b: 2 }]);
    const nbrs = (i: number): number[] => [...g.neighbours.subarray(g.offsets[i], g.offsets[i + 1])];
    expect(nbrs(0)).toEqual([1]);
    expect(nbrs(1)).toEqual([0, 2]);
    expect(nbrs(2)).toEqual([1]);
    expect(g.islands).toEqual([3]);
    expect(graphComponents(g)).toHaveLength(2);
  });

  it('rejects an edge naming an unknown area', () => {
    try {
      buildAreaGraph([area('a', 0)], [{ a: 0, b: 5 }]);
      expect.unreachable();
    } catch (error) {
      expect(isAppError(error) && error.code).toBe('VALIDATION');
    }
  });

  it('bridges a detached group of areas to the nearest area outside, but leaves single islands alone', () => {
    const areas = [area('a', 0), area('b', 1), area('c', 5), area('d', 6), area('e', 50)];
    const g = buildAreaGraph(areas, [{ a: 0, b: 1 }, { a: 2, b: 3 }], { bridge: true });
    expect(g.bridges).toEqual([[2, 1]]);
    expect(g.islands).toEqual([4]);
    expect(graphComponents(g)).toHaveLength(2);
  });
  it('bridges a chain of detached groups to the main one, nearest first', () => {
    const areas = [area('a', 0), area('b', 1), area('c', 2), area('d', 20), area('e', 21), area('f', 10), area('g', 11)];
    const g = buildAreaGraph(areas, [{ a: 0, b: 1 }, { a: 1, b: 2 }, { a: 3, b: 4 }, { a: 5, b: 6 }], { bridge: true });
    expect(g.bridges).toEqual([[5, 2], [3, 6]]);
    expect(graphComponents(g)).toHaveLength(1);
  });
});

describe('checkContiguity', () => {
  it('counts the pieces of each territory on a path', () => {
    const g = buildAreaGraph([area('a', 0), area('b', 1), area('c', 2), area('d', 3)], [{ a: 0, b: 1 }, { a: 1, b: 2 }, { a: 2, b: 3 }]);
    expect(checkContiguity(g, [0, 0, 1, 1], 2).violations).toBe(0);
    const r = checkContiguity(g, [0, 1, 0, 1], 2);
    expect(r.territories.map((t) => t.components)).toEqual([2, 2]);
    expect(r.violations).toBe(2);
  });

  it('does not count islands as pieces', () => {
    const g = buildAreaGraph([area('a', 0), area('b', 1), area('island', 9)], [{ a: 0, b: 1 }]);
    const r = checkContiguity(g, [0, 0, 0], 1);
    expect(r.violations).toBe(0);
    expect(r.territories[0]).toEqual({ territory: 0, components: 1, islands: 1 });
  });

  it('sees a ring cut in two and a territory wrapping around another on a grid', () => {
    // 3×3 grid, territory 1 = centre only, territory 0 = the ring around it: contiguous.
    const g = gridGraph(3, 3);
    expect(checkContiguity(g, [0, 0, 0, 0, 1, 0, 0, 0, 0], 2).violations).toBe(0);
    // Column 1 to territory 1 cuts territory 0 into left and right columns.
    expect(checkContiguity(g, [0, 1, 0, 0, 1, 0, 0, 1, 0], 2).territories[0]?.components).toBe(2);
    // Diagonal contact only is not adjacency.
    expect(checkContiguity(g, [0, 1, 1, 1, 0, 1, 1, 1, 1], 2).territories[0]?.components).toBe(2);
  });

  it('reports an empty territory as zero pieces, not a violation', () => {
    const g = gridGraph(2, 1);
    expect(checkContiguity(g, [0, 0], 3).territories.map((t) => t.components)).toEqual([1, 0, 0]);
  });
});
