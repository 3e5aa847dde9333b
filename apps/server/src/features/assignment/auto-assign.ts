import type { OpeningHours } from '@geocrm/domain';
import type { TravelMatrix } from '@geocrm/geo';
import type { Job, Problem, Shift, Solution, SolveOptions, UnassignedReason, Vehicle } from '@geocrm/optimizer';
import { DRIVING_HOUR_CENTS } from '../tours/planner.ts';
import { addDays, instantOf, isoWeekday, minutesOf, startSpans } from '../tours/time.ts';

/**
 * Automatic assignment of service tasks (F-TOUR-7) as ONE multi-vehicle problem: a vehicle per
 * technician whose shifts are the available days (working days minus absences), a job per task with
 * the days it may be done (its account's opening hours, up to its due date). Pure: no I/O, the solver
 * is passed in (a worker in the server, the same in the bench).
 *
 * Workload balance: a per-day CAP. Every task carries a work estimate (service + the drive from its
 * nearest neighbour) as a capacity amount; each day (shift) may hold at most
 * `max(largest task, mean × (1 + BALANCE_SLACK))` where mean = estimated work of the servable tasks /
 * available technician-days. A full-length day is not capped. If the capped answer leaves tasks out for
 * lack of room, the problem is solved again with the cap raised (× RELAX_FACTOR) and the due dates of
 * the left-out tasks relaxed; the answer that serves more (priority, then tasks) wins.
 */

export const BALANCE_SLACK = 0.15;
export const RELAX_FACTOR = 1.5;
const TERRITORY_SKILL = '@territory:';

export interface AssignTechnician {
  readonly userId: string;
  readonly name: string;
  readonly skills: readonly string[];
  /** Matrix index of home (undefined: no home, cannot be planned). */
  readonly homeLoc: number | undefined;
  readonly workingHours: Partial<Record<string, { from: string; to: string }>>;
  readonly lunch: { readonly from: string; readonly to: string; readonly minutes: number };
  readonly maxDailyDrivingSeconds: number | null;
  readonly costPerKmCents: number;
  /** Dates away, with the reason. */
  readonly absences: ReadonlyMap<string, string>;
}

export interface AssignTask {
  readonly id: string;
  readonly title: string;
  readonly accountName: string;
  readonly loc: number | undefined;
  readonly serviceSeconds: number;
  readonly skills: readonly string[];
  readonly dueDate: string | null;
  readonly priority: number;
  readonly openingHours: OpeningHours;
  /** Technicians responsible for the account (territory); only used with `respectTerritory`. */
  readonly territoryUserIds: readonly string[];
  /** Already assigned (earlier apply or by hand): kept with this person on this day, takes room in it. */
  readonly fixed?: { readonly userId: string; readonly date: string };
}

export interface AssignInput {
  readonly dates: readonly string[];
  readonly timeZone: string;
  readonly matrix: TravelMatrix;
  readonly technicians: readonly AssignTechnician[];
  readonly tasks: readonly AssignTask[];
  readonly balance: 'cap' | 'none';
  readonly respectTerritory: boolean;
  /** Headroom of the daily cap over the mean (default BALANCE_SLACK). */
  readonly balanceSlack?: number;
}

export type Solver = (problem: Problem, options: SolveOptions) => Promise<Solution>;

export interface PlannedStop {
  readonly task: AssignTask;
  readonly date: string;
  /** Epoch seconds. */
  readonly start: number;
  readonly end: number;
  readonly late: boolean;
}

export interface PlannedDay {
  readonly date: string;
  readonly available: boolean;
  readonly absence: string | null;
  readonly stops: readonly PlannedStop[];
  readonly distanceMetres: number;
  readonly drivingSeconds: number;
  readonly serviceSeconds: number;
  readonly departAt: number | null;
  readonly returnAt: number | null;
}

export interface PlannedTechnician {
  readonly tech: AssignTechnician;
  readonly days: readonly PlannedDay[];
  readonly note: string | null;
}

