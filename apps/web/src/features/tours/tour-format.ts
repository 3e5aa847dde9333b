/** One colour per day of a tour (up to 5 days), distinct on the light base map and for most colour-blind readers. */
export const DAY_COLOURS = ['#2563eb', '#d97706', '#059669', '#c026d3', '#dc2626'] as const;
export const dayColour = (index: number): string => DAY_COLOURS[index % DAY_COLOURS.length] ?? '#2563eb';

const clocks = new Map<string, Intl.DateTimeFormat>();
/** `HH:MM` of an ISO instant in the organisation's time zone. */
export const clock = (iso: string, timeZone: string): string => {
  let f = clocks.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    clocks.set(timeZone, f);
  }
  return f.format(new Date(iso));
};

/** `45 min`, `1 h 05`, `0 min`. */
export const durationText = (seconds: number): string => {
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${String(minutes)} min`;
  return `${String(Math.floor(minutes / 60))} h ${String(minutes % 60).padStart(2, '0')}`;
};

/** `0.9 km` under 10 km, `228 km` above. */
export const kmText = (metres: number): string => {
  const km = metres / 1000;
  return km < 10 ? `${km.toFixed(1)} km` : `${String(Math.round(km))} km`;
};

export const moneyText = (cents: number, currency: string): string =>
  new Intl.NumberFormat('en-GB', { style: 'currency', currency, maximumFractionDigits: 0 }).format(cents / 100);

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const utcOf = (date: string): Date => {
  const m = DATE.exec(date);
  if (!m) throw new RangeError(`Not a date: ${date}`);
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
};

export const addDays = (date: string, days: number): string => {
  const d = utcOf(date);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};

/** ISO weekday, 1 = Monday … 7 = Sunday. */
export const isoWeekday = (date: string): number => utcOf(date).getUTCDay() || 7;

/** The Monday after `date` (a week's tour is planned ahead). */
export const nextMonday = (date: string): string => addDays(date, 8 - isoWeekday(date));

const dayLabels = new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' });
/** `Mon 30 Nov`. */
export const dayLabel = (date: string): string => dayLabels.format(utcOf(date)).replace(',', '');

/** Today's date where the browser is. */
export const localToday = (now: Date = new Date()): string =>
  `${String(now.getFullYear())}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;

export const WEEKDAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;
