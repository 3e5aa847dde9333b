/**
 * Independent feasibility checker: re-simulates every route of a solution from the raw
 * problem (matrices, windows, amounts) without any solver code, and lists every violation.
 */
import type { Break, Job, Problem, Route, Solution, TimeWindow, Vehicle } from '../types.ts';

export interface CheckResult {
  readonly ok: boolean;
  readonly violations: readonly string[];
  /** Recomputed totals. */
  readonly cost: number;
  readonly distance: number;
  readonly duration: number;
  readonly served: number;
}

const EPS = 1e-6;

const inWindows = (t: number, tws: readonly TimeWindow[] | undefined): boolean =>
  tws === undefined || tws.length === 0 || tws.some(([s, e]) => t >= s - EPS && t <= e + EPS);

export const checkSolution = (problem: Problem, solution: Solution): CheckResult => {
  const v: string[] = [];
  const jobsById = new Map<string, Job>(problem.jobs.map((j) => [String(j.id), j]));
  const seen = new Map<string, number>();
  let totalCost = 0;
  let totalDist = 0;
  let totalDur = 0;
  const routesByVehicle = new Map<number, Route[]>();
  const overnightAfter = new Map<string, number>();
  for (const night of solution.nights) {
    if (night.stay === 'overnight') {
      if (night.location === undefined) v.push(`night of vehicle ${String(night.vehicleId)} after shift ${night.afterShift}: overnight without location`);
      overnightAfter.set(`${night.vehicle}/${night.afterShift}`, night.location ?? -1);
      const veh = problem.vehicles[night.vehicle];
      if (veh?.overnight === undefined) v.push(`vehicle ${String(night.vehicleId)}: overnight stay but no overnight option`);
      totalCost += night.cost;
    }
  }

  solution.routes.forEach((route, ri) => {
    const where = `route ${ri} (vehicle ${String(route.vehicleId)}, shift ${route.shift})`;
    const veh: Vehicle | undefined = problem.vehicles[route.vehicle];
    if (veh === undefined || String(veh.id) !== String(route.vehicleId)) {
      v.push(`${where}: unknown vehicle`);
      return;
    }
    const list = routesByVehicle.get(route.vehicle) ?? [];
    list.push(route);
    routesByVehicle.set(route.vehicle, list);
    const shift = veh.shifts?.[route.shift] ?? (route.shift === 0 && veh.shifts === undefined ? { timeWindow: veh.timeWindow ?? ([0, Infinity] as const), breaks: veh.breaks } : undefined);
    if (shift === undefined) {
      v.push(`${where}: unknown shift`);
      return;
    }
    const matrix = problem.matrices[veh.profile ?? 'car'];
    if (matrix === undefined) {
      v.push(`${where}: no matrix`);
      return;
    }
    const dur = (a: number, b: number): number => matrix.durations[a]?.[b] ?? NaN;
    const dis = (a: number, b: number): number => (matrix.distances === undefined ? 0 : (matrix.distances[a]?.[b] ?? NaN));
    const perHour = veh.costs?.perHour ?? 3600;
    const perKm = veh.costs?.perKm ?? 0;
    const [ws, we] = shift.timeWindow;
    const overnightStart = overnightAfter.get(`${route.vehicle}/${route.shift - 1}`);
    const overnightEnd = overnightAfter.has(`${route.vehicle}/${route.shift}`);
    const expectedStart = overnightStart ?? veh.start;
    const expectedEnd = overnightEnd ? undefined : veh.end;
    const steps = route.steps;
    const first = steps[0];
    const last = steps[steps.length - 1];
    if (expectedStart !== undefined && (first?.type !== 'start' || first.location !== expectedStart)) v.push(`${where}: must start at ${expectedStart}`);
    if (expectedStart === undefined && steps.some((s) => s.type === 'start')) v.push(`${where}: open start must have no start step`);
    if (expectedEnd !== undefined && (last?.type !== 'end' || last.location !== expectedEnd)) v.push(`${where}: must end at ${expectedEnd}`);
    if (expectedEnd === undefined && steps.some((s) => s.type === 'end')) v.push(`${where}: open end must have no end step`);

    const dims = Math.max(veh.capacity?.length ?? 0, ...problem.jobs.map((j) => Math.max(j.delivery?.length ?? 0, j.pickup?.length ?? 0)));
    const load = new Array<number>(dims).fill(0);
    const routeJobs: Job[] = [];
    for (const s of steps) {
      if (s.type !== 'job') continue;
      const job = jobsById.get(String(s.id));
      if (job === undefined) {
        v.push(`${where}: unknown job ${String(s.id)}`);
        continue;
      }
      routeJobs.push(job);
      seen.set(String(job.id), (seen.get(String(job.id)) ?? 0) + 1);
      job.delivery?.forEach((x, d) => (load[d] = (load[d] ?? 0) + x));
    }
    const checkLoad = (label: string): void => {
      for (let d = 0; d < dims; d++) {
        const cap = veh.capacity?.[d] ?? Infinity;
        if ((load[d] ?? 0) > cap + EPS) v.push(`${where}: load ${load[d]} > capacity ${cap} (dim ${d}) at ${label}`);
      }
    };
    checkLoad('start');
    if (veh.maxTasks !== undefined && routeJobs.length > veh.maxTasks) v.push(`${where}: ${routeJobs.length} tasks > max_tasks ${veh.maxTasks}`);
    const vskills = new Set((veh.skills ?? []).map(String));
    let t = -Infinity;
    // a break may be taken before driving, on the way or on arrival: between two located steps the
    // driving and the breaks must fit one after the other (locEnd = end of work at prevLoc)
    let locEnd = -Infinity;
    let breakSum = 0;
    let prevLoc: number | undefined = undefined;
    let travelT = 0;
    let dist = 0;
    let cost = (veh.costs?.fixed ?? 0);
    const breaksTaken = new Map<string, number>();
    const breakDefs: readonly Break[] = shift.breaks ?? [];
    steps.forEach((s, si) => {
      const label = `step ${si} (${s.type}${s.id === undefined ? '' : ' ' + String(s.id)})`;
      if (s.type === 'break') {
        const b = breakDefs.find((x) => String(x.id) === String(s.id));
        if (b === undefined) {
          v.push(`${where}: ${label} unknown break`);
          return;
        }
        breaksTaken.set(String(b.id), (breaksTaken.get(String(b.id)) ?? 0) + 1);
        const start = s.arrival + s.waitingTime;
        if (s.arrival < t - EPS) v.push(`${where}: ${label} starts before the previous step ends`);
        if (!inWindows(start, b.timeWindows)) v.push(`${where}: ${label} starts at ${start} outside its windows`);
        if (start < ws - EPS || start + b.service > we + EPS) v.push(`${where}: ${label} outside the shift`);
        if (s.service < b.service - EPS) v.push(`${where}: ${label} too short`);
        t = start + b.service;
        breakSum += b.service;
        return;
      }
      const loc = s.location;
      if (loc === undefined) {
        v.push(`${where}: ${label} has no location`);
        return;
      }
      if (s.type === 'start') {
        if (si !== 0) v.push(`${where}: start is not the first step`);
        if (s.arrival < ws - EPS) v.push(`${where}: leaves at ${s.arrival} before the shift starts (${ws})`);
        t = s.arrival;
        locEnd = t;
        breakSum = 0;
        prevLoc = loc;
        return;
      }
      const tt = prevLoc === undefined ? 0 : dur(prevLoc, loc);
      const dd = prevLoc === undefined ? 0 : dis(prevLoc, loc);
      travelT += tt;
      dist += dd;
      cost += (perHour / 3600) * tt + (perKm / 1000) * dd;
      if (prevLoc === undefined) t = Math.max(t, ws);
      const earliest = prevLoc === undefined ? t + tt : Math.max(t, locEnd + tt + breakSum);
      if (s.arrival < earliest - EPS) v.push(`${where}: ${label} arrives at ${s.arrival}, earliest possible ${earliest}`);
      if (s.type === 'end') {
        if (si !== steps.length - 1) v.push(`${where}: end is not the last step`);
        if (s.arrival > we + EPS) v.push(`${where}: returns at ${s.arrival} after the shift ends (${we})`);
        t = s.arrival;
        prevLoc = loc;
        return;
      }
      const job = jobsById.get(String(s.id));
      if (job === undefined) return;
      if (loc !== job.location) v.push(`${where}: ${label} at location ${loc}, job is at ${job.location}`);
      for (const sk of job.skills ?? []) if (!vskills.has(String(sk))) v.push(`${where}: ${label} needs skill ${String(sk)}`);
      if (job.pinnedVehicle !== undefined && String(job.pinnedVehicle) !== String(veh.id)) v.push(`${where}: ${label} is pinned to vehicle ${String(job.pinnedVehicle)}`);
      const start = s.arrival + s.waitingTime;
      if (s.waitingTime < -EPS) v.push(`${where}: ${label} negative waiting`);
      if (job.pinnedTime !== undefined) {
        if (Math.abs(start - job.pinnedTime) > EPS) v.push(`${where}: ${label} starts at ${start}, booked at ${job.pinnedTime}`);
      } else if (!inWindows(start, job.timeWindows)) v.push(`${where}: ${label} starts at ${start} outside its time windows`);
      if (start < ws - EPS) v.push(`${where}: ${label} before the shift`);
      const setup = prevLoc === loc ? 0 : (job.setup ?? 0);
      if (Math.abs(s.setup - setup) > EPS) v.push(`${where}: ${label} setup ${s.setup}, expected ${setup}`);
      if (Math.abs(s.service - (job.service ?? 0)) > EPS) v.push(`${where}: ${label} service ${s.service}, expected ${job.service ?? 0}`);
      t = start + setup + (job.service ?? 0);
      locEnd = t;
      breakSum = 0;
      if (t > we + EPS) v.push(`${where}: ${label} ends at ${t} after the shift (${we})`);
      job.delivery?.forEach((x, d) => (load[d] = (load[d] ?? 0) - x));
      job.pickup?.forEach((x, d) => (load[d] = (load[d] ?? 0) + x));
      checkLoad(label);
      prevLoc = loc;
    });
    for (const b of breakDefs) {
      const k = breaksTaken.get(String(b.id)) ?? 0;
      if (k !== 1) v.push(`${where}: break ${String(b.id)} taken ${k} times`);
    }
    if (veh.maxTravelTime !== undefined && travelT > veh.maxTravelTime + EPS) v.push(`${where}: travel ${travelT} > max_travel_time ${veh.maxTravelTime}`);
    if (veh.maxDailyDriving !== undefined && travelT > veh.maxDailyDriving + EPS) v.push(`${where}: driving ${travelT} > max_daily_driving ${veh.maxDailyDriving}`);
    if (veh.maxDistance !== undefined && dist > veh.maxDistance + EPS) v.push(`${where}: distance ${dist} > max_distance ${veh.maxDistance}`);
    if (Math.abs(dist - route.distance) > 1e-3 * Math.max(1, dist)) v.push(`${where}: reported distance ${route.distance}, recomputed ${dist}`);
    if (Math.abs(cost - route.cost) > 1e-3 * Math.max(1, cost)) v.push(`${where}: reported cost ${route.cost}, recomputed ${cost}`);
    totalCost += cost;
    totalDist += dist;
    totalDur += travelT;
  });
  for (const [vi, list] of routesByVehicle) {
    const shifts = new Set<number>();
    for (const r of list) {
      if (shifts.has(r.shift)) v.push(`vehicle ${String(problem.vehicles[vi]?.id)}: shift ${r.shift} used twice`);
      shifts.add(r.shift);
    }
  }
  const unassigned = new Set<string>();
  for (const u of solution.unassigned) {
    const key = String(u.id);
    if (!jobsById.has(key)) v.push(`unassigned: unknown job ${key}`);
    if (unassigned.has(key)) v.push(`unassigned: job ${key} listed twice`);
    unassigned.add(key);
    if (typeof u.reason !== 'string' || u.reason.length === 0) v.push(`unassigned: job ${key} has no reason`);
  }
  for (const j of problem.jobs) {
    const key = String(j.id);
    const k = seen.get(key) ?? 0;
    const u = unassigned.has(key) ? 1 : 0;
    if (k + u !== 1) v.push(`job ${key}: served ${k} times, unassigned ${u} times`);
  }
  if (Math.abs(totalCost - solution.summary.cost) > 1e-3 * Math.max(1, totalCost)) v.push(`summary cost ${solution.summary.cost}, recomputed ${totalCost}`);
  return { ok: v.length === 0, violations: v, cost: totalCost, distance: totalDist, duration: totalDur, served: [...seen.values()].reduce((a, b) => a + b, 0) };
};
