/**
 * VROOM-compatible JSON input and output (https://github.com/VROOM-Project/vroom/blob/master/docs/API.md).
 * Only custom matrices are supported (no routing engine): locations are `*_index` fields.
 * Extensions VROOM ignores: vehicle `shifts`, `time_windows`, `overnight`, `max_daily_driving`;
 * job `pinned_vehicle`, `pinned_time`; unassigned `reason`; route `shift`; `nights`.
 */
import { AppError } from '@geocrm/domain';
import type { Break, Id, Job, Matrix, Problem, Shift, Solution, TimeWindow, Vehicle } from './types.ts';
import { validateProblem } from './validate.ts';

const VROOM_FIELDS: Record<string, string> = {
  location: 'location_index',
  start: 'start_index',
  end: 'end_index',
  timeWindows: 'time_windows',
  timeWindow: 'time_window',
  maxTasks: 'max_tasks',
  maxTravelTime: 'max_travel_time',
  maxDistance: 'max_distance',
  maxDailyDriving: 'max_daily_driving',
  perHour: 'per_hour',
  perKm: 'per_km',
  costPerNight: 'cost_per_night',
  pinnedVehicle: 'pinned_vehicle',
  pinnedTime: 'pinned_time',
};

/** Renames our field names to VROOM's in a validation path such as `jobs[2].timeWindows[0]`. */
const toVroomPath = (path: string): string => path.replace(/\.([A-Za-z]+)/g, (all, name: string) => (VROOM_FIELDS[name] === undefined ? all : `.${VROOM_FIELDS[name]}`));

type Json = Record<string, unknown>;

const fail = (path: string, message: string): never => {
  throw new AppError('VALIDATION', `${path}: ${message}`, { details: { path } });
};

const isObj = (x: unknown): x is Json => typeof x === 'object' && x !== null && !Array.isArray(x);
const num = (x: unknown, path: string): number | undefined => {
  if (x === undefined || x === null) return undefined;
  if (typeof x !== 'number' || !Number.isFinite(x)) return fail(path, `must be a number (got ${JSON.stringify(x)})`);
  return x;
};
const id = (x: unknown, path: string): Id => {
  if (typeof x === 'number' || typeof x === 'string') return x;
  return fail(path, 'must be a number or a string');
};
const nums = (x: unknown, path: string): number[] | undefined => {
  if (x === undefined || x === null) return undefined;
  if (!Array.isArray(x)) return fail(path, 'must be an array of numbers');
  return x.map((v, i) => num(v, `${path}[${i}]`) ?? 0);
};
const window = (x: unknown, path: string): TimeWindow | undefined => {
  if (x === undefined || x === null) return undefined;
  if (!Array.isArray(x) || x.length !== 2) return fail(path, 'must be [start, end]');
  return [num(x[0], `${path}[0]`) ?? 0, num(x[1], `${path}[1]`) ?? 0];
};
const windows = (x: unknown, path: string): TimeWindow[] | undefined => {
  if (x === undefined || x === null) return undefined;
  if (!Array.isArray(x)) return fail(path, 'must be an array of [start, end]');
  return x.map((tw, i) => window(tw, `${path}[${i}]`) ?? [0, 0]);
};
const ids = (x: unknown, path: string): Id[] | undefined => {
  if (x === undefined || x === null) return undefined;
  if (!Array.isArray(x)) return fail(path, 'must be an array');
  return x.map((v, i) => id(v, `${path}[${i}]`));
};
const breaks = (x: unknown, path: string): Break[] | undefined => {
  if (x === undefined || x === null) return undefined;
  if (!Array.isArray(x)) return fail(path, 'must be an array');
  return x.map((b: unknown, i) => {
    if (!isObj(b)) return fail(`${path}[${i}]`, 'must be an object');
    const tws = windows(b['time_windows'], `${path}[${i}].time_windows`);
    return { id: id(b['id'], `${path}[${i}].id`), service: num(b['service'], `${path}[${i}].service`) ?? 0, ...(tws === undefined ? {} : { timeWindows: tws }) };
  });
};
const defined = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

