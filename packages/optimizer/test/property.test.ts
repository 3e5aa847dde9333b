import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkSolution, solve } from '../src/index.ts';
import type { Job, Problem, Vehicle } from '../src/types.ts';
import { solveExact } from './exact.ts';
import { euclid } from './helpers.ts';

const point = fc.tuple(fc.integer({ min: 0, max: 2000 }), fc.integer({ min: 0, max: 2000 }));
const window = fc.tuple(fc.integer({ min: 0, max: 2500 }), fc.integer({ min: 0, max: 600 })).map(([s, w]) => [s, s + w] as const);

interface Gen {
  readonly pts: [number, number][];
  readonly jobs: Omit<Job, 'id' | 'location'>[];
  readonly vehicles: Omit<Vehicle, 'id'>[];
}

const jobArb = (rich: boolean): fc.Arbitrary<Omit<Job, 'id' | 'location'>> =>
  fc.record(
    {
      service: fc.integer({ min: 0, max: 60 }),
      setup: fc.integer({ min: 0, max: 20 }),
      delivery: fc.tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 2 })),
      pickup: fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 2 })),
      skills: fc.subarray(['a', 'b'], { maxLength: 1 }),
      priority: fc.integer({ min: 0, max: 3 }),
      timeWindows: fc.array(window, { minLength: 1, maxLength: 2 }),
      pinnedTime: rich ? fc.integer({ min: 0, max: 1500 }) : fc.constant(undefined),
    },
    { requiredKeys: ['service'] },
  );

const vehicleArb = (rich: boolean): fc.Arbitrary<Omit<Vehicle, 'id'>> =>
  fc.record(
    {
      start: fc.constant(0),
      end: fc.constantFrom(0, 1),
      capacity: fc.tuple(fc.integer({ min: 2, max: 10 }), fc.integer({ min: 1, max: 4 })),
      skills: fc.subarray(['a', 'b']),
      timeWindow: fc.tuple(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 600, max: 2500 })),
      maxTasks: fc.integer({ min: 1, max: 6 }),
      maxTravelTime: fc.integer({ min: 100, max: 1500 }),
      maxDistance: fc.integer({ min: 1000, max: 15000 }),
      costs: fc.record({ fixed: fc.integer({ min: 0, max: 100 }), perHour: fc.integer({ min: 0, max: 3600 }), perKm: fc.integer({ min: 0, max: 10 }) }),
      breaks: rich ? fc.array(fc.record({ id: fc.integer({ min: 0, max: 1000 }), service: fc.integer({ min: 10, max: 100 }), timeWindows: fc.array(window, { minLength: 1, maxLength: 2 }) }), { maxLength: 1 }) : fc.constant(undefined),
    },
    { requiredKeys: ['start', 'timeWindow'] },
  );

const multiDay = fc.record({
  shifts: fc.constant([{ timeWindow: [0, 1200] as const }, { timeWindow: [1500, 2700] as const, breaks: [{ id: 'b', service: 30, timeWindows: [[1700, 2200] as const] }] }]),
  overnight: fc.record({ costPerNight: fc.integer({ min: 0, max: 300 }) }),
  maxDailyDriving: fc.integer({ min: 200, max: 1500 }),
});

const instance = (maxJobs: number, rich: boolean): fc.Arbitrary<Problem> =>
  fc
    .record({
      pts: fc.array(point, { minLength: maxJobs + 2, maxLength: maxJobs + 2 }),
      jobs: fc.array(jobArb(rich), { minLength: 0, maxLength: maxJobs }),
      vehicles: fc.array(rich ? fc.tuple(vehicleArb(rich), fc.option(multiDay)).map(([v, md]) => ({ ...v, ...(md ?? {}) })) : vehicleArb(rich), { minLength: 1, maxLength: 3 }),
    })
    .map((g: Gen): Problem => ({
      vehicles: g.vehicles.map((v, i) => ({ ...v, id: `v${i}` })),
      jobs: g.jobs.map((j, i) => ({ ...j, id: i, location: i + 2 })),
      matrices: { car: euclid(g.pts) },
    }));

const rank = (p: Problem, served: readonly (string | number)[]): { priority: number; served: number } => {
  const byId = new Map(p.jobs.map((j) => [j.id, j]));
  return { priority: served.reduce<number>((s, id) => s + (byId.get(id)?.priority ?? 0), 0), served: served.length };
};

describe('property: solutions are always feasible', () => {
  it('never violates a constraint; every job served once or unassigned with a reason', () => {
    fc.assert(
      fc.property(instance(9, true), fc.integer({ min: 1, max: 1000 }), (p, seed) => {
        const s = solve(p, { seed, iterations: 300 });
        const c = checkSolution(p, s);
        expect(c.violations).toEqual([]);
        for (const u of s.unassigned) expect(u.message.length).toBeGreaterThan(0);
      }),
      { numRuns: 200, seed: 42 },
    );
  });
});

describe('property: optimal on tiny instances', () => {
  it('matches an exact enumeration (priority, served, cost)', () => {
    fc.assert(
      fc.property(instance(7, false), (p) => {
        const s = solve(p, { seed: 1, iterations: 1500 });
        const c = checkSolution(p, s);
        expect(c.violations).toEqual([]);
        const exact = solveExact(p);
        const served = s.routes.flatMap((r) => r.steps.filter((x) => x.type === 'job').map((x) => x.id ?? -1));
        const got = rank(p, served);
        expect(got.priority).toBe(exact.priority);
        expect(got.served).toBe(exact.served);
        expect(c.cost).toBeCloseTo(exact.cost, 6);
      }),
      { numRuns: 150, seed: 7 },
    );
  });
});