export interface LeftOut {
  readonly task: AssignTask;
  readonly reason: string;
  readonly message: string;
}

export interface AssignResult {
  readonly technicians: readonly PlannedTechnician[];
  readonly unassigned: readonly LeftOut[];
  readonly dailyCapMinutes: number | null;
  readonly solves: number;
}

export interface Spread {
  readonly meanHours: number;
  readonly minHours: number;
  readonly maxHours: number;
  readonly stdevHours: number;
  readonly cv: number;
}

/** Messages for the optimiser's reasons, written for the person dispatching. */
const REASONS: Record<UnassignedReason, string> = {
  no_vehicle: 'No technician has an available day in the horizon',
  skills: 'No technician in the plan has the required skills',
  pinned_vehicle: 'Reserved for another technician',
  time_window: 'No time fits: the account is closed (or the task is due) before any technician with the skills can be there',
  capacity: "Longer than a day's work",
  max_travel_time: 'Too far: the drive there and back is over the daily driving limit',
  max_distance: 'Too far: over the daily distance limit',
  max_tasks: 'Over the number of tasks allowed per day',
  shift_too_short: 'Does not fit in a working day (drive there, the work and drive back)',
  breaks: 'Cannot fit around the lunch break',
  no_room: 'Fits alone but not with the other tasks: the technicians who could do it are full (higher-priority tasks came first)',
  interrupted: 'Not placed before the planning time limit: the days are full, or give the search more time',
};

const round1 = (x: number): number => Math.round(x * 10) / 10;

interface Built {
  readonly problem: Problem;
  /** Per vehicle: the technician and the date of each shift. */
  readonly vehicles: readonly { readonly tech: AssignTechnician; readonly dates: readonly string[] }[];
  readonly tasks: ReadonlyMap<string, AssignTask>;
  readonly refused: readonly LeftOut[];
  readonly base: number;
  readonly dailyCapMinutes: number | null;
}

const availableDates = (t: AssignTechnician, dates: readonly string[]): string[] => dates.filter((d) => t.workingHours[String(isoWeekday(d))] !== undefined && !t.absences.has(d));

const shiftOf = (t: AssignTechnician, date: string, timeZone: string, base: number): Shift => {
  const rel = (epoch: number): number => epoch - base;
  const hours = t.workingHours[String(isoWeekday(date))] ?? { from: '08:30', to: '18:00' };
  const lunchFrom = rel(instantOf(date, minutesOf(t.lunch.from), timeZone));
  const lunchLatest = rel(instantOf(date, minutesOf(t.lunch.to), timeZone)) - t.lunch.minutes * 60;
  return {
    timeWindow: [rel(instantOf(date, minutesOf(hours.from), timeZone)), rel(instantOf(date, minutesOf(hours.to), timeZone))],
    ...(t.lunch.minutes > 0 ? { breaks: [{ id: `lunch:${date}`, timeWindows: [[lunchFrom, Math.max(lunchFrom, lunchLatest)]], service: t.lunch.minutes * 60 }] } : {}),
  };
};

/** Estimated work of each task, minutes: its service plus the drive from its nearest other place (task or home). */
const workEstimates = (input: AssignInput, tasks: readonly AssignTask[]): Map<string, number> => {
  const places = [...new Set([...tasks.map((t) => t.loc), ...input.technicians.map((t) => t.homeLoc)].filter((l): l is number => l !== undefined))];
  const out = new Map<string, number>();
  for (const t of tasks) {
    if (t.loc === undefined) continue;
    const row = input.matrix.durations[t.loc] ?? [];
    let nearest = Infinity;
    for (const p of places) if (p !== t.loc) nearest = Math.min(nearest, input.matrix.durations[p]?.[t.loc] ?? Infinity, row[p] ?? Infinity);
    out.set(t.id, Math.ceil((t.serviceSeconds + (Number.isFinite(nearest) ? nearest : 0)) / 60));
  }
  return out;
};

