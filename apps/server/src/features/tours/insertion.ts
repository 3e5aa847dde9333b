import { lngLat, type LngLat } from '@geocrm/domain';
import { toTravelMatrix, type MatrixProvider } from '@geocrm/geo';
import type { LngLatRecord, PlanningVisitRecord, RepProfileRecord, TourDayRecord, TourTotalsRecord } from '@geocrm/db';
import { DRIVING_HOUR_CENTS } from './planner.ts';
import { scheduleDays, type DayInput, type DayTimeline, type Flag, type ScheduleContext, type ScheduleVisit, type StopTimeline } from './schedule.ts';
import { instantOf, isoWeekday, minutesOf } from './time.ts';

/**
 * Inserting one visit into a rep's days, checked by re-timing the days with the planner's own
 * simulation (`scheduleDays`): shared by the opportunities on the way (F-TOUR-3) and the appointment
 * assistant (F-TOUR-4). Positions are first ranked by their exact extra driving (matrix lookups), then
 * timed in that order; a position is kept only when the re-timed days carry no flag they did not
 * already carry (opening hours, appointments, lunch, daily driving, working hours).
 */

/** The points of one rep's problem: index 0 is the base (home or office), then accounts, deduplicated. */
export class Points {
  readonly list: LngLatRecord[];
  readonly #index = new Map<string, number>();
  constructor(base: LngLatRecord) {
    this.list = [base];
    this.#index.set(`${base.lng},${base.lat}`, 0);
  }
  add(p: LngLatRecord): number {
    const key = `${p.lng},${p.lat}`;
    let i = this.#index.get(key);
    if (i === undefined) {
      i = this.list.length;
      this.list.push(p);
      this.#index.set(key, i);
    }
    return i;
  }
}

export const baseOf = (profile: RepProfileRecord): { kind: 'home' | 'office'; place: LngLatRecord } | null => {
  const kind = profile.startAt === 'office' && profile.office ? 'office' : 'home';
  const base = kind === 'office' ? profile.office : profile.home;
  return base ? { kind, place: base.location } : null;
};

export const scheduleVisitOf = (v: PlanningVisitRecord, points: Points): ScheduleVisit => ({
  id: v.id,
  accountId: v.accountId,
  accountName: v.accountName,
  visitTypeName: v.visitTypeName,
  requiredSkills: v.requiredSkills,
  priority: v.priority,
  loc: v.accountLocation ? points.add(v.accountLocation) : undefined,
  appointmentAt: v.appointmentAt,
  windowFrom: v.windowFrom,
  windowTo: v.windowTo,
  timeFrom: v.timeFrom,
  timeTo: v.timeTo,
  openingHours: v.openingHours,
  serviceSeconds: v.durationMinutes * 60,
});

export const contextOf = async (provider: MatrixProvider, profile: RepProfileRecord, timeZone: string, points: Points): Promise<ScheduleContext> => {
  const matrix = toTravelMatrix(await provider.matrix(points.list.map((p): LngLat => lngLat(p.lng, p.lat))));
  return {
    timeZone,
    matrix,
    baseLoc: 0,
    workingHours: profile.workingHours,
    lunch: profile.lunch,
    maxDailyDrivingSeconds: profile.maxDailyDrivingMinutes === null ? null : profile.maxDailyDrivingMinutes * 60,
    skills: profile.skills,
  };
};

/** The days that must be timed together with day `i`: linked to it by hotel nights. */
export const chainOf = (days: readonly DayInput[], i: number): [number, number] => {
  let a = i;
  while (a > 0 && days[a - 1]?.night === 'hotel') a--;
  let b = i;
  while (b < days.length - 1 && days[b]?.night === 'hotel') b++;
  return [a, b];
};

const flagKeys = (timeline: readonly DayTimeline[]): Set<string> => {
  const keys = new Set<string>();
  for (const d of timeline) {
    for (const f of d.flags) keys.add(`${d.date}|${f.code}`);
    for (const s of d.stops) for (const f of s.flags) keys.add(`${s.visit.id}|${f.code}`);
  }
  return keys;
};

/** Flags of `after` that `before` did not have (by day or visit, and code). */
export const newFlags = (before: readonly DayTimeline[], after: readonly DayTimeline[]): Flag[] => {
  const known = flagKeys(before);
  const out: Flag[] = [];
  for (const d of after) {
    for (const f of d.flags) if (!known.has(`${d.date}|${f.code}`)) out.push(f);
    for (const s of d.stops) for (const f of s.flags) if (!known.has(`${s.visit.id}|${f.code}`)) out.push(f);
  }
  return out;
};

export const withVisit = (days: readonly DayInput[], dayIndex: number, position: number, visit: ScheduleVisit): DayInput[] =>
  days.map((d, i) => (i === dayIndex ? { ...d, visits: [...d.visits.slice(0, position), visit, ...d.visits.slice(position)] } : d));

export interface Insertion {
  readonly dayIndex: number;
  readonly position: number;
  /** Exact extra driving and distance of the new order (before timing). */
  readonly driveSeconds: number;
  readonly metres: number;
}

/**
 * Every position of day `dayIndex` with its extra driving, cheapest first, minus those a bound proves
 * infeasible: over the daily driving limit, or more extra time than the day's waiting after that
 * position + the lunch + the time left before the end of working hours.
 */
