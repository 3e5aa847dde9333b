/** Dates and times for people, in the organisation's time zone and language. */
export type Locale = 'fr' | 'en';

const intlLocale = (locale: Locale): string => (locale === 'fr' ? 'fr-FR' : 'en-GB');

/** `09:05` in the zone. */
export const hhmm = (at: Date, timeZone: string): string =>
  new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);

/** `lundi 30 novembre 2026` / `Monday 30 November 2026` for a `YYYY-MM-DD` day. */
export const longDate = (date: string, locale: Locale): string =>
  new Intl.DateTimeFormat(intlLocale(locale), { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(new Date(`${date}T12:00:00Z`));

export const km = (metres: number, locale: Locale): string =>
  `${new Intl.NumberFormat(intlLocale(locale), { maximumFractionDigits: 1 }).format(metres / 1000)} km`;

export const duration = (seconds: number): string => {
  const minutes = Math.round(seconds / 60);
  return minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')}`;
};

/** Replaces `{{name}}` by the value (unknown names are left visible, so a typo in a template shows). */
export const fill = (template: string, values: Readonly<Record<string, string>>): string =>
  template.replaceAll(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) => values[name] ?? whole);
