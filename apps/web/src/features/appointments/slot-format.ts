/** Times and dates of slots, shown in the organisation's time zone. */
const formatters = new Map<string, Intl.DateTimeFormat>();
const formatter = (timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat => {
  const key = `${timeZone}|${JSON.stringify(options)}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, ...options });
    formatters.set(key, f);
  }
  return f;
};

/** `09:37` */
export const clockOf = (iso: string, timeZone: string): string => formatter(timeZone, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso));

/** `Mon 30 Nov` from `2026-11-30` (a calendar date, no time zone involved). */
export const dayLabel = (date: string): string => new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' }).format(new Date(`${date}T00:00:00Z`));

/** Minutes after local midnight of an instant. */
export const minutesOfDay = (iso: string, timeZone: string): number => {
  const [h, m] = clockOf(iso, timeZone).split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
};

export const signedMinutes = (n: number): string => (n > 0 ? `+${n} min` : `${n} min`);

export const money = (cents: number, currency: string): string => new Intl.NumberFormat('en-GB', { style: 'currency', currency, maximumFractionDigits: 0 }).format(cents / 100);

export const addDays = (date: string, n: number): string => {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
};

/** Today's date in the browser's zone (the server refuses past dates with a message anyway). */
export const todayDate = (now = new Date()): string => `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
