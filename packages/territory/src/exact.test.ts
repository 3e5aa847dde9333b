import { describe, expect, it } from 'vitest';
import { hasPfizer, PFIZER_OPTIMA, readPfizer } from '../bench/pfizer.ts';
import { designTerritories } from './design.ts';
import { solveAssignmentExact } from './exact.ts';
import { buildAreaGraph } from './graph.ts';

describe.skipIf(!hasPfizer())('Pfizer Turkey case (shared/benchmarks/territory)', () => {
  it('the exact MILP reproduces the published optimum 154.60 km for workloads in [0.8, 1.2]', async () => {
    const p = readPfizer();
    const r = await solveAssignmentExact({ costs: p.costs, loads: p.loads, minLoad: 0.8, maxLoad: 1.2, fixed: p.offices });
    expect(r.status).toBe('optimal');
    expect(r.cost).toBeGreaterThanOrEqual(154.6 - 0.01);
    expect(r.cost).toBeLessThanOrEqual(154.6 + 0.01);
    for (const [brick, rep] of p.offices) expect(r.assignment[brick]).toBe(rep);
  });

  it('the current plan costs 187.41 km', () => {
    const p = readPfizer();
    const cost = p.current.reduce((s, rep, i) => s + (p.costs[i]?.[rep] ?? 0), 0);
    expect(cost).toBeCloseTo(187.41, 2);
  });

  it('the heuristic (fixed-centre assignment mode) stays within 1 % of each optimum', () => {
    const p = readPfizer();
    const areas = p.bricks.map((id, i) => ({ id, x: 0, y: 0, measures: { count: 1, revenue: 0, potential: 0, workload: p.loads[i] ?? 0 } }));
    const graph = buildAreaGraph(areas, []);
    const locked = new Map([...p.offices].map(([i, rep]) => [p.bricks[i] ?? '', rep]));
    for (const { tolerance, optimum } of PFIZER_OPTIMA) {
      const plan = designTerritories(graph, { k: 4, costs: p.costs, contiguity: false, tolerance, locked, seed: 1 });
      expect(plan.violations).toEqual([]);
      expect(plan.metrics.assignmentCost ?? 0).toBeLessThanOrEqual(optimum * 1.01);
    }
  });
});

describe('solveAssignmentExact', () => {
  it('solves a tiny case and reports infeasible bounds', async () => {
    const costs = [[1, 5], [5, 1], [2, 3]];
    const r = await solveAssignmentExact({ costs, loads: [1, 1, 1], minLoad: 1, maxLoad: 2 });
    expect(r.cost).toBe(4);
    await expect(solveAssignmentExact({ costs, loads: [1, 1, 1], minLoad: 2, maxLoad: 2 })).rejects.toMatchObject({ code: 'INFEASIBLE' });
  });
});