interface BuildOptions {
  /** Per-day cap of estimated work (minutes), or null. */
  readonly capMinutes: number | null;
  /** Tasks whose due date does not limit their days. */
  readonly relaxDue: ReadonlySet<string>;
}

const build = (input: AssignInput, opts: BuildOptions, work: ReadonlyMap<string, number>): Built => {
  const { dates, timeZone } = input;
  const first = dates[0] ?? '1970-01-01';
  const base = instantOf(first, 0, timeZone);
  const rel = (epoch: number): number => epoch - base;
  const planned = new Set(input.respectTerritory ? input.technicians.map((t) => t.userId) : []);

  const vehicles: Vehicle[] = [];
  const vmeta: { tech: AssignTechnician; dates: string[] }[] = [];
  for (const t of input.technicians) {
    const days = availableDates(t, dates);
    if (t.homeLoc === undefined || days.length === 0) continue;
    vehicles.push({
      id: t.userId,
      start: t.homeLoc,
      end: t.homeLoc,
      skills: [...t.skills, `${TERRITORY_SKILL}${t.userId}`],
      shifts: days.map((d) => shiftOf(t, d, timeZone, base)),
      ...(t.maxDailyDrivingSeconds === null ? {} : { maxDailyDriving: t.maxDailyDrivingSeconds }),
      ...(opts.capMinutes === null ? {} : { capacity: [opts.capMinutes] }),
      costs: { perHour: DRIVING_HOUR_CENTS, perKm: t.costPerKmCents },
    });
    vmeta.push({ tech: t, dates: days });
  }

  const jobs: Job[] = [];
  const byId = new Map<string, AssignTask>();
  const refused: LeftOut[] = [];
  for (const task of input.tasks) {
    if (task.loc === undefined) {
      refused.push({ task, reason: 'no_location', message: `${task.accountName} has no location: place it on the map first` });
      continue;
    }
    const delivery = opts.capMinutes === null ? {} : { delivery: [Math.min(opts.capMinutes, work.get(task.id) ?? 0)] };
    if (task.fixed) {
      const { userId, date } = task.fixed;
      // a person now away that day keeps the task in the database; the plan does not count it
      if (!vmeta.some((m) => m.tech.userId === userId && m.dates.includes(date))) continue;
      const open = rel(instantOf(date, 0, timeZone));
      const close = rel(instantOf(addDays(date, 1), 0, timeZone)) - task.serviceSeconds;
      jobs.push({ id: task.id, location: task.loc, service: task.serviceSeconds, priority: 100, pinnedVehicle: userId, timeWindows: [[open, Math.max(open, close)]], ...delivery });
      byId.set(task.id, task);
      continue;
    }
    const dueLimit = task.dueDate !== null && task.dueDate >= first && !opts.relaxDue.has(task.id) ? task.dueDate : null;
    const spansUpTo = (windowTo: string | null) => {
      const timing = { appointmentAt: null, windowFrom: null, windowTo, timeFrom: null, timeTo: null, openingHours: task.openingHours, serviceSeconds: task.serviceSeconds };
      return dates.flatMap((d) => startSpans(timing, d, timeZone)).map(([a, b]) => [rel(a), rel(b)] as const);
    };
    // closed every day up to its due date: done late (reported) rather than not at all
    let windows = spansUpTo(dueLimit);
    if (windows.length === 0 && dueLimit !== null) windows = spansUpTo(null);
    if (windows.length === 0) {
      refused.push({ task, reason: 'closed', message: `${task.accountName} is closed on every day of the plan` });
      continue;
    }
    const owners = task.territoryUserIds.filter((u) => planned.has(u));
    const territory = owners.length === 1 ? [`${TERRITORY_SKILL}${owners[0] ?? ''}`] : [];
    jobs.push({
      id: task.id,
      location: task.loc,
      service: task.serviceSeconds,
      skills: [...task.skills, ...territory],
      priority: Math.max(0, Math.min(100, task.priority)),
      timeWindows: windows,
      ...delivery,
    });
    byId.set(task.id, task);
  }
  return { problem: { vehicles, jobs, matrices: { car: { durations: input.matrix.durations, distances: input.matrix.distances } } }, vehicles: vmeta, tasks: byId, refused, base, dailyCapMinutes: opts.capMinutes };
};