/** Parses VROOM JSON into a Problem. Shipments are refused. */
export const fromVroom = (input: unknown): Problem => {
  if (!isObj(input)) return fail('problem', 'must be a JSON object');
  if (Array.isArray(input['shipments']) && input['shipments'].length > 0) {
    fail('shipments', 'shipments (pickup-and-delivery pairs) are not supported; use jobs with delivery/pickup amounts');
  }
  const coordIndex = new Map<string, number>();
  const rawJobs = input['jobs'] ?? [];
  if (!Array.isArray(rawJobs)) return fail('jobs', 'must be an array');
  for (const j of rawJobs) {
    if (isObj(j) && Array.isArray(j['location']) && typeof j['location_index'] === 'number') coordIndex.set(JSON.stringify(j['location']), j['location_index']);
  }
  const index = (o: Json, field: string, path: string): number | undefined => {
    const idx = num(o[`${field}_index`], `${path}.${field}_index`);
    if (idx !== undefined) return idx;
    const coords = o[field];
    if (coords === undefined || coords === null) return undefined;
    const found = coordIndex.get(JSON.stringify(coords));
    if (found === undefined) return fail(`${path}.${field}`, 'coordinates without a matrix index: give `' + field + '_index` (no routing engine here)');
    return found;
  };
  const jobs: Job[] = rawJobs.map((j: unknown, i) => {
    const path = `jobs[${i}]`;
    if (!isObj(j)) return fail(path, 'must be an object');
    const location = index(j, 'location', path);
    if (location === undefined) return fail(`${path}.location_index`, 'is required');
    return defined({
      id: id(j['id'], `${path}.id`),
      location,
      service: num(j['service'], `${path}.service`),
      setup: num(j['setup'], `${path}.setup`),
      delivery: nums(j['delivery'] ?? j['amount'], `${path}.delivery`),
      pickup: nums(j['pickup'], `${path}.pickup`),
      skills: ids(j['skills'], `${path}.skills`),
      priority: num(j['priority'], `${path}.priority`),
      timeWindows: windows(j['time_windows'], `${path}.time_windows`),
      pinnedVehicle: j['pinned_vehicle'] === undefined ? undefined : id(j['pinned_vehicle'], `${path}.pinned_vehicle`),
      pinnedTime: num(j['pinned_time'], `${path}.pinned_time`),
    });
  });
  const rawVehicles = input['vehicles'] ?? [];
  if (!Array.isArray(rawVehicles)) return fail('vehicles', 'must be an array');
  const vehicles: Vehicle[] = rawVehicles.map((v: unknown, i) => {
    const path = `vehicles[${i}]`;
    if (!isObj(v)) return fail(path, 'must be an object');
    let shifts: Shift[] | undefined;
    if (Array.isArray(v['shifts'])) {
      shifts = v['shifts'].map((s: unknown, k) => {
        if (!isObj(s)) return fail(`${path}.shifts[${k}]`, 'must be an object');
        const tw = window(s['time_window'], `${path}.shifts[${k}].time_window`);
        if (tw === undefined) return fail(`${path}.shifts[${k}].time_window`, 'is required');
        const b = breaks(s['breaks'], `${path}.shifts[${k}].breaks`);
        return b === undefined ? { timeWindow: tw } : { timeWindow: tw, breaks: b };
      });
    } else if (Array.isArray(v['time_windows'])) {
      const b = breaks(v['breaks'], `${path}.breaks`);
      shifts = (windows(v['time_windows'], `${path}.time_windows`) ?? []).map((tw) => (b === undefined ? { timeWindow: tw } : { timeWindow: tw, breaks: b }));
    }
    const costs = isObj(v['costs'])
      ? defined({ fixed: num(v['costs']['fixed'], `${path}.costs.fixed`), perHour: num(v['costs']['per_hour'], `${path}.costs.per_hour`), perKm: num(v['costs']['per_km'], `${path}.costs.per_km`) })
      : undefined;
    const overnight = isObj(v['overnight']) ? { costPerNight: num(v['overnight']['cost_per_night'], `${path}.overnight.cost_per_night`) ?? 0 } : undefined;
    const profile = v['profile'];
    if (profile !== undefined && typeof profile !== 'string') fail(`${path}.profile`, 'must be a string');
    return defined({
      id: id(v['id'], `${path}.id`),
      profile: profile as string | undefined,
      start: index(v, 'start', path),
      end: index(v, 'end', path),
      capacity: nums(v['capacity'], `${path}.capacity`),
      skills: ids(v['skills'], `${path}.skills`),
      timeWindow: window(v['time_window'], `${path}.time_window`),
      breaks: breaks(v['breaks'], `${path}.breaks`),
      shifts,
      maxTasks: num(v['max_tasks'], `${path}.max_tasks`),
      maxTravelTime: num(v['max_travel_time'], `${path}.max_travel_time`),
      maxDistance: num(v['max_distance'], `${path}.max_distance`),
      maxDailyDriving: num(v['max_daily_driving'], `${path}.max_daily_driving`),
      costs,
      overnight,
    });
  });
  const matrices: Record<string, Matrix> = {};
  const rawMatrices = input['matrices'];
  if (isObj(rawMatrices)) {
    for (const [profile, m] of Object.entries(rawMatrices)) {
      if (!isObj(m)) return fail(`matrices.${profile}`, 'must be an object');
      const durations = m['durations'];
      if (durations === undefined) return fail(`matrices.${profile}.durations`, 'is required');
      matrices[profile] = defined({ durations: durations as number[][], distances: m['distances'] as number[][] | undefined });
    }
  } else if (Array.isArray(input['matrix'])) {
    matrices['car'] = { durations: input['matrix'] as number[][] };
  }
  const problem: Problem = { vehicles, jobs, matrices };
  try {
    validateProblem(problem);
  } catch (e) {
    if (e instanceof AppError && typeof e.details?.['path'] === 'string') {
      const path = e.details['path'];
      const vroomPath = toVroomPath(path);
      throw new AppError('VALIDATION', e.message.replace(path, vroomPath), { details: { path: vroomPath } });
    }
    throw e;
  }
  return problem;
};

