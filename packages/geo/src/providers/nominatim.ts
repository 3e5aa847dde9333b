import type { GeoPrecision } from '@geocrm/domain';
import { AppError } from '@geocrm/domain';
import type { ParsedAddress } from '../geocode.ts';
import { agreement, clamp01, contextOf, isRecord, num, parsedQuery, pointOf, queryText, resolveCitycode, str, toFeature } from './common.ts';
import { createHttpJsonClient } from './http.ts';
import { httpOptions, type OnlineProviderOptions } from './options.ts';
import type { GeocoderProvider, ProviderGeocodeFeature, ProviderGeocodeResult } from './types.ts';

export const NOMINATIM_PUBLIC_URL = 'https://nominatim.openstreetmap.org';

const BY_ADDRESSTYPE: Readonly<Record<string, GeoPrecision>> = {
  country: 'country',
  state: 'region', region: 'region', state_district: 'region', county: 'region', province: 'region', department: 'region',
  municipality: 'municipality', city: 'municipality', town: 'municipality', village: 'municipality',
  city_district: 'locality', district: 'locality', borough: 'locality', suburb: 'locality', quarter: 'locality', subdivision: 'locality',
  neighbourhood: 'locality', hamlet: 'locality', isolated_dwelling: 'locality', farm: 'locality', croft: 'locality', locality: 'locality', city_block: 'locality',
  postcode: 'postcode',
  road: 'street', square: 'street',
};

/**
 * Nominatim's `addresstype` (jsonv2) names the address level of the result; `place_rank` backs it
 * up (30 house / POI, 26–27 street, 17–25 village parts, 13–16 town, 5–12 region, 4 country).
 */
export const nominatimPrecision = (addresstype: string | undefined, placeRank: number | undefined, hasHouseNumber: boolean): GeoPrecision => {
  const rank = placeRank ?? 0;
  if (hasHouseNumber && rank >= 28) return 'housenumber';
  const byType = addresstype === undefined ? undefined : BY_ADDRESSTYPE[addresstype];
  if (byType) return byType;
  if (rank >= 28) return 'housenumber';
  if (rank >= 26) return 'street';
  if (rank >= 17) return 'locality';
  if (rank >= 13) return 'municipality';
  if (rank >= 5) return 'region';
  return 'country';
};

const CITY_KEYS = ['city', 'town', 'village', 'municipality', 'hamlet'] as const;

/** One jsonv2 place → GeocodeJSON feature (null without a usable position). */
export const nominatimFeature = (place: unknown, asked: ParsedAddress | undefined): ProviderGeocodeFeature | null => {
  if (!isRecord(place)) return null;
  const coordinates = pointOf(num(place, 'lon'), num(place, 'lat'));
  if (!coordinates) return null;
  const address = isRecord(place['address']) ? place['address'] : {};
  const housenumber = str(address, 'house_number');
  const street = str(address, 'road') ?? str(address, 'pedestrian') ?? str(address, 'square');
  const postcode = str(address, 'postcode') ?? '';
  const city = CITY_KEYS.map((k) => str(address, k)).find((v) => v !== undefined) ?? '';
  const isFrance = str(address, 'country_code') === 'fr';
  const precision = nominatimPrecision(str(place, 'addresstype'), num(place, 'place_rank'), housenumber !== undefined);
  const importance = num(place, 'importance') ?? 0;
  // Nominatim has no match confidence: importance is prominence (Wikipedia links, population),
  // near 0 for any house. The score is the answer's agreement with the query; importance breaks ties.
  const agree = asked ? agreement(asked, { postcode, city, housenumber }) : 1;
  const name = str(place, 'name') ?? ([housenumber, street].filter((s) => s !== undefined).join(' ') || city);
  const departement = /^FR-(\w{2,3})$/.exec(str(address, 'ISO3166-2-lvl6') ?? '')?.[1];
  const osmType = str(place, 'osm_type');
  const osmId = str(place, 'osm_id');
  return toFeature(coordinates, {
    label: str(place, 'display_name') ?? name,
    score: clamp01(0.9 * agree + 0.1 * Math.min(1, importance)),
    precision,
    name,
    postcode,
    city,
    citycode: isFrance ? resolveCitycode(city, postcode) : '',
    context: contextOf(postcode, isFrance, [str(address, 'county'), str(address, 'state'), str(address, 'country')], departement),
    source: 'nominatim',
    ...(housenumber && precision === 'housenumber' ? { housenumber } : {}),
    ...(street ? { street } : {}),
    ...(osmType && osmId ? { id: `${osmType}/${osmId}` } : {}),
    providerType: str(place, 'addresstype') ?? str(place, 'type') ?? '',
  });
};

/** Requests per second: default 1; at most 1 on the public instance (its usage policy). */
export const nominatimRateFor = (baseUrl: string, ratePerSecond: number | undefined): number => {
  const rate = ratePerSecond ?? 1;
  return new URL(baseUrl).hostname === 'nominatim.openstreetmap.org' ? Math.min(rate, 1) : rate;
};

export interface NominatimOptions extends OnlineProviderOptions {
  /** Sent as `email` (Nominatim's usage policy suggests it for bulk use). */
  readonly email?: string;
}

/**
 * Nominatim (OpenStreetMap). The public instance's usage policy — at most 1 request per second,
 * an identifying User-Agent — is enforced: a User-Agent is required and the rate capped at 1/s
 * on nominatim.openstreetmap.org; a self-hosted instance takes any rate.
 */
export const createNominatimProvider = (options: NominatimOptions): GeocoderProvider => {
  if (!options.userAgent?.trim()) {
    throw new AppError('VALIDATION', 'Nominatim requires a User-Agent that identifies the application (GEOCODER_USER_AGENT)', { details: { field: 'GEOCODER_USER_AGENT' } });
  }
  const baseUrl = options.baseUrl ?? NOMINATIM_PUBLIC_URL;
  const http = createHttpJsonClient(httpOptions('nominatim', { ...options, baseUrl, ratePerSecond: nominatimRateFor(baseUrl, options.ratePerSecond) }, { baseUrl, ratePerSecond: 1 }));
  const common = { format: 'jsonv2', addressdetails: 1, 'accept-language': options.language ?? 'fr', email: options.email };
  const collect = (places: readonly unknown[], asked: ParsedAddress | undefined): ProviderGeocodeResult => ({
    type: 'FeatureCollection',
    features: places.map((p) => nominatimFeature(p, asked)).filter((f): f is ProviderGeocodeFeature => f !== null),
  });
  return {
    name: 'nominatim',
    async geocode(query, opts = {}) {
      const q = queryText(query, true);
      if (q === '') return { type: 'FeatureCollection', features: [] };
      const body = await http.getJson('search', { ...common, q, limit: opts.limit ?? 5, countrycodes: options.countryCodes }, opts.signal);
      return collect(Array.isArray(body) ? body : [], parsedQuery(query));
    },
    async reverse(point, opts = {}) {
      const body = await http.getJson('reverse', { ...common, lon: point[0], lat: point[1] }, opts.signal);
      // No place there: 200 with { "error": "Unable to geocode" }.
      return collect(isRecord(body) && body['error'] === undefined ? [body] : [], undefined);
    },
  };
};
