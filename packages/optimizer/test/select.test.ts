import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkSolution, solve } from '../src/index.ts';
import { compileModel } from '../src/model.ts';
import { simulate, travel } from '../src/route.ts';
import { compareValue, SubsequenceSelector, type SelectionValue } from '../src/select.ts';
import type { Problem } from '../src/types.ts';
import { solveExact } from './exact.ts';
import { euclid } from './helpers.ts';

const point = fc.tuple(fc.integer({ min: 0, max: 2000 }), fc.integer({ min: 0, max: 2000 }));
const window = fc.tuple(fc.integer({ min: 0, max: 2500 }), fc.integer({ min: 0, max: 700 })).map(([s, w]) => [s, s + w] as const);

/** One vehicle without capacity (the case the selection DP handles), breaks and limits optional. */
const oneVehicle = (maxJobs: number, withBreak: boolean): fc.Arbitrary<Problem> =>
  fc
    .record({
      pts: fc.array(point, { minLength: maxJobs + 2, maxLength: maxJobs + 2 }),
      jobs: fc.array(
        fc.record(
          {
            service: fc.integer({ min: 0, max: 120 }),
            setup: fc.integer({ min: 0, max: 20 }),
            priority: fc.integer({ min: 0, max: 3 }),
            timeWindows: fc.array(window, { minLength: 1, maxLength: 2 }),
          },
          { requiredKeys: ['service'] },
        ),
        { minLength: 1, maxLength: maxJobs },
      ),
      end: fc.constantFrom(0, 1),
      shiftEnd: fc.integer({ min: 600, max: 2500 }),
      maxTasks: fc.option(fc.integer({ min: 1, max: 6 }), { nil: undefined }),
      maxTravelTime: fc.option(fc.integer({ min: 100, max: 1500 }), { nil: undefined }),
      brk: withBreak
        ? fc.option(fc.record({ service: fc.integer({ min: 10, max: 150 }), timeWindows: fc.array(window, { minLength: 1, maxLength: 2 }) }), { nil: undefined })
        : fc.constant(undefined),
    })
    .map((g): Problem => ({
      vehicles: [
        {
          id: 'rep',
          start: 0,
          end: g.end,
          timeWindow: [0, g.shiftEnd],
          ...(g.maxTasks !== undefined ? { maxTasks: g.maxTasks } : {}),
          ...(g.maxTravelTime !== undefined ? { maxTravelTime: g.maxTravelTime } : {}),
          ...(g.brk !== undefined ? { breaks: [{ id: 'b', ...g.brk }] } : {}),
        },
      ],
      jobs: g.jobs.map((j, i) => ({ ...j, id: i, location: i + 2 })),
      matrices: { car: euclid(g.pts) },
    }));

describe('SubsequenceSelector', () => {
  it('finds the best feasible subsequence of a fixed order (brute force over subsets)', () => {
    fc.assert(
      fc.property(oneVehicle(9, true), fc.integer({ min: 0, max: 1000 }), (p, salt) => {
        const md = compileModel(p);
        const slot = md.slots[0];
        if (slot === undefined) return;
        const n = md.n;
        const seq = Array.from({ length: n }, (_, i) => i).sort((a, b) => ((a * 7919 + salt) % 101) - ((b * 7919 + salt) % 101));
        let best: SelectionValue = { priority: 0, count: 0, cost: 0 };
        for (let mask = 1; mask < 1 << n; mask++) {
          const jobs = seq.filter((_, i) => ((mask >> i) & 1) === 1);
          if (!simulate(md, slot, jobs, undefined)) continue;
          let cost = slot.fixed;
          let prev = slot.start;
          let priority = 0;
          for (const j of jobs) {
            cost += travel(slot.cost, md.m, prev, md.loc[j] ?? 0);
            prev = md.loc[j] ?? 0;
            priority += md.priority[j] ?? 0;
          }
          cost += travel(slot.cost, md.m, prev, slot.end);
          const v = { priority, count: jobs.length, cost };
          if (compareValue(v, best) > 1e-9) best = v;
        }
        const got = new SubsequenceSelector().select(md, slot, seq, slot.start, slot.end);
        expect(got).toBeDefined();
        if (got === undefined) return;
        expect(got.priority).toBe(best.priority);
        expect(got.count).toBe(best.count);
        expect(got.cost).toBeCloseTo(best.cost, 6);
        // the chosen sequence is feasible for the solver's own schedule simulation, in order
        expect(got.jobs.every((j, i) => i === 0 || seq.indexOf(j) > seq.indexOf(got.jobs[i - 1] ?? -1))).toBe(true);
        if (got.jobs.length > 0) expect(simulate(md, slot, got.jobs, undefined)).toBe(true);
      }),
      { numRuns: 200, seed: 3 },
    );
  });

  it('returns undefined when nothing beats the bound', () => {
    const p: Problem = {
      vehicles: [{ id: 'v', start: 0, end: 0, timeWindow: [0, 10000] }],
      jobs: [{ id: 1, location: 1, service: 10 }],
      matrices: { car: euclid([[0, 0], [100, 0]]) },
    };
    const md = compileModel(p);
    const slot = md.slots[0];
    if (slot === undefined) throw new Error('no slot');
    const sel = new SubsequenceSelector();
    const all = sel.select(md, slot, [0], 0, 0);
    expect(all?.jobs).toEqual([0]);
    expect(sel.select(md, slot, [0], 0, 0, all)).toBeUndefined();
  });
});

describe('property: one vehicle without capacity (selection DP active)', () => {
  it('never violates a constraint, with breaks and limits', () => {
    fc.assert(
      fc.property(oneVehicle(12, true), fc.integer({ min: 1, max: 1000 }), (p, seed) => {
        const s = solve(p, { seed, iterations: 200 });
        expect(checkSolution(p, s).violations).toEqual([]);
      }),
      { numRuns: 200, seed: 11 },
    );
  });

  it('matches an exact enumeration without breaks (priority, served, cost)', () => {
    fc.assert(
      fc.property(oneVehicle(7, false), (p) => {
        const s = solve(p, { seed: 1 });
        const c = checkSolution(p, s);
        expect(c.violations).toEqual([]);
        const exact = solveExact(p);
        expect(s.summary.priority).toBe(exact.priority);
        expect(c.served).toBe(exact.served);
        expect(c.cost).toBeCloseTo(exact.cost, 6);
      }),
      { numRuns: 150, seed: 5 },
    );
  });
});
