import { createRequire } from 'node:module';
import type * as HighsModule from 'highs';
import { AppError } from '@geocrm/domain';

// highs is CommonJS whose module.exports is the loader (its typings declare a default export);
// required on first use so that importing the package does not load the solver.
const loadHighs = (): typeof HighsModule.default.default => createRequire(import.meta.url)('highs') as typeof HighsModule.default.default;

export interface AssignmentProblem {
  /** costs[i][t]: cost of giving area i to territory t. */
  readonly costs: readonly (readonly number[])[];
  /** Load of each area. */
  readonly loads: readonly number[];
  /** Bounds on each territory's load (absolute). */
  readonly minLoad: number;
  readonly maxLoad: number;
  /** Areas whose territory is fixed: area index → territory. */
  readonly fixed?: ReadonlyMap<number, number>;
  /** Solver time limit in seconds (default 60). */
  readonly timeLimitSeconds?: number;
}

export interface AssignmentSolution {
  readonly status: 'optimal' | 'time-limit';
  readonly assignment: readonly number[];
  readonly cost: number;
}

/**
 * Solves the capacitated assignment exactly with the HiGHS MILP solver (WebAssembly):
 * minimise Σ costs[i][t]·x[i][t] with each area in one territory and each territory's load within
 * [minLoad, maxLoad]. No contiguity. For small cases (tens to a few hundred areas): a reference for
 * the heuristic, not a production path.
 * Throws INFEASIBLE when no assignment meets the bounds.
 * @example await solveAssignmentExact({ costs, loads, minLoad: 0.8, maxLoad: 1.2, fixed: new Map([[3, 0]]) })
 */
export const solveAssignmentExact = async (problem: AssignmentProblem): Promise<AssignmentSolution> => {
  const { costs, loads, minLoad, maxLoad } = problem;
  const n = costs.length;
  const k = costs[0]?.length ?? 0;
  if (n === 0 || k === 0 || loads.length !== n || costs.some((r) => r.length !== k)) {
    throw new AppError('VALIDATION', 'The exact solver needs an n×k cost matrix and n loads');
  }
  const v = (i: number, t: number): string => `x_${String(i)}_${String(t)}`;
  const num = (x: number): string => (Number.isInteger(x) ? String(x) : x.toPrecision(15));
  const lines: string[] = ['Minimize', ' obj: ' + costs.flatMap((row, i) => row.map((c, t) => `${num(c)} ${v(i, t)}`)).join(' + '), 'Subject To'];
  for (let i = 0; i < n; i++) lines.push(` one_${String(i)}: ` + Array.from({ length: k }, (_, t) => v(i, t)).join(' + ') + ' = 1');
  for (let t = 0; t < k; t++) {
    const sum = loads.map((l, i) => `${num(l)} ${v(i, t)}`).join(' + ');
    lines.push(` lo_${String(t)}: ${sum} >= ${num(minLoad)}`, ` hi_${String(t)}: ${sum} <= ${num(maxLoad)}`);
  }
  for (const [i, t] of problem.fixed ?? []) lines.push(` fix_${String(i)}: ${v(i, t)} = 1`);
  lines.push('Binaries', ...costs.flatMap((row, i) => row.map((_, t) => ' ' + v(i, t))), 'End');
  const highs = await loadHighs()();
  const result = highs.solve(lines.join('\n'), { time_limit: problem.timeLimitSeconds ?? 60 });
  if (result.Status !== 'Optimal' && result.Status !== 'Time limit reached') {
    throw new AppError('INFEASIBLE', `No assignment keeps every territory's load within [${String(minLoad)}, ${String(maxLoad)}] (solver status: ${result.Status})`);
  }
  const assignment: number[] = [];
  let cost = 0;
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bv = -1;
    for (let t = 0; t < k; t++) {
      const x = result.Columns[v(i, t)]?.Primal ?? 0;
      if (x > bv) {
        bv = x;
        best = t;
      }
    }
    assignment.push(best);
    cost += costs[i]?.[best] ?? 0;
  }
  return { status: result.Status === 'Optimal' ? 'optimal' : 'time-limit', assignment, cost };
};
