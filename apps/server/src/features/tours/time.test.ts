import { describe, expect, it } from 'vitest';
import type { OpeningHours } from '@geocrm/domain';
import { addDays, describeOpening, instantOf, isoWeekday, localOf, openAt, openingMinutes, startSpans } from './time.ts';
import { scheduleDays, type ScheduleVisit } from './schedule.ts';

const TZ = 'Europe/Paris';
const HOURS: OpeningHours = {
  weekly: { '1': [{ from: '09:00', to: '12:00' }, { from: '14:00', to: '18:00' }], '2': [{ from: '09:00', to: '12:00' }] },
  exceptions: [{ date: '2026-12-28', intervals: [] }],
};

describe('time zone arithmetic', () => {
  it('turns wall-clock times into instants across daylight-saving changes', () => {
    expect(new Date(instantOf('2026-01-12', 9 * 60, TZ) * 1000).toISOString()).toBe('2026-01-12T08:00:00.000Z');
    expect(new Date(instantOf('2026-07-13', 9 * 60, TZ) * 1000).toISOString()).toBe('2026-07-13T07:00:00.000Z');
    // the night clocks go forward (29 March 2026): 09:00 is UTC+2 already
    expect(new Date(instantOf('2026-03-29', 9 * 60, TZ) * 1000).toISOString()).toBe('2026-03-29T07:00:00.000Z');
    expect(localOf(Date.parse('2026-10-25T12:30:00Z') / 1000, TZ)).toEqual({ date: '2026-10-25', time: '13:30', minutes: 13 * 60 + 30 });
    expect(isoWeekday('2026-11-23')).toBe(1);
    expect(isoWeekday('2026-11-29')).toBe(7);
    expect(addDays('2026-12-30', 3)).toBe('2027-01-02');
  });
});

describe('opening hours', () => {
  it('uses the week, a dated exception over it, and treats an account without hours as open', () => {
    expect(openingMinutes(HOURS, '2026-12-07')).toEqual([[540, 720], [840, 1080]]);
    expect(openingMinutes(HOURS, '2026-12-09')).toEqual([]); // a Wednesday: not in the week → closed
    expect(openingMinutes(HOURS, '2026-12-28')).toEqual([]); // a Monday, closed by exception
    expect(openingMinutes({ weekly: {}, exceptions: [] }, '2026-12-09')).toEqual([[0, 1440]]);
    expect(describeOpening(HOURS, '2026-12-07')).toBe('open 09:00–12:00, 14:00–18:00');
  });

  it('gives the start times at which a visit ends before closing, within its time of day', () => {
    const v = { appointmentAt: null, windowFrom: '2026-12-07', windowTo: '2026-12-08', timeFrom: '10:00', timeTo: '15:00', openingHours: HOURS, serviceSeconds: 1800 };
    const spans = startSpans(v, '2026-12-07', TZ).map(([a, b]) => [localOf(a, TZ).time, localOf(b, TZ).time]);
    expect(spans).toEqual([['10:00', '11:30'], ['14:00', '14:30']]);
    expect(startSpans(v, '2026-12-09', TZ)).toEqual([]);
    expect(openAt(HOURS, instantOf('2026-12-07', 11 * 60 + 30, TZ), 1800, TZ)).toBe(true);
    expect(openAt(HOURS, instantOf('2026-12-07', 11 * 60 + 31, TZ), 1800, TZ)).toBe(false);
  });
});

