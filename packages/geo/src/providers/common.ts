import { frenchDepartements, frenchRegions } from '../communes.ts';
import { parseAddress, type ParsedAddress } from '../geocode.ts';
import { findCommunes, nameSimilarity } from '../search.ts';
import type { GeocodeQuery, ProviderGeocodeFeature, ProviderGeocodeProperties } from './types.ts';

export const isRecord = (value: unknown): value is Readonly<Record<string, unknown>> => typeof value === 'object' && value !== null && !Array.isArray(value);

export const str = (o: Readonly<Record<string, unknown>>, key: string): string | undefined => {
  const v = o[key];
  if (typeof v === 'string') return v.trim() === '' ? undefined : v.trim();
  return typeof v === 'number' && Number.isFinite(v) ? String(v) : undefined;
};

export const num = (o: Readonly<Record<string, unknown>>, key: string): number | undefined => {
  const v = o[key];
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
  return Number.isFinite(n) ? n : undefined;
};

export const clamp01 = (x: number): number => Math.round(Math.min(1, Math.max(0, x)) * 1000) / 1000;

/** The query as one line of text; the country only when asked (BAN is France-only and dislikes it). */
export const queryText = (query: GeocodeQuery, withCountry: boolean): string => {
  if (typeof query === 'string') return query.replace(/\s+/g, ' ').trim();
  const locality = [query.postcode, query.city].map((s) => s?.trim() ?? '').filter((s) => s !== '').join(' ');
  return [query.street, locality, withCountry ? query.country : undefined]
    .map((s) => s?.replace(/\s+/g, ' ').trim() ?? '')
    .filter((s) => s !== '')
    .join(', ');
};

/** GeoJSON point coordinates when both are finite and in range. */
export const pointOf = (lng: number | undefined, lat: number | undefined): readonly [number, number] | null =>
  lng !== undefined && lat !== undefined && Math.abs(lng) <= 180 && Math.abs(lat) <= 90 ? [lng, lat] : null;

export const toFeature = (coordinates: readonly [number, number], properties: ProviderGeocodeProperties): ProviderGeocodeFeature => ({
  type: 'Feature',
  geometry: { type: 'Point', coordinates },
  properties,
});

/** Département code of a French postcode ('20xxx' → 2A / 2B, overseas → 3 digits). */
export const departementOfPostcode = (postcode: string): string | undefined => {
  if (!/^\d{5}$/.test(postcode)) return undefined;
  if (postcode.startsWith('97') || postcode.startsWith('98')) return postcode.slice(0, 3);
  if (postcode.startsWith('20')) return Number(postcode) < 20200 ? '2A' : '2B';
  return postcode.slice(0, 2);
};

let contexts: ReadonlyMap<string, string> | undefined;
/** BAN-style context ('59, Nord, Hauts-de-France') of a French département code, else undefined. */
export const frenchContext = (departement: string | undefined): string | undefined => {
  if (departement === undefined) return undefined;
  if (!contexts) {
    const regionName = new Map(frenchRegions().map((r) => [r.code, r.name]));
    contexts = new Map(frenchDepartements().map((d) => [d.code, `${d.code}, ${d.name}, ${regionName.get(d.region) ?? ''}`]));
  }
  return contexts.get(departement);
};

/**
 * INSEE code of a French commune named by a provider that does not give it (Nominatim, Photon,
 * Pelias), from our gazetteer: the name must match a commune having that postcode. '' when unsure.
 */
export const resolveCitycode = (city: string | undefined, postcode: string | undefined): string => {
  if (!city || !postcode) return '';
  const best = findCommunes(city, { postcode, limit: 1 })[0];
  return best && best.postcodeMatch === 'postcode' && best.similarity >= 0.6 ? best.commune.insee : '';
};

const housenumberValue = (s: string | undefined): string | undefined => /^\s*(\d+)/.exec(s ?? '')?.[1];

/**
 * How well a provider's answer agrees with what was asked, in [0, 1], for providers that give no
 * match confidence (Nominatim, Photon): a different postcode, city or house number lowers it.
 */
export const agreement = (asked: ParsedAddress, found: { readonly postcode?: string | undefined; readonly city?: string | undefined; readonly housenumber?: string | undefined }): number => {
  let score = 1;
  if (asked.postcode && found.postcode && asked.postcode !== found.postcode) {
    score *= departementOfPostcode(asked.postcode) === departementOfPostcode(found.postcode) ? 0.85 : 0.6;
  }
  if (asked.city && found.city && nameSimilarity(asked.city, found.city) < 0.5) score *= 0.7;
  const n = housenumberValue(asked.housenumber);
  const m = housenumberValue(found.housenumber);
  if (n !== undefined && m !== undefined && n !== m) score *= 0.6;
  return score;
};

/** What was asked, parsed once per call for `agreement`. */
export const parsedQuery = (query: GeocodeQuery): ParsedAddress => parseAddress(query);

/** French context of a point when the provider says it is in France, else the provider's own parts. */
export const contextOf = (postcode: string | undefined, isFrance: boolean, parts: readonly (string | undefined)[], departement?: string): string =>
  (isFrance ? frenchContext(departement ?? departementOfPostcode(postcode ?? '')) : undefined) ?? parts.filter((p): p is string => p !== undefined && p !== '').join(', ');

