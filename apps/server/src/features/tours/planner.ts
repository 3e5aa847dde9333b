import type { Job, Problem, Shift, Solution, UnassignedReason, Vehicle } from '@geocrm/optimizer';
import { addDays, describeOpening, instantOf, isoWeekday, minutesOf, openAt, startSpans } from './time.ts';
import type { ScheduleContext, ScheduleVisit } from './schedule.ts';

/** Value of an hour at the wheel in the optimiser's objective (cents): the rep's time is not free. */
export const DRIVING_HOUR_CENTS = 2_000;

export interface PlanningRep {
  readonly skills: readonly string[];
  readonly costPerKmCents: number;
  /** 0 = no hotel allowance configured: the rep goes home every night. */
  readonly hotelNightCents: number;
}

export interface Unplaced {
  readonly visit: ScheduleVisit;
  readonly reason: string;
  readonly message: string;
}

/** Messages for the optimiser's reasons, written for the person planning. */
const REASONS: Record<UnassignedReason, string> = {
  no_vehicle: 'No working day in the dates to place it',
  skills: 'Needs skills this rep does not have',
  pinned_vehicle: 'Reserved for another rep',
  time_window: 'No time fits: the account is not open (or the visit is not wanted) while the rep can be there on any planned day',
  capacity: 'Over the vehicle capacity',
  max_travel_time: 'Too far: the drive there and back is over the daily driving limit',
  max_distance: 'Too far: over the daily distance limit',
  max_tasks: 'Over the number of visits allowed per day',
  shift_too_short: 'Does not fit in a working day (drive there, visit and drive back)',
  breaks: 'Cannot fit around the lunch break',
  no_room: 'Fits alone but not with the other visits: not enough time in the planned days (lower priority than those placed)',
  interrupted: 'Not placed: no room found for it before the planning time limit (the days are full)',
};

export interface BuiltProblem {
  readonly problem: Problem;
  /** Per vehicle: the dates of its shifts (a vehicle = a run of consecutive working days). */
  readonly blocks: readonly (readonly string[])[];
  /** Visits sent to the optimiser, by job id. */
  readonly jobs: ReadonlyMap<string, ScheduleVisit>;
  /** Visits refused before solving (no location, no possible time), with the reason. */
  readonly unplaced: readonly Unplaced[];
  readonly base: number;
}

/**
 * One vehicle per run of consecutive working days (so a hotel night never spans a weekend), one shift
 * per day with the lunch break, the daily driving limit and the hotel option; one job per visit with
 * its possible start times (opening hours ∩ the visit's window, ending before closing) or its appointment.
 * Times are seconds from midnight (org time zone) of the first date.
 */
