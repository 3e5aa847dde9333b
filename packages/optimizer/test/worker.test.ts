import { describe, expect, it } from 'vitest';
import { AppError } from '@geocrm/domain';
import { checkSolution, fromVroom, solve, solveInWorker, toVroom } from '../src/index.ts';
import { lineProblem } from './helpers.ts';

describe('solveInWorker', () => {
  it('solves in a worker thread', async () => {
    const p = lineProblem(6);
    const s = await solveInWorker(p, { seed: 2 });
    expect(checkSolution(p, s).violations).toEqual([]);
    expect(s.summary.distance).toBe(12000);
  });

  it('gives the same plan as solve() for the same seed', async () => {
    const p = lineProblem(9);
    const a = await solveInWorker(p, { seed: 5, iterations: 300 });
    const b = solve(p, { seed: 5, iterations: 300 });
    expect(a.routes.map((r) => r.steps.map((x) => x.id))).toEqual(b.routes.map((r) => r.steps.map((x) => x.id)));
  });

  it('returns the best solution so far when aborted', async () => {
    const p = lineProblem(40);
    const ctrl = new AbortController();
    const pending = solveInWorker(p, { iterations: 10_000_000, signal: ctrl.signal });
    setTimeout(() => ctrl.abort(), 300);
    const s = await pending;
    expect(checkSolution(p, s).violations).toEqual([]);
    expect(s.unassigned).toEqual([]);
  });

  it('rejects malformed problems with a VALIDATION AppError', async () => {
    const p = { ...lineProblem(2), jobs: [{ id: 'x', location: 99 }] };
    await expect(solveInWorker(p)).rejects.toMatchObject({ code: 'VALIDATION', details: { path: 'jobs[0].location' } });
    await expect(solveInWorker(p)).rejects.toBeInstanceOf(AppError);
  });
});

describe('VROOM format', () => {
  it('round-trips a VROOM problem and solution', () => {
    const input = {
      vehicles: [{ id: 1, start_index: 0, end_index: 0, capacity: [2], time_window: [0, 1000], costs: { per_hour: 3600 }, breaks: [{ id: 7, time_windows: [[0, 1000]], service: 10 }] }],
      jobs: [
        { id: 10, location_index: 1, service: 5, delivery: [1] },
        { id: 11, location_index: 2, amount: [1], time_windows: [[0, 500]] },
        { id: 12, location_index: 2, skills: [3] },
      ],
      matrices: { car: { durations: [[0, 10, 20], [10, 0, 10], [20, 10, 0]], distances: [[0, 100, 200], [100, 0, 100], [200, 100, 0]] } },
    };
    const problem = fromVroom(input);
    expect(problem.jobs[1]?.delivery).toEqual([1]);
    const out = toVroom(solve(problem));
    expect(out.code).toBe(0);
    const types = out.routes[0]?.steps.map((s) => s.type) ?? [];
    expect(types[0]).toBe('start');
    expect(types[types.length - 1]).toBe('end');
    expect(types.filter((t) => t === 'job')).toHaveLength(2);
    expect(types.filter((t) => t === 'break')).toHaveLength(1);
    expect(out.unassigned).toEqual([{ id: 12, location_index: 2, type: 'job', reason: 'skills', description: 'no vehicle has the required skills' }]);
    expect(out.summary.distance).toBe(400);
  });

  it('names VROOM fields in validation errors', () => {
    const input = { vehicles: [{ id: 1, start_index: 0, time_window: [10, 5] }], jobs: [], matrices: { car: { durations: [[0]] } } };
    expect(() => fromVroom(input)).toThrow(/vehicles\[0\]\.time_window/);
  });

  it('refuses shipments and coordinates without index', () => {
    expect(() => fromVroom({ vehicles: [], jobs: [], shipments: [{}], matrices: {} })).toThrow(/shipments/);
    expect(() => fromVroom({ vehicles: [{ id: 1, start: [2.3, 48.8] }], jobs: [], matrices: {} })).toThrow(/start_index/);
  });
});

describe('VROOM extensions', () => {
  it('plans a multi-day tour with shifts, overnight stays and max daily driving', () => {
    const H = 3600;
    // home at 0, a far-away cluster (1..4) 3 h from home, near each other
    const far = 3 * H;
    const d = (a: number, b: number): number => (a === b ? 0 : a === 0 || b === 0 ? far : 600);
    const idx = [0, 1, 2, 3, 4];
    const input = {
      vehicles: [{
        id: 'rep', start_index: 0, end_index: 0, max_daily_driving: 7 * H,
        overnight: { cost_per_night: 3000 },
        shifts: [0, 1].map((day) => ({ time_window: [day * 24 * H + 8 * H, day * 24 * H + 18 * H], breaks: [{ id: `lunch${day}`, time_windows: [[day * 24 * H + 12 * H, day * 24 * H + 14 * H]], service: H }] })),
      }],
      jobs: [1, 2, 3, 4].map((i) => ({ id: i, location_index: i, service: 2 * H })),
      matrices: { car: { durations: idx.map((a) => idx.map((b) => d(a, b))), distances: idx.map((a) => idx.map((b) => d(a, b) * 20)) } },
    };
    const problem = fromVroom(input);
    const s = solve(problem);
    expect(checkSolution(problem, s).violations).toEqual([]);
    expect(s.unassigned).toEqual([]);
    expect(s.routes).toHaveLength(2);
    expect(s.nights).toEqual([expect.objectContaining({ stay: 'overnight', afterShift: 0 })]);
    const out = toVroom(s);
    expect(out.nights[0]?.stay).toBe('overnight');
    expect(out.routes.map((r) => r.shift)).toEqual([0, 1]);
  });
});
