import { compileModel, earliestStart, type Model, type SlotModel } from './model.ts';
import { simulate, travel, type RouteState, type SimStep } from './route.ts';
import { Search } from './search.ts';
import { SubsequenceSelector } from './select.ts';
import type { Night, Problem, Route, SolveOptions, Solution, Step, Unassigned, UnassignedReason } from './types.ts';
import { validateProblem } from './validate.ts';

const REASON_TEXT: Record<UnassignedReason, string> = {
  no_vehicle: 'the problem has no vehicle',
  skills: 'no vehicle has the required skills',
  pinned_vehicle: 'the pinned vehicle cannot serve this job',
  time_window: 'no time window of the job can be reached within a shift',
  capacity: 'the job amount exceeds every compatible vehicle capacity',
  max_travel_time: 'the round trip exceeds the max travel time / daily driving of every compatible vehicle',
  max_distance: 'the round trip exceeds the max distance of every compatible vehicle',
  max_tasks: 'every compatible vehicle has max_tasks = 0',
  shift_too_short: 'the visit does not fit in any shift (travel + service longer than the shift)',
  breaks: 'the visit cannot be combined with the mandatory breaks of any shift',
  no_room: 'the job fits alone but there is no room left in the routes (time, capacity or task limits)',
  interrupted: 'the search was stopped before this job could be placed',
};

/**
 * Why job j cannot be served on any compatible slot alone (or 'no_room' if it could;
 * 'interrupted' if it could and the search stopped before ever trying to place it).
 */
const diagnose = (md: Model, j: number, untried: boolean): UnassignedReason => {
  const reason = md.incompatReason[j];
  if (reason !== undefined) return reason;
  const R = md.slots.length;
  const order: UnassignedReason[] = ['max_tasks', 'capacity', 'time_window', 'shift_too_short', 'max_travel_time', 'max_distance', 'breaks'];
  let bestRank = -1;
  for (const slot of md.slots) {
    if (md.compat[j * R + slot.index] !== 1) continue;
    const r = singleReason(md, slot, j);
    if (r === undefined) return untried ? 'interrupted' : 'no_room';
    bestRank = Math.max(bestRank, order.indexOf(r));
  }
  return order[bestRank] ?? 'time_window';
};

const singleReason = (md: Model, slot: SlotModel, j: number): UnassignedReason | undefined => {
  if (slot.maxTasks < 1) return 'max_tasks';
  for (let d = 0; d < md.dims; d++) {
    const cap = slot.capacity[d] ?? Infinity;
    if ((md.delivery[j * md.dims + d] ?? 0) > cap || (md.pickup[j * md.dims + d] ?? 0) > cap) return 'capacity';
  }
  const l = md.loc[j] ?? 0;
  const tIn = travel(slot.dur, md.m, slot.start, l);
  const tOut = travel(slot.dur, md.m, l, slot.end);
  const s = earliestStart(md, j, slot.twStart + tIn);
  if (s === Infinity) return 'time_window';
  const w = (md.service[j] ?? 0) + (md.setup[j] ?? 0);
  if (s + w + tOut > slot.twEnd) {
    return slot.twEnd - slot.twStart < tIn + w + tOut ? 'shift_too_short' : 'time_window';
  }
  if (tIn + tOut > slot.maxTravel) return 'max_travel_time';
  if (travel(slot.dist, md.m, slot.start, l) + travel(slot.dist, md.m, l, slot.end) > slot.maxDistance) return 'max_distance';
  if (!simulate(md, slot, [j], undefined)) return 'breaks';
  return undefined;
};

interface Plan {
  /** Per slot: overridden start location (overnight stay the night before), or undefined. */
  startAt: (number | undefined)[];
  /** Per slot: true when the route ends at its last visit (overnight stay after). */
  openEnd: boolean[];
  nights: Night[];
}

