import type { TravelMatrix } from '@geocrm/geo';
import { describeOpening, instantOf, isoWeekday, localOf, minutesOf, openAt, startSpans, type Span, type VisitTiming } from './time.ts';

/**
 * The timeline of a rep's days for a given order of visits: the one simulation used both to time an
 * optimised plan and to check an order edited by hand. It follows the optimiser's own rules (start at
 * the shift start, earliest service start, lunch taken where it fits in waiting time — before a drive
 * or on arrival — or when it can no longer wait, stay near the last visit after a hotel night), and where the optimiser would refuse the
 * order it carries on and FLAGS the broken constraint instead.
 */

export const FLAG_CODES = [
  'closed_at_arrival',
  'late_for_appointment',
  'outside_visit_window',
  'missing_skills',
  'no_location',
  'over_daily_driving',
  'over_working_hours',
  'not_a_working_day',
] as const;
export type FlagCode = (typeof FLAG_CODES)[number];

export interface Flag {
  readonly code: FlagCode;
  readonly message: string;
}

export interface ScheduleVisit extends VisitTiming {
  readonly id: string;
  readonly accountId: string;
  readonly accountName: string;
  readonly visitTypeName: string;
  readonly requiredSkills: readonly string[];
  readonly priority: number;
  /** Matrix index of the account's location; undefined without a location. */
  readonly loc: number | undefined;
}

export interface ScheduleContext {
  readonly timeZone: string;
  readonly matrix: TravelMatrix;
  /** Matrix index where days start and end (home or office). */
  readonly baseLoc: number;
  readonly workingHours: Partial<Record<string, { from: string; to: string }>>;
  readonly lunch: { readonly from: string; readonly to: string; readonly minutes: number };
  readonly maxDailyDrivingSeconds: number | null;
  readonly skills: readonly string[];
}

export interface DayInput {
  readonly date: string;
  readonly visits: readonly ScheduleVisit[];
  /** After this day: go home, or sleep near the last visit (not on the last day). */
  readonly night: 'home' | 'hotel';
}

export interface StopTimeline {
  readonly visit: ScheduleVisit;
  readonly arrival: number;
  readonly start: number;
  readonly end: number;
  readonly departure: number;
  readonly waitSeconds: number;
  readonly driveSeconds: number;
  readonly driveMetres: number;
  readonly flags: readonly Flag[];
}

export interface DayTimeline {
  readonly date: string;
  readonly working: boolean;
  /** Where the day starts: home/office, or the hotel of the night before. */
  readonly startsAt: 'base' | 'hotel';
  readonly startLoc: number;
  readonly departure: number;
  readonly arrival: number;
  readonly stops: readonly StopTimeline[];
  readonly lunch: { readonly start: number; readonly end: number; readonly afterStop: number } | null;
  readonly returnDriveSeconds: number;
  readonly returnDriveMetres: number;
  readonly drivingSeconds: number;
  readonly distanceMetres: number;
  readonly night: 'home' | 'hotel';
  /** Matrix index of the hotel (the last visit's place) when night = hotel. */
  readonly nightLoc: number | undefined;
  readonly flags: readonly Flag[];
}

const DEFAULT_SHIFT = { from: '08:30', to: '18:00' };

const clock = (epoch: number, timeZone: string): string => localOf(epoch, timeZone).time;
const minutesText = (s: number): string => `${Math.round(s / 60)} min`;

/** Earliest service start at or after `arrival`, or Infinity (appointment missed / closed). */
const earliestStart = (v: ScheduleVisit, arrival: number, spans: readonly Span[]): number => {
  if (v.appointmentAt !== null) {
    const at = v.appointmentAt.getTime() / 1000;
    return arrival <= at ? at : Infinity;
  }
  for (const [a, b] of spans) if (b >= arrival) return Math.max(a, arrival);
  return Infinity;
};

