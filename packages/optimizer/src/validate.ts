import { AppError } from '@geocrm/domain';
import type { Break, Problem, Shift, TimeWindow } from './types.ts';

const fail = (path: string, message: string): never => {
  throw new AppError('VALIDATION', `${path}: ${message}`, { details: { path } });
};

const isNonNegative = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x) && x >= 0;

const checkDuration = (value: unknown, path: string): void => {
  if (value === undefined) return;
  if (!isNonNegative(value)) fail(path, `must be a finite number ≥ 0 (got ${JSON.stringify(value)})`);
};

const checkWindow = (tw: TimeWindow | undefined, path: string): void => {
  if (tw === undefined) return;
  if (!Array.isArray(tw) || tw.length !== 2) fail(path, 'must be [start, end]');
  const [s, e] = tw;
  if (typeof s !== 'number' || !Number.isFinite(s)) fail(`${path}[0]`, 'must be a finite number');
  if (typeof e !== 'number' || Number.isNaN(e)) fail(`${path}[1]`, 'must be a number');
  if (e < s) fail(path, `window ends (${e}) before it starts (${s})`);
};

const checkAmounts = (a: readonly number[] | undefined, path: string, dims: number | undefined): void => {
  if (a === undefined) return;
  if (!Array.isArray(a)) fail(path, 'must be an array of numbers');
  a.forEach((x, i) => {
    if (!isNonNegative(x)) fail(`${path}[${i}]`, `must be a finite number ≥ 0 (got ${String(x)})`);
  });
  if (dims !== undefined && a.length !== dims) fail(path, `has ${a.length} dimensions, capacities have ${dims}`);
};

const checkBreaks = (breaks: readonly Break[] | undefined, path: string): void => {
  if (breaks === undefined) return;
  const ids = new Set<string>();
  breaks.forEach((b, i) => {
    const key = String(b.id);
    if (ids.has(key)) fail(`${path}[${i}].id`, `duplicate break id ${key}`);
    ids.add(key);
    checkDuration(b.service, `${path}[${i}].service`);
    (b.timeWindows ?? []).forEach((tw, k) => checkWindow(tw, `${path}[${i}].timeWindows[${k}]`));
  });
};

/**
 * Checks a problem and throws `AppError('VALIDATION')` naming the first faulty field
 * (`details.path`, e.g. `jobs[3].location`).
 */