/** Reads the nights decided by the search (Search.replanNights) into the output plan. */
const planNights = (md: Model, routes: readonly RouteState[]): Plan => {
  const startAt: (number | undefined)[] = routes.map(() => undefined);
  const openEnd = routes.map(() => false);
  const nights: Night[] = [];
  for (let r = 0; r + 1 < md.slots.length; r++) {
    const a = md.slots[r];
    const b = md.slots[r + 1];
    const route = routes[r];
    if (a === undefined || b === undefined || route === undefined || a.vehicle !== b.vehicle) continue;
    const vehicle = md.problem.vehicles[a.vehicle];
    if (vehicle === undefined) continue;
    const last = route.jobs[route.jobs.length - 1];
    if (route.overnightAfter && last !== undefined) {
      const loc = md.loc[last] ?? 0;
      startAt[r + 1] = loc;
      openEnd[r] = true;
      nights.push({ vehicleId: vehicle.id, vehicle: a.vehicle, afterShift: a.shift, stay: 'overnight', location: loc, cost: route.nightCost });
    } else {
      nights.push({ vehicleId: vehicle.id, vehicle: a.vehicle, afterShift: a.shift, stay: 'home', cost: 0 });
    }
  }
  return { startAt, openEnd, nights };
};

const buildRoute = (md: Model, slot: SlotModel, jobs: readonly number[], startAt: number | undefined, openEnd: boolean): Route => {
  const sim: SimStep[] = [];
  const endSlot: SlotModel = openEnd ? { ...slot, end: -1 } : slot;
  simulate(md, endSlot, jobs, sim, startAt);
  const { problem, dims } = md;
  const vehicle = problem.vehicles[slot.vehicle];
  const load = new Array<number>(dims).fill(0);
  for (const j of jobs) for (let d = 0; d < dims; d++) load[d] = (load[d] ?? 0) + (md.delivery[j * dims + d] ?? 0);
  const steps: Step[] = [];
  let travelSum = 0;
  let dist = 0;
  let cost = slot.fixed;
  let setup = 0;
  let service = 0;
  let waiting = 0;
  let priority = 0;
  let prevLoc = startAt ?? slot.start;
  for (const s of sim) {
    travelSum += s.travelBefore;
    dist += s.distBefore;
    if (s.kind === 'job' || s.kind === 'end') {
      cost += travel(slot.cost, md.m, prevLoc, s.location);
      prevLoc = s.location;
    }
    if (s.kind === 'job') {
      for (let d = 0; d < dims; d++) load[d] = (load[d] ?? 0) - (md.delivery[s.ref * dims + d] ?? 0) + (md.pickup[s.ref * dims + d] ?? 0);
      priority += md.priority[s.ref] ?? 0;
    }
    setup += s.setup;
    service += s.service;
    waiting += s.start - s.arrival;
    if (s.kind === 'end' && s.location < 0) continue;
    if (s.kind === 'start' && s.location < 0) continue;
    const base = { arrival: s.arrival, duration: travelSum, distance: dist, waitingTime: s.start - s.arrival, setup: s.setup, service: s.service, load: load.slice() };
    if (s.kind === 'job') steps.push({ type: 'job', id: problem.jobs[s.ref]?.id ?? s.ref, location: s.location, ...base });
    else if (s.kind === 'break') {
      const shiftBreaks = vehicle?.shifts?.[slot.shift]?.breaks ?? vehicle?.breaks ?? [];
      steps.push({ type: 'break', id: shiftBreaks[s.ref]?.id ?? s.ref, ...base });
    } else steps.push({ type: s.kind, location: s.location, ...base });
  }
  return { vehicleId: vehicle?.id ?? slot.vehicle, vehicle: slot.vehicle, shift: slot.shift, steps, cost, duration: travelSum, distance: dist, setup, service, waitingTime: waiting, priority };
};

const emptySolution = (ms: number): Solution => ({
  summary: { cost: 0, routes: 0, unassigned: 0, setup: 0, service: 0, duration: 0, waitingTime: 0, priority: 0, distance: 0, computingTimeMs: ms },
  routes: [],
  unassigned: [],
  nights: [],
});

