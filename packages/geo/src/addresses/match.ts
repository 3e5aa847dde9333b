import { normalizeStreet, parseAddress, type GeocodeFields } from '../geocode.ts';
import { normalizePlaceName } from '../normalize.ts';
import { departementOfPostcode, frenchContext } from '../providers/common.ts';
import type { ProviderGeocodeFeature } from '../providers/types.ts';
import { keySimilarity, normalizeStreetKey, streetComparer } from './street-key.ts';
import type { AddressPoint } from './types.ts';

/** An address as matching needs it. */
export interface ParsedStreetAddress {
  /** Digits of the house number ('18'). */
  readonly number?: string;
  /** Its suffix, lower case, b / t / q read as bis / ter / quater ('bis'). */
  readonly suffix?: string;
  /** normalizeStreetKey of the street ('' when the input names no street). */
  readonly streetKey: string;
  /** The street as parsed, for labels ('Rue Roger Salengro'). */
  readonly street?: string;
  readonly postcode?: string;
  /** normalizePlaceName of the city. */
  readonly cityKey?: string;
}

const SUFFIXES: Readonly<Record<string, string>> = { b: 'bis', t: 'ter', q: 'quater' };
const canonicalSuffix = (s: string | undefined): string | undefined => {
  const lower = s?.trim().toLowerCase();
  return lower ? SUFFIXES[lower] ?? lower : undefined;
};
const NUMBER = /^\s*(\d{1,6})\s*([a-z]+)?/i;

/** '18 bis' → { number: '18', suffix: 'bis' }. */
export const splitHouseNumber = (text: string): { readonly number?: string; readonly suffix?: string } => {
  const m = NUMBER.exec(text);
  if (!m) return {};
  const suffix = canonicalSuffix(m[2]);
  return { number: String(Number(m[1])), ...(suffix ? { suffix } : {}) };
};

/**
 * Reads an address for matching against address points, with the offline geocoder's parser
 * (postcode, CEDEX and boxes removed, house number, street, city).
 * @example parseStreetAddress('18 bis, rue Roger-Salengro 59217 Cattenières')
 * // { number: '18', suffix: 'bis', streetKey: 'rue roger salengro', street: 'Rue Roger Salengro', postcode: '59217', cityKey: 'cattenieres' }
 */
export const parseStreetAddress = (input: string | GeocodeFields): ParsedStreetAddress => {
  const parsed = parseAddress(input);
  const house = parsed.housenumber ? splitHouseNumber(parsed.housenumber) : {};
  const cityKey = parsed.city ? normalizePlaceName(parsed.city) : '';
  return {
    ...house,
    streetKey: parsed.street ? normalizeStreetKey(parsed.street) : '',
    ...(parsed.street ? { street: parsed.street } : {}),
    ...(parsed.postcode ? { postcode: parsed.postcode } : {}),
    ...(cityKey ? { cityKey } : {}),
  };
};

export type AddressMatchMethod = 'exact' | 'suffix' | 'interpolated' | 'nearest' | 'street';

export interface AddressMatch {
  /** 'housenumber' when the number was found, else 'street'. */
  readonly precision: 'housenumber' | 'street';
  /** Confidence in [0, 1]: street similarity × locality agreement × method factor. */
  readonly score: number;
  /**
   * exact: the number (and suffix); suffix: the number with another or no suffix; interpolated:
   * between the two nearest numbers of the same side; nearest: the nearest number of the street;
   * street: no number asked (or none on the street), the street's middle point.
   */
  readonly method: AddressMatchMethod;
  readonly lng: number;
  readonly lat: number;
  /** The number at that position (the asked one when interpolated; absent for 'street'). */
  readonly number?: string;
  readonly street: string;
  readonly postcode: string;
  readonly city: string;
  readonly cityInsee?: string;
  readonly streetKey: string;
  readonly streetSimilarity: number;
  /** The address point used (absent when interpolated). */
  readonly point?: AddressPoint;
}

export interface MatchAddressOptions {
  /** Default 5. */
  readonly limit?: number;
  /** Street keys less similar than this are not candidates. Default 0.75. */
  readonly minStreetSimilarity?: number;
}

// Interpolated on the right street beats an exact number on a street of another type (× 0.75).
const METHOD_FACTOR: Readonly<Record<AddressMatchMethod, number>> = { exact: 1, suffix: 0.95, interpolated: 0.85, nearest: 0.7, street: 1 };
// A number asked for but none on the street: its middle point, as a guess.
const STREET_FALLBACK_FACTOR = 0.6;
const CITY_SIMILARITY = 0.8;