export const buildProblem = (ctx: ScheduleContext, rep: PlanningRep, dates: readonly string[], visits: readonly ScheduleVisit[]): BuiltProblem => {
  const { timeZone } = ctx;
  const first = dates[0] ?? '1970-01-01';
  const base = instantOf(first, 0, timeZone);
  const rel = (epoch: number): number => epoch - base;
  const working = dates.filter((d) => ctx.workingHours[String(isoWeekday(d))] !== undefined);
  const blocks: string[][] = [];
  for (const d of working) {
    const last = blocks[blocks.length - 1];
    const prevDate = last?.[last.length - 1];
    if (last && prevDate !== undefined && addDays(prevDate, 1) === d) last.push(d);
    else blocks.push([d]);
  }
  const shiftOf = (date: string): Shift => {
    const hours = ctx.workingHours[String(isoWeekday(date))] ?? { from: '08:30', to: '18:00' };
    const lunchFrom = rel(instantOf(date, minutesOf(ctx.lunch.from), timeZone));
    const lunchLatest = rel(instantOf(date, minutesOf(ctx.lunch.to), timeZone)) - ctx.lunch.minutes * 60;
    return {
      timeWindow: [rel(instantOf(date, minutesOf(hours.from), timeZone)), rel(instantOf(date, minutesOf(hours.to), timeZone))],
      ...(ctx.lunch.minutes > 0 ? { breaks: [{ id: `lunch:${date}`, timeWindows: [[lunchFrom, Math.max(lunchFrom, lunchLatest)]], service: ctx.lunch.minutes * 60 }] } : {}),
    };
  };
  const vehicles: Vehicle[] = blocks.map((block, i) => ({
    id: `days:${i}`,
    start: ctx.baseLoc,
    end: ctx.baseLoc,
    skills: [...rep.skills],
    shifts: block.map(shiftOf),
    ...(ctx.maxDailyDrivingSeconds === null ? {} : { maxDailyDriving: ctx.maxDailyDrivingSeconds }),
    costs: { perHour: DRIVING_HOUR_CENTS, perKm: rep.costPerKmCents },
    ...(rep.hotelNightCents > 0 && block.length > 1 ? { overnight: { costPerNight: rep.hotelNightCents } } : {}),
  }));

  const jobs: Job[] = [];
  const byId = new Map<string, ScheduleVisit>();
  const unplaced: Unplaced[] = [];
  for (const v of visits) {
    if (v.loc === undefined) {
      unplaced.push({ visit: v, reason: 'no_location', message: `${v.accountName} has no location: place it on the map first` });
      continue;
    }
    const common = { id: v.id, location: v.loc, service: v.serviceSeconds, skills: [...v.requiredSkills], priority: priorityOf(v) };
    if (v.appointmentAt !== null) {
      const at = v.appointmentAt.getTime() / 1000;
      const date = dates.find((d) => at >= instantOf(d, 0, timeZone) && at < instantOf(addDays(d, 1), 0, timeZone));
      if (date === undefined || !working.includes(date)) {
        unplaced.push({ visit: v, reason: 'appointment_outside_plan', message: `The appointment at ${v.accountName} is not on a working day of the planned dates` });
        continue;
      }
      if (!openAt(v.openingHours, at, v.serviceSeconds, timeZone)) {
        unplaced.push({ visit: v, reason: 'closed', message: `The appointment at ${v.accountName} is outside its opening hours (${describeOpening(v.openingHours, date)} on ${date}): move it` });
        continue;
      }
      jobs.push({ ...common, pinnedTime: rel(at) });
    } else {
      const windows = working.flatMap((d) => startSpans(v, d, timeZone)).map(([a, b]) => [rel(a), rel(b)] as const);
      if (windows.length === 0) {
        const inDates = working.some((d) => (v.windowFrom === null || d >= v.windowFrom) && (v.windowTo === null || d <= v.windowTo));
        unplaced.push({
          visit: v,
          reason: inDates ? 'closed' : 'outside_dates',
          message: inDates
            ? `${v.accountName} is closed (or the visit's hours do not fit its opening hours) on every working day of the plan`
            : `The visit's dates (${v.windowFrom ?? ''} – ${v.windowTo ?? ''}) do not meet a working day of the plan`,
        });
        continue;
      }
      jobs.push({ ...common, timeWindows: windows });
    }
    byId.set(v.id, v);
  }
  return { problem: { vehicles, jobs, matrices: { car: { durations: ctx.matrix.durations, distances: ctx.matrix.distances } } }, blocks, jobs: byId, unplaced, base };
};


/** Appointments first: a booked customer is not dropped for an open-window visit. */
const priorityOf = (v: ScheduleVisit): number => (v.appointmentAt !== null ? 100 : Math.min(99, v.priority));

export interface ReadSolution {
  /** Per date: the visits in order and the night after. */
  readonly orders: ReadonlyMap<string, { visits: ScheduleVisit[]; night: 'home' | 'hotel' }>;
  readonly unplaced: readonly Unplaced[];
}

export const readSolution = (built: BuiltProblem, solution: Solution): ReadSolution => {
  const orders = new Map<string, { visits: ScheduleVisit[]; night: 'home' | 'hotel' }>();
  for (const route of solution.routes) {
    const date = built.blocks[route.vehicle]?.[route.shift];
    if (date === undefined) continue;
    const visits = route.steps.flatMap((s) => (s.type === 'job' && s.id !== undefined ? [built.jobs.get(String(s.id))] : [])).filter((v): v is ScheduleVisit => v !== undefined);
    const night = solution.nights.some((n) => n.vehicle === route.vehicle && n.afterShift === route.shift && n.stay === 'overnight') ? 'hotel' : 'home';
    orders.set(date, { visits, night });
  }
  const unplaced = [...built.unplaced];
  for (const u of solution.unassigned) {
    const visit = built.jobs.get(String(u.id));
    if (visit) unplaced.push({ visit, reason: u.reason, message: REASONS[u.reason] });
  }
  return { orders, unplaced };
};