export const positionsByDetour = (ctx: ScheduleContext, baseline: DayTimeline, dayIndex: number, loc: number, serviceSeconds: number): Insertion[] => {
  const dur = (a: number, b: number): number => ctx.matrix.durations[a]?.[b] ?? 0;
  const dist = (a: number, b: number): number => ctx.matrix.distances[a]?.[b] ?? 0;
  const stops = baseline.stops;
  const hours = ctx.workingHours[String(isoWeekday(baseline.date))];
  const shiftEnd = hours ? instantOf(baseline.date, minutesOf(hours.to), ctx.timeZone) : baseline.arrival;
  const out: Insertion[] = [];
  let waitsAfter = stops.reduce((s, x) => s + x.waitSeconds, 0);
  let prev = baseline.startLoc;
  for (let pos = 0; pos <= stops.length; pos++) {
    const nextStop: StopTimeline | undefined = stops[pos];
    const next = nextStop ? nextStop.visit.loc : baseline.night === 'hotel' ? undefined : ctx.baseLoc;
    const driveSeconds = dur(prev, loc) + (next === undefined ? 0 : dur(loc, next) - dur(prev, next));
    const metres = dist(prev, loc) + (next === undefined ? 0 : dist(loc, next) - dist(prev, next));
    const overDriving = ctx.maxDailyDrivingSeconds !== null && baseline.drivingSeconds + driveSeconds > ctx.maxDailyDrivingSeconds && baseline.night !== 'hotel';
    const room = waitsAfter + ctx.lunch.minutes * 60 + Math.max(0, shiftEnd - baseline.arrival);
    if (!overDriving && driveSeconds + serviceSeconds <= room) out.push({ dayIndex, position: pos, driveSeconds, metres });
    if (nextStop) {
      waitsAfter -= nextStop.waitSeconds;
      if (nextStop.visit.loc !== undefined) prev = nextStop.visit.loc;
    }
  }
  return out.sort((a, b) => a.driveSeconds - b.driveSeconds || a.metres - b.metres || a.position - b.position);
};

export interface Timed {
  /** The re-timed days of the chain around the changed day (indexes from `chainStart`). */
  readonly timeline: DayTimeline[];
  readonly chainStart: number;
  readonly stop: StopTimeline;
  readonly broken: Flag[];
  readonly extraDriveSeconds: number;
  readonly extraMetres: number;
}

/** Times `days` with `visit` at `position` of day `dayIndex` against the baseline timing of all days. */
export const timeInsertion = (ctx: ScheduleContext, days: readonly DayInput[], baseline: readonly DayTimeline[], dayIndex: number, position: number, visit: ScheduleVisit): Timed => {
  const [a, b] = chainOf(days, dayIndex);
  const changed = withVisit(days, dayIndex, position, visit).slice(a, b + 1);
  const timeline = scheduleDays(ctx, changed);
  const before = baseline.slice(a, b + 1);
  const day = timeline[dayIndex - a];
  const stop = day?.stops[position];
  if (!day || !stop) throw new Error(`insertion lost: day ${dayIndex}, position ${position}`);
  const sum = (t: readonly DayTimeline[], k: 'drivingSeconds' | 'distanceMetres') => t.reduce((s, d) => s + d[k], 0);
  return {
    timeline,
    chainStart: a,
    stop,
    broken: newFlags(before, timeline),
    extraDriveSeconds: sum(timeline, 'drivingSeconds') - sum(before, 'drivingSeconds'),
    extraMetres: sum(timeline, 'distanceMetres') - sum(before, 'distanceMetres'),
  };
};

/** Cost in cents of extra driving, as the optimiser counts it (km cost + the rep's time). */
export const detourCents = (profile: RepProfileRecord, driveSeconds: number, metres: number): number =>
  Math.round((metres / 1000) * profile.costPerKmCents + (driveSeconds / 3600) * DRIVING_HOUR_CENTS);

export const totalsOf = (profile: RepProfileRecord, timeline: readonly DayTimeline[]): TourTotalsRecord => {
  const distanceMetres = Math.round(timeline.reduce((s, d) => s + d.distanceMetres, 0));
  const drivingSeconds = Math.round(timeline.reduce((s, d) => s + d.drivingSeconds, 0));
  const visits = timeline.reduce((s, d) => s + d.stops.filter((x) => x.visit.loc !== undefined).length, 0);
  const hotelNights = timeline.filter((d) => d.night === 'hotel').length;
  const meals = timeline.filter((d) => d.lunch !== null).length;
  return {
    distanceMetres,
    drivingSeconds,
    visits,
    hotelNights,
    meals,
    costCents: Math.round((distanceMetres / 1000) * profile.costPerKmCents) + hotelNights * profile.hotelNightCents + meals * profile.mealCents,
    currency: profile.currency,
  };
};

/** A timeline as saved tour days (the same fields `ToursService.save` writes). */
export const tourDaysOf = (timeline: readonly DayTimeline[], points: readonly LngLatRecord[]): TourDayRecord[] =>
  timeline.map((d) => ({
    date: d.date,
    startAt: new Date(d.departure * 1000),
    endAt: new Date(d.arrival * 1000),
    distanceMetres: Math.round(d.distanceMetres),
    drivingSeconds: Math.round(d.drivingSeconds),
    lunch: d.lunch ? { startAt: new Date(d.lunch.start * 1000), endAt: new Date(d.lunch.end * 1000) } : null,
    night: d.night,
    nightLocation: d.nightLoc === undefined ? null : (points[d.nightLoc] ?? null),
    stops: d.stops.map((s, seq) => ({
      seq,
      visitId: s.visit.id,
      arrivalAt: new Date(s.arrival * 1000),
      startAt: new Date(s.start * 1000),
      endAt: new Date(s.end * 1000),
      departureAt: new Date(s.departure * 1000),
      driveSeconds: Math.round(s.driveSeconds),
      driveMetres: Math.round(s.driveMetres),
      waitSeconds: Math.round(s.waitSeconds),
    })),
  }));

export const isoOf = (epochSeconds: number): string => new Date(Math.round(epochSeconds) * 1000).toISOString();
