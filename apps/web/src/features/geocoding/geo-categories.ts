import { canEditAnyAccount, GEO_PRECISIONS, type GeoPrecision, type Role } from '@geocrm/domain';
import type { GeoQualityDto, RegeocodeResult } from '../../api/types.ts';
import { PRECISION_LABELS } from '../accounts/account-labels.ts';

/** Automatic placements scored below this are "low score". */
export const LOW_SCORE = 0.7;

/** The quick filters of the geocoding screen; the chosen one lives in the URL (`?category=`). */
export const GEO_CATEGORIES = ['unplaced', 'low-score', 'coarse', 'manual'] as const;
export type GeoCategory = (typeof GEO_CATEGORIES)[number];

/** Precisions too coarse to visit: the pin sits at a postcode, département / region or country centre. */
export const COARSE_PRECISIONS: readonly GeoPrecision[] = ['postcode', 'region', 'country'];

interface CategoryInfo {
  readonly label: string;
  readonly description: string;
  /** Extra filters for `/accounts` and `/accounts/map`. */
  readonly params: Readonly<Record<string, string>>;
  readonly empty: string;
}

export const CATEGORY_INFO: Record<GeoCategory, CategoryInfo> = {
  unplaced: {
    label: 'Without location',
    description: 'The geocoder found no confident place for these addresses: fix the address and geocode again, or place the pin by hand.',
    params: { geoPrecision: 'none' },
    empty: 'Every account has a location.',
  },
  'low-score': {
    label: `Low score (< ${LOW_SCORE})`,
    description: `Placed automatically with a score below ${LOW_SCORE}: the address was read with doubts (typo, homonym, postcode mismatch).`,
    params: { geoScoreBelow: String(LOW_SCORE) },
    empty: `No automatic placement scored below ${LOW_SCORE}.`,
  },
  coarse: {
    label: 'Postcode / region precision',
    description: 'The pin sits at the centre of a postcode, a département or region (or the country): too coarse to plan visits.',
    params: { geoPrecision: COARSE_PRECISIONS.join(',') },
    empty: 'No account is placed at postcode, region or country level.',
  },
  manual: {
    label: 'Placed by hand',
    description: 'Pins placed or moved by hand: automatic geocoding never moves them ("Geocode again" skips them).',
    params: { geoManual: 'true' },
    empty: 'No pin has been placed by hand yet.',
  },
};

const isCategory = (value: string | null): value is GeoCategory => value !== null && (GEO_CATEGORIES as readonly string[]).includes(value);

/**
 * The category in the URL; without one, the first category that has accounts (once the counts are known),
 * so that the screen opens on something to fix.
 */
export const readCategory = (search: URLSearchParams, quality?: GeoQualityDto): GeoCategory => {
  const value = search.get('category');
  if (isCategory(value)) return value;
  return (quality && GEO_CATEGORIES.find((c) => categoryCount(quality, c) > 0)) ?? 'unplaced';
};

/** The number of accounts in a category, from the quality counts. */
export const categoryCount = (quality: GeoQualityDto, category: GeoCategory): number => {
  switch (category) {
    case 'unplaced':
      return quality.withoutLocation;
    case 'low-score':
      return quality.scoreBuckets.find((b) => b.below === LOW_SCORE)?.count ?? 0;
    case 'coarse':
      return quality.byPrecision.filter((p) => (COARSE_PRECISIONS as readonly string[]).includes(p.precision)).reduce((sum, p) => sum + p.count, 0);
    case 'manual':
      return quality.manual;
  }
};

export interface Headline {
  readonly total: number;
  readonly placed: number;
  readonly withoutLocation: number;
  readonly manual: number;
  readonly lowScore: number;
}

export const headline = (quality: GeoQualityDto): Headline => ({
  total: quality.total,
  placed: quality.total - quality.withoutLocation,
  withoutLocation: quality.withoutLocation,
  manual: quality.manual,
  lowScore: categoryCount(quality, 'low-score'),
});

export type PrecisionTone = 'good' | 'fair' | 'coarse' | 'none';

export interface PrecisionBar {
  readonly precision: GeoPrecision | 'none';
  readonly label: string;
  readonly count: number;
  /** Share of all accounts, 0..1. */
  readonly share: number;
  readonly tone: PrecisionTone;
}

const toneOf = (precision: GeoPrecision | 'none'): PrecisionTone => {
  if (precision === 'none') return 'none';
  if (precision === 'housenumber' || precision === 'street') return 'good';
  if (precision === 'locality' || precision === 'municipality') return 'fair';
  return 'coarse';
};

/** One bar per precision, finest first, then "no location"; precisions the server does not know are left out. */
export const precisionBars = (quality: GeoQualityDto): PrecisionBar[] => {
  const counts = new Map(quality.byPrecision.map((p) => [p.precision, p.count]));
  return [...GEO_PRECISIONS, 'none' as const].map((precision) => {
    const count = counts.get(precision) ?? 0;
    return {
      precision,
      label: precision === 'none' ? 'No location' : PRECISION_LABELS[precision],
      count,
      share: quality.total > 0 ? count / quality.total : 0,
      tone: toneOf(precision),
    };
  });
};

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

/** What "Geocode again" did, in one sentence. */
export const resultMessage = (result: RegeocodeResult): string => {
  const parts = [`${plural(result.placed, 'account', 'accounts')} placed`, `${result.unplaced} without a confident place`];
  if (result.skippedManual > 0) parts.push(`${plural(result.skippedManual, 'pin', 'pins')} placed by hand kept`);
  if (result.skipped > 0) parts.push(`${result.skipped} skipped (not yours to change or no longer there)`);
  return `${parts.join(', ')}.`;
};

/** Managers, admins and back office act on any account; field roles only on the accounts they own (the server enforces it too). */
export const canGeocode = (user: { readonly id: string; readonly role: Role }, ownerId: string | null): boolean =>
  canEditAnyAccount(user.role) || ownerId === user.id;

/** The quick filter that lists the accounts of a precision bar, if there is one. */
export const categoryOfPrecision = (precision: GeoPrecision | 'none'): GeoCategory | null => {
  if (precision === 'none') return 'unplaced';
  return COARSE_PRECISIONS.includes(precision) ? 'coarse' : null;
};
