import type { RepProfileDto, UpdateRepProfileBody } from './tours-types.ts';

/** The rep profile as the form edits it: money in currency units, driving in hours, hours per weekday. */
export interface ProfileForm {
  readonly home: RepProfileDto['home'];
  readonly office: RepProfileDto['office'];
  readonly startAt: 'home' | 'office';
  /** ISO weekday "1"…"7" → worked hours, or null when the day is not worked. */
  readonly days: Readonly<Record<string, { from: string; to: string } | null>>;
  readonly lunchFrom: string;
  readonly lunchTo: string;
  readonly lunchMinutes: string;
  /** Empty: no limit. */
  readonly maxDrivingHours: string;
  readonly costPerKm: string;
  readonly hotelNight: string;
  readonly meal: string;
  readonly currency: string;
  readonly skills: readonly string[];
}

export const WEEKDAYS = ['1', '2', '3', '4', '5', '6', '7'] as const;

const units = (cents: number): string => (cents / 100).toFixed(2);
const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

export const formOfProfile = (p: RepProfileDto): ProfileForm => ({
  home: p.home,
  office: p.office,
  startAt: p.startAt,
  days: Object.fromEntries(WEEKDAYS.map((d) => [d, p.workingHours[d] ?? null])),
  lunchFrom: p.lunch.from,
  lunchTo: p.lunch.to,
  lunchMinutes: String(p.lunch.minutes),
  maxDrivingHours: p.maxDailyDrivingMinutes === null ? '' : String(Math.round((p.maxDailyDrivingMinutes / 60) * 100) / 100),
  costPerKm: units(p.costPerKmCents),
  hotelNight: units(p.hotelNightCents),
  meal: units(p.mealCents),
  currency: p.currency,
  skills: p.skills,
});

const cents = (text: string): number | null => {
  const n = Number(text.replace(',', '.'));
  return text.trim() !== '' && Number.isFinite(n) && n >= 0 ? Math.round(n * 100) : null;
};

/** The PATCH body of a form, or the errors by field (the server checks again). */
export const bodyOfForm = (f: ProfileForm): { body: UpdateRepProfileBody; errors: Record<string, string> } => {
  const errors: Record<string, string> = {};
  const workingHours: Record<string, { from: string; to: string }> = {};
  for (const d of WEEKDAYS) {
    const h = f.days[d];
    if (!h) continue;
    if (minutesOf(h.from) >= minutesOf(h.to)) errors[`day${d}`] = 'The day must start before it ends';
    workingHours[d] = { from: h.from, to: h.to };
  }
  const lunchMinutes = Number(f.lunchMinutes);
  if (!Number.isInteger(lunchMinutes) || lunchMinutes < 0 || lunchMinutes > 240) errors['lunch'] = 'Lunch lasts 0 to 240 minutes';
  else if (minutesOf(f.lunchTo) - minutesOf(f.lunchFrom) < lunchMinutes) errors['lunch'] = `${String(lunchMinutes)} min do not fit between ${f.lunchFrom} and ${f.lunchTo}`;
  let maxDailyDrivingMinutes: number | null = null;
  if (f.maxDrivingHours.trim() !== '') {
    const hours = Number(f.maxDrivingHours.replace(',', '.'));
    if (!Number.isFinite(hours) || hours <= 0 || hours > 24) errors['maxDriving'] = 'Between 0 and 24 hours (empty: no limit)';
    else maxDailyDrivingMinutes = Math.round(hours * 60);
  }
  const costPerKmCents = cents(f.costPerKm);
  const hotelNightCents = cents(f.hotelNight);
  const mealCents = cents(f.meal);
  if (costPerKmCents === null) errors['costPerKm'] = 'An amount, 0 or more';
  if (hotelNightCents === null) errors['hotelNight'] = 'An amount, 0 or more';
  if (mealCents === null) errors['meal'] = 'An amount, 0 or more';
  if (!/^[A-Z]{3}$/.test(f.currency)) errors['currency'] = 'A three-letter code, e.g. EUR';
  if (f.startAt === 'office' && !f.office) errors['office'] = 'Days start at the office: set the office';
  return {
    errors,
    body: {
      home: f.home,
      office: f.office,
      startAt: f.startAt,
      workingHours,
      lunch: { from: f.lunchFrom, to: f.lunchTo, minutes: Number.isInteger(lunchMinutes) ? lunchMinutes : 0 },
      maxDailyDrivingMinutes,
      costPerKmCents: costPerKmCents ?? 0,
      hotelNightCents: hotelNightCents ?? 0,
      mealCents: mealCents ?? 0,
      currency: f.currency,
      skills: [...f.skills],
    },
  };
};