export interface VroomStep {
  type: 'start' | 'job' | 'break' | 'end';
  id?: Id;
  job?: Id;
  location_index?: number;
  arrival: number;
  duration: number;
  setup: number;
  service: number;
  waiting_time: number;
  distance: number;
  load: number[];
  violations: never[];
}

export interface VroomRoute {
  vehicle: Id;
  shift: number;
  cost: number;
  setup: number;
  service: number;
  duration: number;
  waiting_time: number;
  priority: number;
  distance: number;
  steps: VroomStep[];
  violations: never[];
}

export interface VroomSolution {
  code: 0;
  summary: {
    cost: number;
    routes: number;
    unassigned: number;
    setup: number;
    service: number;
    duration: number;
    waiting_time: number;
    priority: number;
    distance: number;
    violations: never[];
    computing_times: { loading: number; solving: number; routing: number };
  };
  unassigned: { id: Id; location_index: number; type: 'job'; reason: string; description: string }[];
  routes: VroomRoute[];
  nights: { vehicle: Id; after_shift: number; stay: 'home' | 'overnight'; location_index?: number; cost: number }[];
}

/** Serialises a Solution in VROOM's output format (plus our extensions). */
export const toVroom = (solution: Solution): VroomSolution => ({
  code: 0,
  summary: {
    cost: solution.summary.cost,
    routes: solution.summary.routes,
    unassigned: solution.summary.unassigned,
    setup: solution.summary.setup,
    service: solution.summary.service,
    duration: solution.summary.duration,
    waiting_time: solution.summary.waitingTime,
    priority: solution.summary.priority,
    distance: solution.summary.distance,
    violations: [],
    computing_times: { loading: 0, solving: Math.round(solution.summary.computingTimeMs), routing: 0 },
  },
  unassigned: solution.unassigned.map((u) => ({ id: u.id, location_index: u.location, type: 'job', reason: u.reason, description: u.message })),
  routes: solution.routes.map((r) => ({
    vehicle: r.vehicleId,
    shift: r.shift,
    cost: r.cost,
    setup: r.setup,
    service: r.service,
    duration: r.duration,
    waiting_time: r.waitingTime,
    priority: r.priority,
    distance: r.distance,
    steps: r.steps.map((s) =>
      defined({
        type: s.type,
        id: s.id,
        job: s.type === 'job' ? s.id : undefined,
        location_index: s.location,
        arrival: s.arrival,
        duration: s.duration,
        setup: s.setup,
        service: s.service,
        waiting_time: s.waitingTime,
        distance: s.distance,
        load: [...s.load],
        violations: [],
      }),
    ),
    violations: [],
  })),
  nights: solution.nights.map((n) => defined({ vehicle: n.vehicleId, after_shift: n.afterShift, stay: n.stay, location_index: n.location, cost: n.cost })),
});
