import type { GeoPrecision } from '@geocrm/domain';
import type { ParsedAddress } from '../geocode.ts';
import { agreement, clamp01, contextOf, isRecord, parsedQuery, pointOf, queryText, resolveCitycode, str, toFeature } from './common.ts';
import { createHttpJsonClient } from './http.ts';
import { httpOptions, type OnlineProviderOptions } from './options.ts';
import type { GeocoderProvider, ProviderGeocodeFeature, ProviderGeocodeResult } from './types.ts';

export const PHOTON_PUBLIC_URL = 'https://photon.komoot.io';

/** Photon's `properties.type`: house, street, locality, district, city, county, state, country, other. */
export const photonPrecision = (type: string | undefined, osmValue: string | undefined, hasHouseNumber: boolean, hasStreet: boolean): GeoPrecision => {
  if (osmValue === 'postcode') return 'postcode';
  switch (type) {
    case 'house': return 'housenumber';
    case 'street': return 'street';
    case 'locality':
    case 'district': return 'locality';
    case 'city': return 'municipality';
    case 'county':
    case 'state': return 'region';
    case 'country': return 'country';
    default: return hasHouseNumber ? 'housenumber' : hasStreet ? 'street' : 'locality';
  }
};

const photonFeature = (feature: unknown, asked: ParsedAddress | undefined): ProviderGeocodeFeature | null => {
  if (!isRecord(feature) || !isRecord(feature['properties']) || !isRecord(feature['geometry'])) return null;
  const p = feature['properties'];
  const coords = feature['geometry']['coordinates'];
  const coordinates = Array.isArray(coords) && typeof coords[0] === 'number' && typeof coords[1] === 'number' ? pointOf(coords[0], coords[1]) : null;
  if (!coordinates) return null;
  const type = str(p, 'type');
  const housenumber = str(p, 'housenumber');
  const street = str(p, 'street');
  const postcode = str(p, 'postcode') ?? '';
  const precision = photonPrecision(type, str(p, 'osm_value'), housenumber !== undefined, street !== undefined);
  // A city's own feature names it in `name`, not `city`.
  const city = str(p, 'city') ?? (precision === 'municipality' ? str(p, 'name') : undefined) ?? '';
  const isFrance = str(p, 'countrycode')?.toUpperCase() === 'FR';
  const name = str(p, 'name') ?? ([housenumber, street].filter((s) => s !== undefined).join(' ') || city);
  const line1 = housenumber || street ? [housenumber, street].filter((s) => s !== undefined).join(' ') : name;
  const line2 = [postcode, precision === 'municipality' ? '' : city].filter((s) => s !== '').join(' ');
  const osmType = str(p, 'osm_type');
  const osmId = str(p, 'osm_id');
  return toFeature(coordinates, {
    label: [line1, line2].filter((s) => s !== '').join(' '),
    // Photon gives no confidence: the answer's agreement with the query.
    score: clamp01(asked ? agreement(asked, { postcode, city, housenumber }) : 1),
    precision,
    name,
    postcode,
    city,
    citycode: isFrance ? resolveCitycode(city, postcode) : '',
    context: contextOf(postcode, isFrance, [str(p, 'county'), str(p, 'state'), str(p, 'country')]),
    source: 'photon',
    ...(str(p, 'district') ? { district: str(p, 'district') } : {}),
    ...(housenumber && precision === 'housenumber' ? { housenumber } : {}),
    ...(street ? { street } : {}),
    ...(osmType && osmId ? { id: `${osmType}/${osmId}` } : {}),
    providerType: type ?? '',
  });
};

const collect = (body: unknown, asked: ParsedAddress | undefined): ProviderGeocodeResult => {
  const features = isRecord(body) && Array.isArray(body['features']) ? body['features'] : [];
  return { type: 'FeatureCollection', features: features.map((f) => photonFeature(f, asked)).filter((f): f is ProviderGeocodeFeature => f !== null) };
};

/** Photon (komoot; OpenStreetMap data): `/api?q=` and `/reverse`, GeoJSON. */
export const createPhotonProvider = (options: OnlineProviderOptions = {}): GeocoderProvider => {
  const http = createHttpJsonClient(httpOptions('photon', options, { baseUrl: PHOTON_PUBLIC_URL, ratePerSecond: 1 }));
  const lang = options.language ?? 'fr';
  return {
    name: 'photon',
    async geocode(query, opts = {}) {
      const q = queryText(query, true);
      if (q === '') return { type: 'FeatureCollection', features: [] };
      return collect(await http.getJson('api', { q, limit: opts.limit ?? 5, lang }, opts.signal), parsedQuery(query));
    },
    async reverse(point, opts = {}) {
      return collect(await http.getJson('reverse', { lon: point[0], lat: point[1], limit: opts.limit ?? 1, lang }, opts.signal), undefined);
    },
  };
};
