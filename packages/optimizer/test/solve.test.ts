import { describe, expect, it } from 'vitest';
import { AppError } from '@geocrm/domain';
import { checkSolution, solve } from '../src/index.ts';
import type { Problem } from '../src/types.ts';
import { euclid, lineProblem } from './helpers.ts';

const validationPath = (f: () => unknown): unknown => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return (e as AppError).details?.['path'];
  }
  return undefined;
};

describe('solve', () => {
  it('returns an empty solution for an empty problem', () => {
    const s = solve({ vehicles: [], jobs: [], matrices: {} });
    expect(s.routes).toEqual([]);
    expect(s.unassigned).toEqual([]);
    expect(s.summary.cost).toBe(0);
  });

  it('returns a valid solution at once when the signal is already aborted', () => {
    const p = lineProblem(12);
    const ctrl = new AbortController();
    ctrl.abort();
    const s = solve(p, { signal: ctrl.signal, iterations: 1_000_000 });
    expect(checkSolution(p, s).violations).toEqual([]);
    expect(s.unassigned).toEqual([]);
  });

  it('reports every job as unassigned when there is no vehicle', () => {
    const p: Problem = { ...lineProblem(2), vehicles: [] };
    const s = solve(p);
    expect(checkSolution(p, s).violations).toEqual([]);
    expect(s.unassigned.map((u) => u.reason)).toEqual(['no_vehicle', 'no_vehicle']);
  });

  it('serves jobs on a line at minimal distance', () => {
    const p = lineProblem(5);
    const s = solve(p, { seed: 3 });
    expect(checkSolution(p, s).violations).toEqual([]);
    expect(s.routes).toHaveLength(1);
    expect(s.summary.distance).toBe(10000);
  });

  it('is deterministic for a seed', () => {
    const pts = Array.from({ length: 30 }, (_, i) => [((i * 7919) % 101) * 100, ((i * 104729) % 97) * 100] as const);
    const p: Problem = {
      vehicles: [1, 2, 3].map((id) => ({ id, start: 0, end: 0, capacity: [10], timeWindow: [0, 20000] as const })),
      jobs: pts.slice(1).map((_, i) => ({ id: i + 1, location: i + 1, delivery: [1], service: 60 })),
      matrices: { car: euclid(pts) },
    };
    const a = solve(p, { seed: 7, iterations: 500 });
    const b = solve(p, { seed: 7, iterations: 500 });
    expect(a.routes.map((r) => r.steps.map((x) => x.id))).toEqual(b.routes.map((r) => r.steps.map((x) => x.id)));
    expect(checkSolution(p, a).ok).toBe(true);
  });

  it('reports unassigned jobs with a reason', () => {
    const p: Problem = {
      vehicles: [{ id: 'v', start: 0, end: 0, capacity: [5], skills: ['a'], timeWindow: [0, 1000] }],
      jobs: [
        { id: 'skill', location: 1, skills: ['b'] },
        { id: 'cap', location: 1, delivery: [6] },
        { id: 'tw', location: 1, timeWindows: [[5000, 6000]] },
        { id: 'short', location: 1, service: 2000 },
        { id: 'ok', location: 1, service: 10 },
      ],
      matrices: { car: { durations: [[0, 100], [100, 0]] } },
    };
    const s = solve(p);
    expect(checkSolution(p, s).violations).toEqual([]);
    const reasons = Object.fromEntries(s.unassigned.map((u) => [u.id, u.reason]));
    expect(reasons).toEqual({ skill: 'skills', cap: 'capacity', tw: 'time_window', short: 'shift_too_short' });
  });

  it('reports max_tasks overflow as no_room', () => {
    const p: Problem = { ...lineProblem(4), vehicles: [{ id: 'v1', start: 0, end: 0, maxTasks: 2 }] };
    const s = solve(p);
    expect(checkSolution(p, s).violations).toEqual([]);
    expect(s.unassigned.map((u) => u.reason)).toEqual(['no_room', 'no_room']);
  });

  it('places a lunch break in its window and honours several job windows and a booked time', () => {
    const p: Problem = {
      vehicles: [{ id: 'rep', start: 0, end: 0, timeWindow: [8 * 3600, 18 * 3600], breaks: [{ id: 'lunch', timeWindows: [[12 * 3600, 14 * 3600]], service: 3600 }] }],
      jobs: [
        { id: 'a', location: 1, service: 3600, timeWindows: [[9 * 3600, 10 * 3600], [15 * 3600, 16 * 3600]] },
        { id: 'b', location: 2, service: 5400 },
        { id: 'c', location: 3, service: 1800, pinnedTime: 13 * 3600 + 1800 },
      ],
      matrices: { car: euclid([[0, 0], [5000, 0], [5000, 5000], [0, 5000]]) },
    };
    const s = solve(p);
    const c = checkSolution(p, s);
    expect(c.violations).toEqual([]);
    expect(s.unassigned).toEqual([]);
    const steps = s.routes[0]?.steps ?? [];
    const lunch = steps.find((x) => x.type === 'break');
    expect(lunch).toBeDefined();
    const cStep = steps.find((x) => x.id === 'c');
    expect((cStep?.arrival ?? 0) + (cStep?.waitingTime ?? 0)).toBe(13 * 3600 + 1800);
  });

  it('takes lunch on arrival while waiting for the next visit to open, when lunch before the drive would make it late', () => {
    const h = 3600;
    // a ends at 11:20; b is an hour away and opens 13:00–13:30; lunch 60 min must start 12:00–12:30.
    // Lunch before the drive (12:00–13:00) reaches b at 14:00: too late. Driving first, lunch 12:20–13:20 at b works.
    const p: Problem = {
      vehicles: [{ id: 'rep', start: 0, end: 0, timeWindow: [8 * h, 18 * h], breaks: [{ id: 'lunch', timeWindows: [[12 * h, 12.5 * h]], service: h }] }],
      jobs: [
        { id: 'a', location: 1, service: 4800, pinnedTime: 10 * h },
        { id: 'b', location: 2, service: 1800, timeWindows: [[13 * h, 13.5 * h]] },
      ],
      matrices: { car: euclid([[0, 0], [1000, 0], [37000, 0]]) },
    };
    const s = solve(p);
    const c = checkSolution(p, s);
    expect(c.violations).toEqual([]);
    expect(s.unassigned).toEqual([]);
    const steps = s.routes[0]?.steps ?? [];
    expect(steps.map((x) => x.type)).toEqual(['start', 'job', 'break', 'job', 'end']);
    const lunch = steps[2];
    const b = steps[3];
    expect((lunch?.arrival ?? 0) + (lunch?.waitingTime ?? 0)).toBe(12 * h + 20 * 60);
    expect((b?.arrival ?? 0) + (b?.waitingTime ?? 0)).toBe(13 * h + 20 * 60);
    // the checker refuses the same day if the visit claims to start before lunch and the drive both fit
    const route = s.routes[0];
    if (route === undefined) throw new Error('no route');
    const bad = { ...s, routes: [{ ...route, steps: route.steps.map((x, i) => (i === 3 ? { ...x, arrival: 13 * h, waitingTime: 0 } : x)) }] };
    expect(checkSolution(p, bad).violations.join(' ')).toMatch(/earliest possible/);
  });

  it('supports open tours and pinned vehicles', () => {
    const p: Problem = {
      vehicles: [{ id: 'x' }, { id: 'y' }],
      jobs: [
        { id: 1, location: 0, pinnedVehicle: 'y' },
        { id: 2, location: 1, pinnedVehicle: 'y' },
        { id: 3, location: 2 },
      ],
      matrices: { car: euclid([[0, 0], [100, 0], [200, 0]]) },
    };
    const s = solve(p);
    expect(checkSolution(p, s).violations).toEqual([]);
    for (const r of s.routes) {
      expect(r.steps.some((x) => x.type === 'start' || x.type === 'end')).toBe(false);
      for (const st of r.steps) if (st.id === 1 || st.id === 2) expect(r.vehicleId).toBe('y');
    }
  });

  it('stays overnight when cheaper than driving home', () => {
    const far = 100_000;
    const p: Problem = {
      vehicles: [{
        id: 'v', start: 0, end: 0, costs: { perHour: 3600 }, overnight: { costPerNight: 1000 },
        shifts: [{ timeWindow: [0, 30000] }, { timeWindow: [86400, 86400 + 30000] }],
      }],
      jobs: [
        { id: 'd1', location: 1, service: 3600, timeWindows: [[0, 20000]] },
        { id: 'd2', location: 2, service: 3600, timeWindows: [[86400, 86400 + 20000]] },
      ],
      matrices: { car: euclid([[0, 0], [far, 0], [far, 1000]]) },
    };
    const s = solve(p);
    expect(checkSolution(p, s).violations).toEqual([]);
    expect(s.nights).toHaveLength(1);
    expect(s.nights[0]?.stay).toBe('overnight');
    expect(s.routes[0]?.steps.some((x) => x.type === 'end')).toBe(false);
    expect(s.routes[1]?.steps[0]?.location).toBe(1);
  });
});

describe('validation', () => {
  const base = lineProblem(2);
  it.each([
    ['unknown index', { ...base, jobs: [{ id: 'x', location: 9 }] }, 'jobs[0].location'],
    ['negative duration', { ...base, jobs: [{ id: 'x', location: 1, service: -1 }] }, 'jobs[0].service'],
    ['window end before start', { ...base, jobs: [{ id: 'x', location: 1, timeWindows: [[10, 5]] }] }, 'jobs[0].timeWindows[0]'],
    ['non-square matrix', { ...base, matrices: { car: { durations: [[0, 1], [1]] } } }, 'matrices.car.durations[1]'],
    ['missing profile', { ...base, vehicles: [{ id: 'v', profile: 'bike' }] }, 'vehicles[0].profile'],
  ] as [string, Problem, string][])('rejects %s', (_name, p, path) => {
    expect(validationPath(() => solve(p))).toBe(path);
  });
});
