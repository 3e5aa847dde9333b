import type { AccountKind } from '@geocrm/domain';
import { addDays, instantOf, isoWeekday, openingMinutes } from '../tours/time.ts';
import { seededRandom, type DemoData } from './demo-data.ts';

/** The demo's visit types: what a rep of a kitchen-equipment firm does all day. */
export const DEMO_VISIT_TYPES = [
  { key: 'prospecting', name: 'Prospection', durationMinutes: 45, requiredSkills: [] as string[], defaultPriority: 40 },
  { key: 'follow-up', name: 'Suivi client', durationMinutes: 30, requiredSkills: [] as string[], defaultPriority: 60 },
  { key: 'maintenance', name: 'Maintenance four', durationMinutes: 90, requiredSkills: ['maintenance-fours'], defaultPriority: 70 },
] as const;
export type DemoVisitTypeKey = (typeof DEMO_VISIT_TYPES)[number]['key'];
export const MAINTENANCE_SKILL = 'maintenance-fours';

/** A rep profile of the demo: hours, lunch, limits, costs (cents, EUR) and skills. */
export interface DemoProfile {
  readonly userKey: string;
  readonly workingHours: Record<string, { from: string; to: string }>;
  readonly lunch: { from: string; to: string; minutes: number };
  readonly maxDailyDrivingMinutes: number;
  readonly costPerKmCents: number;
  readonly hotelNightCents: number;
  readonly mealCents: number;
  readonly skills: readonly string[];
}

export interface DemoVisit {
  readonly accountIndex: number;
  readonly userKey: string;
  readonly type: DemoVisitTypeKey;
  /** A booked appointment (epoch seconds, inside the account's opening hours)… */
  readonly appointmentAt: number | null;
  /** …or a window of dates, with an optional time of day. */
  readonly window: { readonly from: string; readonly to: string } | null;
  readonly timeOfDay: { readonly from: string; readonly to: string } | null;
  readonly priority: number;
  readonly notes: string;
}

export const DEMO_VISITS_PER_REP = 60;
/** Open visits are spread over the 14 days after the seed's day. */
export const DEMO_VISIT_HORIZON_DAYS = 14;

const WEEK = (from: string, to: string, friday: string) =>
  Object.fromEntries(['1', '2', '3', '4', '5'].map((d) => [d, { from, to: d === '5' ? friday : to }]));

/** The profiles of the demo's field people: every other rep (and the technician) services ovens. */
export const demoProfiles = (data: DemoData): DemoProfile[] =>
  data.users
    .filter((u) => u.role === 'rep' || u.role === 'technician')
    .map((u, i) => ({
      userKey: u.key,
      workingHours: u.role === 'technician' ? WEEK('08:00', '17:30', '16:30') : WEEK('08:30', '18:30', '17:30'),
      lunch: { from: '12:00', to: '14:00', minutes: 45 },
      maxDailyDrivingMinutes: 300,
      costPerKmCents: 32,
      hotelNightCents: 9_500,
      mealCents: 2_000,
      skills: u.role === 'technician' || i % 2 === 1 ? [MAINTENANCE_SKILL, 'froid'] : ['vente'],
    }));

const VISITED_KINDS: ReadonlySet<AccountKind> = new Set(['client', 'prospect', 'equipment', 'partner', 'supplier', 'subcontractor', 'job_site']);

/**
 * About 60 open visits per rep (30 for the technician) over the two weeks after `today`, on the
 * accounts they own: prospecting for prospects, follow-ups for clients and partners, oven maintenance for
 * equipment when they have the skill. One in eight is a booked appointment inside the account's
 * opening hours (and the working day); the rest have a window of 3 to 10 days, a few a time of day.
 * Pure: the same data, day and time zone give the same visits.
 */