const defaultIterations = (n: number, fast: boolean, oneVehicle: boolean): number => {
  if (n <= 1) return 0;
  // one vehicle: with the periodic set improvement 50·n iterations find more than 100·n did
  // without it; up to 20 jobs there is time for 80·n (tapering to 50·n at 25 jobs)
  if (n <= 50) return fast ? 30 * n : oneVehicle ? Math.min(80, Math.max(50, 80 - 6 * (n - 20))) * n : 100 * n;
  const base = fast ? 2000 + 40 * n : 20000 + 400 * n;
  return Math.min(base, fast ? 20000 : 200000);
};

/**
 * Solves a routing problem: regret insertion, then ruin & recreate (SISR) with simulated
 * annealing. Deterministic for a given seed when the time limit is not reached.
 * @throws AppError('VALIDATION') on a malformed problem.
 */
export const solve = (problem: Problem, options: SolveOptions = {}): Solution => solveWithStop(problem, options, undefined);

/** `solve` with an extra stop test (used by the worker, whose AbortSignal lives in another thread). */
export const solveWithStop = (problem: Problem, options: SolveOptions, shouldStop: (() => boolean) | undefined): Solution => {
  const t0 = performance.now();
  validateProblem(problem);
  if (problem.jobs.length === 0 || problem.vehicles.length === 0) {
    const empty = emptySolution(performance.now() - t0);
    if (problem.jobs.length === 0) return empty;
  }
  const md = compileModel(problem);
  const search = new Search(md, options.seed ?? 1);
  // one vehicle (a rep's day): the set improvement also runs inside the search, about as often as
  // it costs in total what the saved ruin & recreate iterations did (see defaultIterations)
  const oneVehicle = md.slots.length === 1 && md.slots[0] !== undefined && SubsequenceSelector.supports(md, md.slots[0]);
  if (oneVehicle) search.selection.every = Math.max(8, Math.round((md.n * md.n) / 16));
  const timeLimit = options.timeLimitMs ?? Infinity;
  const stop = (): boolean => options.signal?.aborted === true || (shouldStop?.() ?? false) || performance.now() > t0 + timeLimit;
  search.stop = stop;
  search.construct();
  search.twoOptStar();
  const dropped: number[] = [];
  search.replanNights(undefined, dropped);
  search.unassigned.push(...dropped);
  search.run({
    iterations: options.iterations ?? defaultIterations(md.n, options.fast === true, oneVehicle),
    deadline: t0 + timeLimit,
    shouldStop: () => options.signal?.aborted === true || (shouldStop?.() ?? false),
    seed: options.seed ?? 1,
    now: () => performance.now(),
  });
  return buildSolution(md, search.routes, search.unassigned, search.untried, performance.now() - t0);
};

/** `untried[j]` = 1 when the search was stopped before job j was ever tried (see Search.untried). */
export const buildSolution = (md: Model, routes: readonly RouteState[], unassignedJobs: readonly number[], untried: Uint8Array, ms: number): Solution => {
  const plan = planNights(md, routes);
  const out: Route[] = [];
  md.slots.forEach((slot, r) => {
    const jobs = routes[r]?.jobs ?? [];
    if (jobs.length === 0) return;
    out.push(buildRoute(md, slot, jobs, plan.startAt[r], plan.openEnd[r] ?? false));
  });
  const unassigned: Unassigned[] = [...unassignedJobs]
    .sort((a, b) => a - b)
    .map((j) => {
      const reason = diagnose(md, j, untried[j] === 1);
      return { id: md.problem.jobs[j]?.id ?? j, location: md.loc[j] ?? 0, reason, message: REASON_TEXT[reason] };
    });
  const sum = (f: (r: Route) => number): number => out.reduce((s, r) => s + f(r), 0);
  const nightCost = plan.nights.reduce((s, n) => s + n.cost, 0);
  return {
    summary: {
      cost: sum((r) => r.cost) + nightCost,
      routes: out.length,
      unassigned: unassigned.length,
      setup: sum((r) => r.setup),
      service: sum((r) => r.service),
      duration: sum((r) => r.duration),
      waitingTime: sum((r) => r.waitingTime),
      priority: sum((r) => r.priority),
      distance: sum((r) => r.distance),
      computingTimeMs: ms,
    },
    routes: out,
    unassigned,
    nights: plan.nights,
  };
};