describe('timeline of an order', () => {
  const visit = (id: string, loc: number, extra: Partial<ScheduleVisit> = {}): ScheduleVisit => ({
    id,
    accountId: id,
    accountName: `Account ${id}`,
    visitTypeName: 'Follow-up',
    requiredSkills: [],
    priority: 50,
    loc,
    appointmentAt: null,
    windowFrom: null,
    windowTo: null,
    timeFrom: null,
    timeTo: null,
    openingHours: HOURS,
    serviceSeconds: 3600,
    ...extra,
  });
  // 0 = home; 1 and 2 at 30 min from home and from each other
  const matrix = { durations: [[0, 1800, 1800], [1800, 0, 1800], [1800, 1800, 0]], distances: [[0, 30_000, 30_000], [30_000, 0, 30_000], [30_000, 30_000, 0]] };
  const ctx = {
    timeZone: TZ,
    matrix,
    baseLoc: 0,
    workingHours: { '1': { from: '08:30', to: '18:00' }, '2': { from: '08:30', to: '18:00' } },
    lunch: { from: '12:00', to: '14:00', minutes: 60 },
    maxDailyDrivingSeconds: 3600,
    skills: [],
  };
  const t = (epoch: number) => localOf(epoch, TZ).time;

  it('leaves as late as possible, takes lunch in the wait before an afternoon opening, drives home', () => {
    const [day] = scheduleDays(ctx, [{ date: '2026-12-07', visits: [visit('a', 1, { timeFrom: '10:00', timeTo: '11:00' }), visit('b', 2)], night: 'home' }]);
    expect(day?.stops.map((s) => [t(s.arrival), t(s.start), t(s.end), t(s.departure)])).toEqual([
      ['10:00', '10:00', '11:00', '13:00'],
      ['13:30', '14:00', '15:00', '15:00'],
    ]);
    expect(day && t(day.departure)).toBe('09:30');
    expect(day?.lunch && [t(day.lunch.start), t(day.lunch.end), day.lunch.afterStop]).toEqual(['12:00', '13:00', 1]);
    expect(day && t(day.arrival)).toBe('15:30');
    expect(day?.drivingSeconds).toBe(5400);
    expect(day?.flags.map((f) => f.code)).toEqual(['over_daily_driving']);
  });

  it('takes lunch on arrival while waiting for an opening when lunch before the drive would be late', () => {
    // b opens 13:00–13:45 for a 30 min visit; lunch must start by 12:30. Lunch before the drive
    // (12:00–13:00) reaches b at 13:30, too late; driving first and lunching there (12:00–13:00) is on time.
    const tight = { ...ctx, lunch: { from: '12:00', to: '13:30', minutes: 60 } };
    const bHours: OpeningHours = { weekly: { '1': [{ from: '13:00', to: '13:45' }] }, exceptions: [] };
    const [day] = scheduleDays(tight, [{ date: '2026-12-07', visits: [visit('a', 1, { timeFrom: '10:30', timeTo: '11:30' }), visit('b', 2, { openingHours: bHours, serviceSeconds: 1800 })], night: 'home' }]);
    expect(day?.stops.map((s) => [t(s.arrival), t(s.start), t(s.end), t(s.departure), s.waitSeconds])).toEqual([
      ['10:30', '10:30', '11:30', '11:30', 0],
      ['12:00', '13:00', '13:30', '13:30', 0],
    ]);
    expect(day?.lunch && [t(day.lunch.start), t(day.lunch.end), day.lunch.afterStop]).toEqual(['12:00', '13:00', 1]);
    expect(day?.stops.flatMap((s) => s.flags)).toEqual([]);
  });

  it('flags a closed account and a missed appointment instead of refusing the order', () => {
    const appointment = new Date(instantOf('2026-12-08', 9 * 60, TZ) * 1000);
    const [mon, tue] = scheduleDays(ctx, [
      { date: '2026-12-07', visits: [visit('a', 1, { openingHours: { weekly: { '3': [{ from: '09:00', to: '12:00' }] }, exceptions: [] } })], night: 'hotel' },
      { date: '2026-12-08', visits: [visit('b', 2), visit('c', 1, { appointmentAt: appointment })], night: 'home' },
    ]);
    expect(mon?.stops[0]?.flags.map((f) => f.code)).toEqual(['closed_at_arrival']);
    expect(mon?.night).toBe('hotel');
    expect(tue?.startsAt).toBe('hotel');
    expect(tue?.stops[1]?.flags.map((f) => f.code)).toEqual(['late_for_appointment']);
    expect(tue?.stops[1]?.flags[0]?.message).toMatch(/after the appointment at 09:00/);
  });

  it('flags an appointment the account is no longer open for', () => {
    const appointment = new Date(instantOf('2026-12-07', 17 * 60 + 30, TZ) * 1000); // ends 18:30, after closing
    const [day] = scheduleDays(ctx, [{ date: '2026-12-07', visits: [visit('a', 1, { appointmentAt: appointment })], night: 'home' }]);
    expect(day?.stops[0]?.flags.map((f) => f.code)).toEqual(['closed_at_arrival']);
    expect(day?.stops[0]?.flags[0]?.message).toMatch(/outside its opening hours: open 09:00–12:00, 14:00–18:00/);
  });
});