/** How well a candidate's commune agrees with the query's postcode and city (0 = not the place). */
const localityFactor = (q: ParsedStreetAddress, p: AddressPoint): number => {
  const cityOk = q.cityKey !== undefined && (p.cityKey === q.cityKey || p.oldCityKey === q.cityKey || keySimilarity(p.cityKey, q.cityKey) >= CITY_SIMILARITY);
  const postcodeOk = q.postcode !== undefined && p.postcode === q.postcode;
  if (q.postcode !== undefined && q.cityKey !== undefined) return postcodeOk && cityOk ? 1 : postcodeOk ? 0.9 : cityOk ? 0.85 : 0;
  if (q.postcode !== undefined) return postcodeOk ? 1 : 0;
  if (q.cityKey !== undefined) return cityOk ? 0.95 : 0;
  // No place in the query: the caller chose the candidates.
  return 0.8;
};

const round = (x: number): number => Math.round(Math.min(1, Math.max(0, x)) * 1000) / 1000;
const numberOf = (p: AddressPoint): number => Number(/^\d+/.exec(p.number)?.[0] ?? Number.NaN);

/** The point nearest the mean of a street's points: on the street, near its middle. */
const middlePoint = (points: readonly AddressPoint[]): AddressPoint | undefined => {
  const lng = points.reduce((s, p) => s + p.lng, 0) / points.length;
  const lat = points.reduce((s, p) => s + p.lat, 0) / points.length;
  let best: AddressPoint | undefined;
  let bestD = Number.POSITIVE_INFINITY;
  for (const p of points) {
    const d = (p.lng - lng) ** 2 + (p.lat - lat) ** 2;
    if (d < bestD) {
      bestD = d;
      best = p;
    }
  }
  return best;
};

type Located = Pick<AddressMatch, 'method' | 'lng' | 'lat'> & { readonly number?: string; readonly point?: AddressPoint; readonly factor: number };

const locateNumber = (q: ParsedStreetAddress & { readonly number: string }, points: readonly AddressPoint[]): Located | undefined => {
  const n = Number(q.number);
  const same = points.filter((p) => numberOf(p) === n);
  const exact = same.find((p) => canonicalSuffix(p.number.replace(/^\d+\s*/, '')) === q.suffix);
  if (exact) return { method: 'exact', lng: exact.lng, lat: exact.lat, number: exact.number, point: exact, factor: METHOD_FACTOR.exact };
  // '18' asked, only '18 bis' known (or the reverse): prefer the plain number.
  const plain = same.find((p) => /^\d+$/.test(p.number)) ?? same[0];
  if (plain) return { method: 'suffix', lng: plain.lng, lat: plain.lat, number: plain.number, point: plain, factor: METHOD_FACTOR.suffix };
  const numbered = points.filter((p) => Number.isFinite(numberOf(p)));
  if (numbered.length === 0) return undefined;
  // French numbering: odd numbers on one side, even on the other.
  const side = numbered.filter((p) => numberOf(p) % 2 === n % 2);
  const pool = side.length > 0 ? side : numbered;
  let below: AddressPoint | undefined;
  let above: AddressPoint | undefined;
  for (const p of pool) {
    const m = numberOf(p);
    if (m < n && (!below || m > numberOf(below))) below = p;
    if (m > n && (!above || m < numberOf(above))) above = p;
  }
  if (below && above) {
    const t = (n - numberOf(below)) / (numberOf(above) - numberOf(below));
    return {
      method: 'interpolated',
      lng: Math.round((below.lng + t * (above.lng - below.lng)) * 1e6) / 1e6,
      lat: Math.round((below.lat + t * (above.lat - below.lat)) * 1e6) / 1e6,
      number: q.suffix ? `${q.number} ${q.suffix}` : q.number,
      factor: METHOD_FACTOR.interpolated,
    };
  }
  const nearest = below ?? above;
  return nearest ? { method: 'nearest', lng: nearest.lng, lat: nearest.lat, number: nearest.number, point: nearest, factor: METHOD_FACTOR.nearest } : undefined;
};

/**
 * Finds an address among address points (e.g. those of its commune, read from the database):
 * candidates are grouped by street; streets similar enough to the query's (typos, abbreviations,
 * missing articles tolerated) are located at the house number — precision 'housenumber' when it
 * exists, else 'street' at a number interpolated between its neighbours on the same side, the
 * nearest number, or the street's middle. Best first.
 * @example matchAddressPoints('18 rue Roger Salengro 59217 Cattenières', points)[0]?.precision // 'housenumber'
 */