/** The per-day cap for the balance mode, or null when it would not bind (a full day) or is off. */
export const dailyCap = (input: AssignInput, work: ReadonlyMap<string, number>): number | null => {
  if (input.balance === 'none') return null;
  const techDays = input.technicians.filter((t) => t.homeLoc !== undefined).map((t) => availableDates(t, input.dates));
  const dayCount = techDays.reduce((s, d) => s + d.length, 0);
  if (dayCount === 0 || work.size === 0) return null;
  const loads = [...work.values()];
  const mean = loads.reduce((s, x) => s + x, 0) / dayCount;
  const cap = Math.max(Math.max(...loads), Math.ceil(mean * (1 + (input.balanceSlack ?? BALANCE_SLACK))));
  // the shortest working day (less lunch) bounds what a day can hold anyway
  let longest = 0;
  for (const t of input.technicians) {
    for (const hours of Object.values(t.workingHours)) if (hours) longest = Math.max(longest, minutesOf(hours.to) - minutesOf(hours.from) - t.lunch.minutes);
  }
  return cap >= longest ? null : cap;
};

const read = (built: Built, solution: Solution, input: AssignInput): { techs: PlannedTechnician[]; unassigned: LeftOut[] } => {
  const { base } = built;
  const byTechDate = new Map<string, { stops: PlannedStop[]; distance: number; driving: number; service: number; depart: number; ret: number }>();
  for (const route of solution.routes) {
    const meta = built.vehicles[route.vehicle];
    const date = meta?.dates[route.shift];
    if (!meta || date === undefined) continue;
    const stops: PlannedStop[] = [];
    for (const s of route.steps) {
      if (s.type !== 'job' || s.id === undefined) continue;
      const task = built.tasks.get(String(s.id));
      if (!task) continue;
      const start = base + s.arrival + s.waitingTime + s.setup;
      stops.push({ task, date, start, end: start + s.service, late: !task.fixed && task.dueDate !== null && date > task.dueDate });
    }
    const first = route.steps[0];
    const last = route.steps[route.steps.length - 1];
    byTechDate.set(`${meta.tech.userId}|${date}`, {
      stops,
      distance: route.distance,
      driving: route.duration,
      service: route.service,
      depart: base + (first?.arrival ?? 0),
      ret: base + (last?.arrival ?? 0),
    });
  }
  const techs = input.technicians.map((tech): PlannedTechnician => {
    const avail = new Set(built.vehicles.find((v) => v.tech === tech)?.dates ?? []);
    const days = input.dates.map((date): PlannedDay => {
      const r = byTechDate.get(`${tech.userId}|${date}`);
      return {
        date,
        available: avail.has(date),
        absence: tech.absences.get(date) ?? null,
        stops: r?.stops ?? [],
        distanceMetres: r?.distance ?? 0,
        drivingSeconds: r?.driving ?? 0,
        serviceSeconds: r?.service ?? 0,
        departAt: r ? r.depart : null,
        returnAt: r ? r.ret : null,
      };
    });
    const note =
      tech.homeLoc === undefined ? 'No home location: set it in the profile to plan this person' : avail.size === 0 ? 'No available day in the horizon (days off or absences)' : null;
    return { tech, days, note };
  });
  const unassigned = [...built.refused];
  for (const u of solution.unassigned) {
    const task = built.tasks.get(String(u.id));
    if (task && !task.fixed) unassigned.push({ task, reason: u.reason, message: REASONS[u.reason] });
  }
  return { techs, unassigned };
};

