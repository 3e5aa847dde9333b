import type { OpeningHours } from '@geocrm/domain';

/** `[from, to]` in epoch seconds. */
export type Span = readonly [from: number, to: number];

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const HHMM = /^(\d{2}):(\d{2})$/;

const parts = (date: string): [number, number, number] => {
  const m = DATE.exec(date);
  if (!m) throw new RangeError(`Not a date: ${date}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
};

/** Minutes after midnight of `HH:MM` (`24:00` = 1440). */
export const minutesOf = (hhmm: string): number => {
  const m = HHMM.exec(hhmm);
  if (!m) throw new RangeError(`Not a time: ${hhmm}`);
  return Number(m[1]) * 60 + Number(m[2]);
};

export const addDays = (date: string, days: number): string => {
  const [y, mo, d] = parts(date);
  return new Date(Date.UTC(y, mo - 1, d + days)).toISOString().slice(0, 10);
};

/** ISO weekday, 1 = Monday … 7 = Sunday. */
export const isoWeekday = (date: string): number => {
  const [y, mo, d] = parts(date);
  const w = new Date(Date.UTC(y, mo - 1, d)).getUTCDay();
  return w === 0 ? 7 : w;
};

const formatters = new Map<string, Intl.DateTimeFormat>();
const formatter = (timeZone: string): Intl.DateTimeFormat => {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formatters.set(timeZone, f);
  }
  return f;
};

/** Wall-clock date and time of an instant in a time zone. */
export const localOf = (epochSeconds: number, timeZone: string): { date: string; time: string; minutes: number } => {
  const values: Record<string, string> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(epochSeconds * 1000))) values[p.type] = p.value;
  const hour = values['hour'] ?? '00';
  const minute = values['minute'] ?? '00';
  return { date: `${values['year'] ?? ''}-${values['month'] ?? ''}-${values['day'] ?? ''}`, time: `${hour}:${minute}`, minutes: Number(hour) * 60 + Number(minute) };
};

const offsetSeconds = (epochSeconds: number, timeZone: string): number => {
  const values: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(epochSeconds * 1000))) values[p.type] = Number(p.value);
  const asUtc = Date.UTC(values['year'] ?? 1970, (values['month'] ?? 1) - 1, values['day'] ?? 1, values['hour'] ?? 0, values['minute'] ?? 0, values['second'] ?? 0) / 1000;
  return asUtc - Math.floor(epochSeconds);
};

/** The instant (epoch seconds) of a wall-clock `date` + minutes after midnight in a time zone (DST-safe). */
export const instantOf = (date: string, minutes: number, timeZone: string): number => {
  const [y, mo, d] = parts(date);
  const wall = Date.UTC(y, mo - 1, d) / 1000 + minutes * 60;
  let t = wall - offsetSeconds(wall, timeZone);
  const again = wall - offsetSeconds(t, timeZone);
  if (again !== t) t = again;
  return t;
};

/** Today's date in a time zone. */
export const todayIn = (timeZone: string, now: Date = new Date()): string => localOf(now.getTime() / 1000, timeZone).date;

/**
 * Opening intervals of an account on a date, in minutes after midnight: a dated exception wins over
 * the week; an account with no hours at all (empty week, no exception that day) counts as open all day
 * (hours unknown), an account with some weekdays filled is closed on the others.
 */
export const openingMinutes = (hours: OpeningHours, date: string): [number, number][] => {
  const exception = hours.exceptions.find((e) => e.date === date);
  if (exception) return exception.intervals.map((i) => [minutesOf(i.from), minutesOf(i.to)]);
  const weekly = hours.weekly as Record<string, readonly { from: string; to: string }[] | undefined>;
  const known = Object.values(weekly).some((v) => v !== undefined && v.length > 0);
  if (!known) return [[0, 24 * 60]];
  return (weekly[String(isoWeekday(date))] ?? []).map((i) => [minutesOf(i.from), minutesOf(i.to)]);
};

export const describeOpening = (hours: OpeningHours, date: string): string => {
  const spans = openingMinutes(hours, date);
  if (spans.length === 0) return 'closed all day';
  const hm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  return `open ${spans.map(([a, b]) => `${hm(a)}–${hm(b)}`).join(', ')}`;
};

export interface VisitTiming {
  readonly appointmentAt: Date | null;
  readonly windowFrom: string | null;
  readonly windowTo: string | null;
  readonly timeFrom: string | null;
  readonly timeTo: string | null;
  readonly openingHours: OpeningHours;
  readonly serviceSeconds: number;
}

/**
 * When the visit may START on `date` (epoch-second spans): the account's opening intervals, cut by
 * the visit's time-of-day window, each ending `service` before closing (the visit ends while open).
 * Empty when the date is outside the visit's window of dates. Appointments are handled by the caller.
 */
export const startSpans = (v: VisitTiming, date: string, timeZone: string): Span[] => {
  if (v.windowFrom !== null && date < v.windowFrom) return [];
  if (v.windowTo !== null && date > v.windowTo) return [];
  const lo = v.timeFrom === null ? 0 : minutesOf(v.timeFrom);
  const hi = v.timeTo === null ? 24 * 60 : minutesOf(v.timeTo);
  const spans: Span[] = [];
  for (const [a, b] of openingMinutes(v.openingHours, date)) {
    const from = Math.max(a, lo);
    const to = Math.min(b, hi);
    if (to <= from) continue;
    const start = instantOf(date, from, timeZone);
    const latest = instantOf(date, to, timeZone) - v.serviceSeconds;
    if (latest >= start) spans.push([start, latest]);
  }
  return spans;
};

/** Whether a visit of `serviceSeconds` starting at `at` lies inside the account's opening hours. */
export const openAt = (hours: OpeningHours, at: number, serviceSeconds: number, timeZone: string): boolean => {
  const { date } = localOf(at, timeZone);
  return openingMinutes(hours, date).some(([a, b]) => at >= instantOf(date, a, timeZone) && at + serviceSeconds <= instantOf(date, b, timeZone));
};
