export const ACCOUNT_KINDS = [
  'client',
  'prospect',
  'supplier',
  'partner',
  'subcontractor',
  'equipment',
  'competitor',
  'job_site',
] as const;
export type AccountKind = (typeof ACCOUNT_KINDS)[number];

export const ACCOUNT_STATUSES = ['active', 'inactive', 'lead', 'lost', 'archived'] as const;
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];

/** How precise a geocoded location is, finest first. */
export const GEO_PRECISIONS = ['housenumber', 'street', 'locality', 'municipality', 'postcode', 'region', 'country'] as const;
export type GeoPrecision = (typeof GEO_PRECISIONS)[number];

export const GEO_SOURCES = ['manual', 'gazetteer', 'address_points', 'nominatim', 'photon', 'ban', 'pelias', 'import', 'demo'] as const;
export type GeoSource = (typeof GEO_SOURCES)[number];

/** ISO weekdays: 1 = Monday … 7 = Sunday. */
export const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Opening hours: per ISO weekday, a list of `HH:MM` intervals; exceptions by date override a weekday. */
export interface OpeningHours {
  readonly weekly: Partial<Record<`${Weekday}`, readonly TimeInterval[]>>;
  readonly exceptions: readonly OpeningException[];
}
export interface TimeInterval {
  readonly from: string;
  readonly to: string;
}
export interface OpeningException {
  /** ISO date `YYYY-MM-DD`. */
  readonly date: string;
  /** Empty means closed all day. */
  readonly intervals: readonly TimeInterval[];
  readonly note?: string;
}