const servedScore = (s: Solution, built: Built): [number, number] => {
  let priority = 0;
  let served = 0;
  for (const r of s.routes) {
    for (const st of r.steps) {
      if (st.type !== 'job') continue;
      served += 1;
      priority += built.tasks.get(String(st.id))?.priority ?? 0;
    }
  }
  return [priority, served];
};

const ROOM_REASONS: ReadonlySet<string> = new Set(['no_room', 'capacity', 'time_window', 'interrupted', 'shift_too_short']);

/** Builds and solves the problem (twice at most: capped, then relaxed when tasks were left out for lack of room). */
export const assignTasks = async (input: AssignInput, solve: Solver, options: { timeLimitMs: number; signal?: AbortSignal }): Promise<AssignResult> => {
  const work = workEstimates(input, input.tasks);
  const cap = dailyCap(input, work);
  const first = build(input, { capMinutes: cap, relaxDue: new Set() }, work);
  const solveOpts: SolveOptions = { timeLimitMs: options.timeLimitMs, seed: 1, ...(options.signal ? { signal: options.signal } : {}) };
  if (first.problem.jobs.length === 0 || first.problem.vehicles.length === 0) {
    const empty: Solution = {
      summary: { cost: 0, routes: 0, unassigned: 0, setup: 0, service: 0, duration: 0, waitingTime: 0, priority: 0, distance: 0, computingTimeMs: 0 },
      routes: [],
      unassigned: first.problem.jobs.map((j) => ({ id: j.id, location: j.location, reason: 'no_vehicle' as const, message: '' })),
      nights: [],
    };
    const r = read(first, empty, input);
    return { technicians: r.techs, unassigned: r.unassigned, dailyCapMinutes: cap, solves: 0 };
  }
  let built = first;
  let solution = await solve(first.problem, solveOpts);
  let solves = 1;
  const leftForRoom = solution.unassigned.filter((u) => ROOM_REASONS.has(u.reason)).map((u) => String(u.id));
  const dueLimited = leftForRoom.filter((id) => {
    const t = first.tasks.get(id);
    return t !== undefined && t.dueDate !== null && t.dueDate >= (input.dates[0] ?? '');
  });
  if (leftForRoom.length > 0 && (cap !== null || dueLimited.length > 0) && options.signal?.aborted !== true) {
    const relaxedCap = cap === null ? null : Math.ceil(cap * RELAX_FACTOR);
    const second = build(input, { capMinutes: relaxedCap, relaxDue: new Set(dueLimited) }, work);
    const again = await solve(second.problem, solveOpts);
    solves += 1;
    const [p1, s1] = servedScore(solution, first);
    const [p2, s2] = servedScore(again, second);
    if (p2 > p1 || (p2 === p1 && s2 > s1)) {
      built = second;
      solution = again;
    }
  }
  const r = read(built, solution, input);
  return { technicians: r.techs, unassigned: r.unassigned, dailyCapMinutes: built.dailyCapMinutes, solves };
};

/** Work (service + driving) per technician with at least one available day, over the horizon. */
export const workloadSpread = (techs: readonly PlannedTechnician[]): Spread => {
  const hours = techs
    .filter((t) => t.days.some((d) => d.available))
    .map((t) => t.days.reduce((s, d) => s + d.serviceSeconds + d.drivingSeconds, 0) / 3600);
  if (!hours.length) return { meanHours: 0, minHours: 0, maxHours: 0, stdevHours: 0, cv: 0 };
  const mean = hours.reduce((s, x) => s + x, 0) / hours.length;
  const stdev = Math.sqrt(hours.reduce((s, x) => s + (x - mean) ** 2, 0) / hours.length);
  return { meanHours: round1(mean), minHours: round1(Math.min(...hours)), maxHours: round1(Math.max(...hours)), stdevHours: round1(stdev), cv: mean > 0 ? Math.round((stdev / mean) * 1000) / 1000 : 0 };
};
