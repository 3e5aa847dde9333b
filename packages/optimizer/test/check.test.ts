import { describe, expect, it } from 'vitest';
import { checkSolution, solve } from '../src/index.ts';
import type { Problem, Route, Solution, Step } from '../src/types.ts';
import { euclid } from './helpers.ts';

const problem: Problem = {
  vehicles: [{ id: 'v', start: 0, end: 0, capacity: [3], timeWindow: [0, 5000], breaks: [{ id: 'b', timeWindows: [[100, 2000]], service: 60 }] }],
  jobs: [
    { id: 'a', location: 1, service: 30, delivery: [1], timeWindows: [[0, 3000]] },
    { id: 'b', location: 2, service: 30, delivery: [2] },
  ],
  matrices: { car: euclid([[0, 0], [1000, 0], [1000, 1000]]) },
};

const mapSteps = (s: Solution, f: (step: Step) => Step): Solution => ({
  ...s,
  routes: s.routes.map((r): Route => ({ ...r, steps: r.steps.map(f) })),
});

describe('checkSolution (independent checker)', () => {
  const good = solve(problem);

  it('accepts the solver output', () => {
    expect(checkSolution(problem, good).violations).toEqual([]);
  });

  it('detects an arrival earlier than the travel time allows', () => {
    const bad = mapSteps(good, (st) => (st.type === 'job' ? { ...st, arrival: st.arrival - 50 } : st));
    expect(checkSolution(problem, bad).violations.join('\n')).toMatch(/earliest possible/);
  });

  it('detects a service outside the time windows', () => {
    const p: Problem = { ...problem, jobs: problem.jobs.map((j) => (j.id === 'a' ? { ...j, timeWindows: [[4000, 4100]] as const } : j)) };
    expect(checkSolution(p, good).violations.join('\n')).toMatch(/outside its time windows/);
  });

  it('detects an overload', () => {
    const p: Problem = { ...problem, vehicles: problem.vehicles.map((v) => ({ ...v, capacity: [2] })) };
    expect(checkSolution(p, good).violations.join('\n')).toMatch(/capacity/);
  });

  it('detects a lost job, a missing break and a wrong skill', () => {
    const lost: Solution = { ...good, routes: good.routes.map((r) => ({ ...r, steps: r.steps.filter((s) => s.id !== 'a' && s.type !== 'break') })) };
    const v = checkSolution(problem, lost).violations.join('\n');
    expect(v).toMatch(/job a: served 0 times/);
    expect(v).toMatch(/break b taken 0 times/);
    const p: Problem = { ...problem, jobs: problem.jobs.map((j) => ({ ...j, skills: ['x'] })) };
    expect(checkSolution(p, good).violations.join('\n')).toMatch(/needs skill x/);
  });

  it('detects limits: max tasks, travel time, distance, shift end', () => {
    const p: Problem = { ...problem, vehicles: problem.vehicles.map((v) => ({ ...v, maxTasks: 1, maxTravelTime: 10, maxDistance: 100, timeWindow: [0, 200] as const })) };
    const v = checkSolution(p, good).violations.join('\n');
    expect(v).toMatch(/max_tasks/);
    expect(v).toMatch(/max_travel_time/);
    expect(v).toMatch(/max_distance/);
    expect(v).toMatch(/after the shift/);
  });
});