export const generateDemoVisits = (data: DemoData, today: string, timeZone: string, options: { seed?: number; perRep?: number } = {}): DemoVisit[] => {
  const rand = seededRandom(options.seed ?? 20_261_124);
  const perRep = options.perRep ?? DEMO_VISITS_PER_REP;
  const profiles = new Map(demoProfiles(data).map((p) => [p.userKey, p]));
  const visits: DemoVisit[] = [];
  const used = new Set<number>();
  for (const user of data.users) {
    const profile = profiles.get(user.key);
    if (!profile) continue;
    const maintains = profile.skills.includes(MAINTENANCE_SKILL);
    const owned = data.accounts
      .map((a, index) => ({ a, index }))
      .filter(({ a, index }) => a.ownerKey === user.key && !used.has(index) && VISITED_KINDS.has(a.kind) && (a.status === 'active' || a.status === 'lead') && (maintains || a.kind !== 'equipment'));
    // A deterministic shuffle, then the first N: each visit on a different account.
    for (let i = owned.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      const t = owned[i];
      const o = owned[j];
      if (t === undefined || o === undefined) continue;
      owned[i] = o;
      owned[j] = t;
    }
    const count = user.role === 'technician' ? Math.round(perRep / 2) : perRep;
    // A rep with few accounts covers the nearest ones nobody visits yet (a neighbour's, or no one's).
    const home = user.home;
    if (owned.length < count && home) {
      const taken = new Set(owned.map((o) => o.index));
      const near = data.accounts
        .map((a, index) => ({ a, index, d: (a.location.lng - home.lng) ** 2 * Math.cos((home.lat * Math.PI) / 180) ** 2 + (a.location.lat - home.lat) ** 2 }))
        .filter(({ a, index }) => !taken.has(index) && !used.has(index) && (a.kind === 'client' || a.kind === 'prospect') && (a.status === 'active' || a.status === 'lead'))
        .sort((x, y) => x.d - y.d || x.index - y.index);
      owned.push(...near.slice(0, count - owned.length));
    }
    for (const { a, index } of owned.slice(0, count)) {
      used.add(index);
      const type: DemoVisitTypeKey = a.kind === 'equipment' ? 'maintenance' : a.kind === 'prospect' ? 'prospecting' : 'follow-up';
      const spec = DEMO_VISIT_TYPES.find((t) => t.key === type);
      const duration = spec?.durationMinutes ?? 45;
      const priority = Math.max(0, Math.min(100, (spec?.defaultPriority ?? 50) + Math.round((rand() - 0.5) * 30)));
      const appointment = rand() < 0.125 ? bookAppointment(rand, a.openingHours, profile, today, timeZone, duration) : null;
      if (appointment !== null) {
        visits.push({ accountIndex: index, userKey: user.key, type, appointmentAt: appointment, window: null, timeOfDay: null, priority: Math.max(priority, 80), notes: 'Rendez-vous confirmé par téléphone.' });
        continue;
      }
      const start = 1 + Math.floor(rand() * (DEMO_VISIT_HORIZON_DAYS - 3));
      const length = 3 + Math.floor(rand() * 8);
      const window = { from: addDays(today, start), to: addDays(today, Math.min(DEMO_VISIT_HORIZON_DAYS, start + length)) };
      const timeOfDay = rand() < 0.1 ? (rand() < 0.5 ? { from: '08:30', to: '12:00' } : { from: '14:00', to: '18:00' }) : null;
      visits.push({ accountIndex: index, userKey: user.key, type, appointmentAt: null, window, timeOfDay, priority, notes: '' });
    }
  }
  return visits;
};

/** A start on a working weekday of the coming two weeks, on the quarter hour, inside the account's hours and the rep's day; null when none fits. */
const bookAppointment = (rand: () => number, hours: DemoData['accounts'][number]['openingHours'], profile: DemoProfile, today: string, timeZone: string, duration: number): number | null => {
  const first = 1 + Math.floor(rand() * (DEMO_VISIT_HORIZON_DAYS - 1));
  for (let k = 0; k < DEMO_VISIT_HORIZON_DAYS; k++) {
    const date = addDays(today, 1 + ((first - 1 + k) % (DEMO_VISIT_HORIZON_DAYS - 1)));
    const work = profile.workingHours[String(isoWeekday(date))];
    if (!work) continue;
    const [wFrom, wTo] = [work.from, work.to].map((t) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5)));
    // An hour after the rep's day starts (time to drive there), over an hour before it ends.
    const spans = openingMinutes(hours, date)
      .map(([a, b]): [number, number] => [Math.max(a, (wFrom ?? 0) + 60), Math.min(b, (wTo ?? 0) - 60) - duration])
      .filter(([a, b]) => b >= a);
    if (spans.length === 0) continue;
    const [a, b] = spans[Math.floor(rand() * spans.length)] ?? [0, 0];
    const lo = Math.ceil(a / 15) * 15;
    const hi = Math.floor(b / 15) * 15;
    if (hi < lo) continue;
    return instantOf(date, lo + 15 * Math.floor(rand() * ((hi - lo) / 15 + 1)), timeZone);
  }
  return null;
};