export const scheduleDays = (ctx: ScheduleContext, days: readonly DayInput[]): DayTimeline[] => {
  const { timeZone, matrix } = ctx;
  const dur = (a: number, b: number): number => matrix.durations[a]?.[b] ?? 0;
  const dist = (a: number, b: number): number => matrix.distances[a]?.[b] ?? 0;
  const out: DayTimeline[] = [];
  let hotelLoc: number | undefined;
  days.forEach((day, dayIndex) => {
    const flags: Flag[] = [];
    const hours = ctx.workingHours[String(isoWeekday(day.date))];
    if (!hours) flags.push({ code: 'not_a_working_day', message: `${day.date} is not a working day of this rep` });
    const shift = hours ?? DEFAULT_SHIFT;
    const shiftStart = instantOf(day.date, minutesOf(shift.from), timeZone);
    const shiftEnd = instantOf(day.date, minutesOf(shift.to), timeZone);
    const lunchFrom = instantOf(day.date, minutesOf(ctx.lunch.from), timeZone);
    const lunchLatest = instantOf(day.date, minutesOf(ctx.lunch.to), timeZone) - ctx.lunch.minutes * 60;
    const lunchSeconds = ctx.lunch.minutes * 60;
    const startLoc = hotelLoc ?? ctx.baseLoc;
    const startsAt = hotelLoc === undefined ? 'base' : 'hotel';
    const placed = day.visits.filter((v) => v.loc !== undefined);
    const isLast = dayIndex === days.length - 1;
    const night = day.night === 'hotel' && !isLast && placed.length > 0 ? 'hotel' : 'home';

    let t = shiftStart;
    let prev = startLoc;
    let driving = 0;
    let distance = 0;
    let lunchPending = lunchSeconds > 0 && placed.length > 0;
    let lunch: DayTimeline['lunch'] = null;
    const stops: StopTimeline[] = [];
    const takeLunch = (at: number) => {
      lunch = { start: at, end: at + lunchSeconds, afterStop: stops.length };
      t = at + lunchSeconds;
      lunchPending = false;
    };

    for (const v of day.visits) {
      const stopFlags: Flag[] = [];
      if (v.loc === undefined) {
        stopFlags.push({ code: 'no_location', message: `${v.accountName} has no location: it cannot be placed on a route` });
        stops.push({ visit: v, arrival: t, start: t, end: t, departure: t, waitSeconds: 0, driveSeconds: 0, driveMetres: 0, flags: stopFlags });
        continue;
      }
      const loc = v.loc;
      const tt = dur(prev, loc);
      const spans = startSpans(v, day.date, timeZone);
      // lunch before the drive, or on arrival while waiting for the visit (whichever delays less),
      // as soon as it costs no delay or when it could not wait until after this visit (as the optimizer does)
      let lunchHere = 0;
      let ready = t + tt;
      if (lunchPending) {
        const sNone = earliestStart(v, t + tt, spans);
        const bsA = Math.max(t, lunchFrom);
        const sA = bsA <= lunchLatest ? earliestStart(v, bsA + lunchSeconds + tt, spans) : Infinity;
        const bsB = Math.max(t + tt, lunchFrom);
        const sB = tt > 0 && bsB <= lunchLatest ? earliestStart(v, bsB + lunchSeconds, spans) : Infinity;
        const canDefer = sNone !== Infinity && Math.max(sNone + v.serviceSeconds, lunchFrom) <= lunchLatest;
        const best = Math.min(sA, sB);
        if (best !== Infinity && (best <= sNone || !canDefer)) {
          if (sB < sA) {
            lunch = { start: bsB, end: bsB + lunchSeconds, afterStop: stops.length };
            lunchPending = false;
            lunchHere = lunchSeconds;
            ready = bsB + lunchSeconds;
          } else {
            takeLunch(bsA);
            ready = t + tt;
          }
        } else if (best === Infinity && !canDefer && bsA <= lunchLatest) {
          takeLunch(bsA);
          ready = t + tt;
        }
      }
      const arrival = t + tt;
      let start = earliestStart(v, ready, spans);
      if (v.appointmentAt !== null && start !== Infinity && !openAt(v.openingHours, start, v.serviceSeconds, timeZone)) {
        stopFlags.push({ code: 'closed_at_arrival', message: `The appointment at ${v.accountName} (${clock(start, timeZone)}) is outside its opening hours: ${describeOpening(v.openingHours, day.date)}` });
      }
      if (start === Infinity) {
        start = ready;
        if (v.appointmentAt !== null) {
          const at = v.appointmentAt.getTime() / 1000;
          stopFlags.push({ code: 'late_for_appointment', message: `Arrives at ${v.accountName} at ${clock(arrival, timeZone)}, ${minutesText(arrival - at)} after the appointment at ${clock(at, timeZone)}` });
        } else if ((v.windowFrom !== null && day.date < v.windowFrom) || (v.windowTo !== null && day.date > v.windowTo)) {
          stopFlags.push({ code: 'outside_visit_window', message: `${v.accountName}: ${day.date} is outside the visit's dates ${v.windowFrom ?? ''} – ${v.windowTo ?? ''}` });
        } else {
          const timeOfDay = v.timeFrom !== null && v.timeTo !== null ? ` (visit wanted ${v.timeFrom}–${v.timeTo})` : '';
          stopFlags.push({
            code: 'closed_at_arrival',
            message: `${v.accountName} is ${describeOpening(v.openingHours, day.date)} on ${day.date}${timeOfDay}: a ${minutesText(v.serviceSeconds)} visit from ${clock(arrival, timeZone)} does not fit`,
          });
        }
      }
      const missing = v.requiredSkills.filter((s) => !ctx.skills.includes(s));
      if (missing.length) stopFlags.push({ code: 'missing_skills', message: `${v.visitTypeName} at ${v.accountName} needs ${missing.join(', ')}, which this rep does not have` });
      driving += tt;
      distance += dist(prev, loc);
      const end = start + v.serviceSeconds;
      stops.push({ visit: v, arrival, start, end, departure: end, waitSeconds: start - arrival - lunchHere, driveSeconds: tt, driveMetres: dist(prev, loc), flags: stopFlags });
      t = end;
      prev = loc;
    }
    // still no lunch: after the last visit, before driving home or once home (whichever ends the day sooner)
    let homeLunchEnd: number | undefined;
    if (lunchPending) {
      const back = night === 'hotel' ? 0 : dur(prev, ctx.baseLoc);
      const bsA = Math.max(t, lunchFrom);
      const bsB = Math.max(t + back, lunchFrom);
      if (back > 0 && bsB <= lunchLatest && (bsA > lunchLatest || bsB < bsA + back)) {
        lunch = { start: bsB, end: bsB + lunchSeconds, afterStop: stops.length };
        homeLunchEnd = bsB + lunchSeconds;
      } else takeLunch(bsA <= lunchLatest ? bsA : t);
    }

    // departure times: a stop is left when the drive to the next place starts (after a lunch taken there)
    const timed = stops.map((s, i) => {
      const next = stops[i + 1];
      const departure = next ? next.arrival - next.driveSeconds : t;
      return { ...s, departure: Math.max(s.end, departure) };
    });
    // leave as late as possible: no waiting at the first visit unless lunch comes first
    let departure = shiftStart;
    const first = timed[0];
    const lunchFirst = lunch?.afterStop === 0;
    if (first && first.waitSeconds > 0 && !lunchFirst && first.visit.loc !== undefined) {
      departure += first.waitSeconds;
      timed[0] = { ...first, arrival: first.arrival + first.waitSeconds, waitSeconds: 0 };
    }
    const returnDriveSeconds = night === 'hotel' || placed.length === 0 ? 0 : dur(prev, ctx.baseLoc);
    const returnDriveMetres = night === 'hotel' || placed.length === 0 ? 0 : dist(prev, ctx.baseLoc);
    driving += returnDriveSeconds;
    distance += returnDriveMetres;
    const arrival = placed.length === 0 ? departure : (homeLunchEnd ?? t + returnDriveSeconds);
    if (ctx.maxDailyDrivingSeconds !== null && driving > ctx.maxDailyDrivingSeconds) {
      flags.push({ code: 'over_daily_driving', message: `${minutesText(driving)} of driving on ${day.date}, over the ${minutesText(ctx.maxDailyDrivingSeconds)} allowed` });
    }
    if (placed.length > 0 && arrival > shiftEnd) {
      flags.push({ code: 'over_working_hours', message: `The day of ${day.date} ends at ${clock(arrival, timeZone)}, after the end of working hours (${shift.to})` });
    }
    out.push({
      date: day.date,
      working: hours !== undefined,
      startsAt,
      startLoc,
      departure: placed.length === 0 ? shiftStart : departure,
      arrival,
      stops: timed,
      lunch,
      returnDriveSeconds,
      returnDriveMetres,
      drivingSeconds: driving,
      distanceMetres: distance,
      night,
      nightLoc: night === 'hotel' ? prev : undefined,
      flags,
    });
    hotelLoc = night === 'hotel' ? prev : undefined;
  });
  return out;
};