export const validateProblem = (problem: Problem): void => {
  if (problem === null || typeof problem !== 'object') fail('problem', 'must be an object');
  if (!Array.isArray(problem.vehicles)) fail('vehicles', 'must be an array');
  if (!Array.isArray(problem.jobs)) fail('jobs', 'must be an array');
  const matrices = problem.matrices as Problem['matrices'] | undefined;
  if (matrices === undefined || matrices === null || typeof matrices !== 'object') fail('matrices', 'must be an object keyed by profile');
  const sizes = new Map<string, number>();
  for (const [profile, m] of Object.entries(problem.matrices)) {
    const path = `matrices.${profile}`;
    const check = (rows: unknown, name: string): number => {
      if (!Array.isArray(rows)) return fail(`${path}.${name}`, 'must be an array of rows');
      const n = rows.length;
      rows.forEach((row: unknown, i) => {
        if (!Array.isArray(row) || row.length !== n) fail(`${path}.${name}[${i}]`, `matrix is not square: row has ${Array.isArray(row) ? row.length : 'no'} entries, expected ${n}`);
        (row as unknown[]).forEach((x, j) => {
          if (!isNonNegative(x)) fail(`${path}.${name}[${i}][${j}]`, `must be a finite number ≥ 0 (got ${String(x)})`);
        });
      });
      return n;
    };
    const n = check(m.durations, 'durations');
    if (m.distances !== undefined) {
      const nd = check(m.distances, 'distances');
      if (nd !== n) fail(`${path}.distances`, `has ${nd} rows, durations has ${n}`);
    }
    sizes.set(profile, n);
  }
  const vehicleIds = new Set<string>();
  let dims: number | undefined;
  problem.vehicles.forEach((v, i) => {
    const path = `vehicles[${i}]`;
    if (v.id === undefined || v.id === null) fail(`${path}.id`, 'is required');
    const key = String(v.id);
    if (vehicleIds.has(key)) fail(`${path}.id`, `duplicate vehicle id ${key}`);
    vehicleIds.add(key);
    const profile = v.profile ?? 'car';
    const size = sizes.get(profile);
    if (size === undefined) return fail(`${path}.profile`, `no matrix for profile "${profile}"`);
    for (const field of ['start', 'end'] as const) {
      const idx = v[field];
      if (idx === undefined) continue;
      if (!Number.isInteger(idx) || idx < 0 || idx >= size) fail(`${path}.${field}`, `unknown location index ${String(idx)} (matrix "${profile}" has ${size})`);
    }
    if (v.capacity !== undefined) {
      checkAmounts(v.capacity, `${path}.capacity`, dims);
      dims = v.capacity.length;
    }
    checkWindow(v.timeWindow, `${path}.timeWindow`);
    checkBreaks(v.breaks, `${path}.breaks`);
    if (v.shifts !== undefined) {
      if (!Array.isArray(v.shifts) || v.shifts.length === 0) fail(`${path}.shifts`, 'must be a non-empty array');
      let prevEnd = -Infinity;
      v.shifts.forEach((s: Shift, k: number) => {
        checkWindow(s.timeWindow, `${path}.shifts[${k}].timeWindow`);
        if (s.timeWindow[0] < prevEnd) fail(`${path}.shifts[${k}].timeWindow`, 'shifts must be in chronological order and must not overlap');
        prevEnd = s.timeWindow[1];
        checkBreaks(s.breaks, `${path}.shifts[${k}].breaks`);
      });
    }
    for (const field of ['maxTasks', 'maxTravelTime', 'maxDistance', 'maxDailyDriving'] as const) checkDuration(v[field], `${path}.${field}`);
    if (v.costs !== undefined) {
      checkDuration(v.costs.fixed, `${path}.costs.fixed`);
      checkDuration(v.costs.perHour, `${path}.costs.perHour`);
      checkDuration(v.costs.perKm, `${path}.costs.perKm`);
    }
    if (v.overnight !== undefined) checkDuration(v.overnight.costPerNight, `${path}.overnight.costPerNight`);
  });
  const jobIds = new Set<string>();
  problem.jobs.forEach((j, i) => {
    const path = `jobs[${i}]`;
    if (j.id === undefined || j.id === null) fail(`${path}.id`, 'is required');
    const key = String(j.id);
    if (jobIds.has(key)) fail(`${path}.id`, `duplicate job id ${key}`);
    jobIds.add(key);
    if (!Number.isInteger(j.location) || j.location < 0) fail(`${path}.location`, `unknown location index ${String(j.location)}`);
    for (const [profile, size] of sizes) {
      if (j.location >= size) fail(`${path}.location`, `unknown location index ${j.location} (matrix "${profile}" has ${size})`);
    }
    checkDuration(j.service, `${path}.service`);
    checkDuration(j.setup, `${path}.setup`);
    checkDuration(j.priority, `${path}.priority`);
    checkAmounts(j.delivery, `${path}.delivery`, dims);
    checkAmounts(j.pickup, `${path}.pickup`, dims);
    (j.timeWindows ?? []).forEach((tw, k) => checkWindow(tw, `${path}.timeWindows[${k}]`));
    if (j.pinnedTime !== undefined && (typeof j.pinnedTime !== 'number' || !Number.isFinite(j.pinnedTime))) fail(`${path}.pinnedTime`, 'must be a finite number');
    if (j.pinnedVehicle !== undefined && !vehicleIds.has(String(j.pinnedVehicle))) fail(`${path}.pinnedVehicle`, `unknown vehicle id ${String(j.pinnedVehicle)}`);
  });
};