export const matchAddressPoints = (
  query: string | GeocodeFields | ParsedStreetAddress,
  candidates: readonly AddressPoint[],
  options: MatchAddressOptions = {},
): AddressMatch[] => {
  const q = typeof query === 'string' || !('streetKey' in query) ? parseStreetAddress(query) : query;
  const minSimilarity = options.minStreetSimilarity ?? 0.75;
  if (q.streetKey === '') return [];
  // Group by street key first (one comparison per street), keeping only the query's places.
  const byStreet = new Map<string, AddressPoint[]>();
  const localities = new Map<string, number>();
  let last: AddressPoint | undefined;
  let lastLocality = 0;
  for (const p of candidates) {
    let locality: number;
    if (last && p.postcode === last.postcode && p.cityKey === last.cityKey && p.oldCityKey === last.oldCityKey) locality = lastLocality;
    else {
      const place = `${p.postcode}|${p.cityKey}|${p.oldCityKey ?? ''}`;
      locality = localities.get(place) ?? localityFactor(q, p);
      localities.set(place, locality);
    }
    last = p;
    lastLocality = locality;
    if (locality === 0) continue;
    const list = byStreet.get(p.streetKey);
    if (list) list.push(p);
    else byStreet.set(p.streetKey, [p]);
  }
  const compare = streetComparer(q.streetKey);
  const streets: { readonly sim: number; readonly locality: number; readonly points: AddressPoint[] }[] = [];
  for (const [streetKey, points] of byStreet) {
    const sim = compare(streetKey);
    if (sim < minSimilarity) continue;
    // The same street name in two communes of the candidates: two streets.
    const byPlace = new Map<string, AddressPoint[]>();
    for (const p of points) {
      const place = `${p.postcode}|${p.cityKey}|${p.oldCityKey ?? ''}`;
      const list = byPlace.get(place);
      if (list) list.push(p);
      else byPlace.set(place, [p]);
    }
    for (const group of byPlace.values()) {
      const first = group[0];
      if (first) streets.push({ sim, locality: localityFactor(q, first), points: group });
    }
  }
  const matches: AddressMatch[] = [];
  for (const { sim, locality, points } of streets) {
    const first = points[0];
    if (!first) continue;
    const asked = q.number;
    let located = asked === undefined ? undefined : locateNumber({ ...q, number: asked }, points);
    if (!located) {
      const middle = middlePoint(points);
      if (!middle) continue;
      located = { method: 'street', lng: middle.lng, lat: middle.lat, point: middle, factor: asked === undefined ? METHOD_FACTOR.street : STREET_FALLBACK_FACTOR };
    }
    const { factor, ...where } = located;
    matches.push({
      ...where,
      precision: where.method === 'exact' || where.method === 'suffix' ? 'housenumber' : 'street',
      score: round(sim * locality * factor),
      street: first.street,
      postcode: first.postcode,
      city: first.city,
      ...(first.cityInsee ? { cityInsee: first.cityInsee } : {}),
      streetKey: first.streetKey,
      streetSimilarity: sim,
    });
  }
  return matches
    .sort((a, b) => b.score - a.score || b.streetSimilarity - a.streetSimilarity || a.streetKey.localeCompare(b.streetKey))
    .slice(0, options.limit ?? 5);
};

const isShouting = (s: string): boolean => /\p{Lu}/u.test(s) && s === s.toUpperCase();
const titleCase = (s: string): string => s.toLowerCase().replace(/(^|[\s'’-])(\p{L})/gu, (_, sep: string, letter: string) => sep + letter.toUpperCase());

/** An address match as a GeocodeJSON feature (source 'addresses'), like the providers' ones; upper-case names are title-cased. */
export const addressMatchToFeature = (match: AddressMatch): ProviderGeocodeFeature => {
  const street = isShouting(match.street) ? normalizeStreet(match.street) : match.street;
  const city = isShouting(match.city) ? titleCase(match.city) : match.city;
  const name = match.precision === 'housenumber' && match.number ? `${match.number} ${street}` : street;
  return {
    type: 'Feature',
    geometry: { type: 'Point', coordinates: [match.lng, match.lat] },
    properties: {
      label: `${name} ${match.postcode} ${city}`.replace(/\s+/g, ' ').trim(),
      score: match.score,
      precision: match.precision,
      name,
      postcode: match.postcode,
      city,
      citycode: match.cityInsee ?? '',
      context: frenchContext(departementOfPostcode(match.postcode)) ?? '',
      source: 'addresses',
      // An interpolated position echoes the number asked, as the gazetteer does.
      ...((match.precision === 'housenumber' || match.method === 'interpolated') && match.number ? { housenumber: match.number } : {}),
      street,
      ...(match.point?.id ? { id: match.point.id } : {}),
      providerType: match.method,
    },
  };
};
