import type { GeoPrecision } from '@geocrm/domain';
import { clamp01, contextOf, isRecord, num, pointOf, queryText, str, toFeature } from './common.ts';
import { createHttpJsonClient } from './http.ts';
import { httpOptions, type OnlineProviderOptions } from './options.ts';
import type { GeocoderProvider, ProviderGeocodeFeature, ProviderGeocodeResult } from './types.ts';

/** IGN's Géoplateforme, which took over the BAN API (same GeocodeJSON, `index=address`). */
export const GEOPLATEFORME_URL = 'https://data.geopf.fr/geocodage';
/** The historical BAN API (Etalab); works as a base URL too. */
export const API_ADRESSE_URL = 'https://api-adresse.data.gouv.fr';

const BAN_TYPES: Readonly<Record<string, GeoPrecision>> = { housenumber: 'housenumber', street: 'street', locality: 'locality', municipality: 'municipality' };
// BAN rejects q outside 3–200 characters (400).
const MAX_QUERY = 200;

const banFeature = (feature: unknown): ProviderGeocodeFeature | null => {
  if (!isRecord(feature) || !isRecord(feature['properties']) || !isRecord(feature['geometry'])) return null;
  const p = feature['properties'];
  const coords = feature['geometry']['coordinates'];
  const coordinates = Array.isArray(coords) && typeof coords[0] === 'number' && typeof coords[1] === 'number' ? pointOf(coords[0], coords[1]) : null;
  if (!coordinates) return null;
  const type = str(p, 'type');
  const precision = (type === undefined ? undefined : BAN_TYPES[type]) ?? 'locality';
  const housenumber = str(p, 'housenumber');
  const street = str(p, 'street');
  const postcode = str(p, 'postcode') ?? '';
  const city = str(p, 'city') ?? '';
  const id = str(p, 'id');
  const district = str(p, 'district');
  return toFeature(coordinates, {
    label: str(p, 'label') ?? city,
    score: clamp01(num(p, 'score') ?? 0),
    precision,
    name: str(p, 'name') ?? city,
    postcode,
    city,
    citycode: str(p, 'citycode') ?? '',
    context: str(p, 'context') ?? contextOf(postcode, true, []),
    source: 'ban',
    ...(district ? { district } : {}),
    ...(housenumber ? { housenumber } : {}),
    ...(street ? { street } : {}),
    ...(id ? { id } : {}),
    providerType: type ?? '',
  });
};

const collect = (body: unknown): ProviderGeocodeResult => {
  const features = isRecord(body) && Array.isArray(body['features']) ? body['features'] : [];
  return { type: 'FeatureCollection', features: features.map(banFeature).filter((f): f is ProviderGeocodeFeature => f !== null) };
};

/** The Géoplateforme also searches parcels and POIs: `index=address` asks for addresses only (the BAN API has no such parameter). */
export const banIndexFor = (baseUrl: string): 'address' | undefined => (new URL(baseUrl).hostname === 'data.geopf.fr' ? 'address' : undefined);

/**
 * The French national address base (BAN) through the Géoplateforme (default) or
 * api-adresse.data.gouv.fr: GeocodeJSON with `type` housenumber / street / locality / municipality
 * and a `score`, which map one to one. France only; 50 requests/s per IP.
 */
export const createBanProvider = (options: OnlineProviderOptions = {}): GeocoderProvider => {
  const baseUrl = options.baseUrl ?? GEOPLATEFORME_URL;
  const http = createHttpJsonClient(httpOptions('ban', { ...options, baseUrl }, { baseUrl, ratePerSecond: 40 }));
  const index = banIndexFor(baseUrl);
  return {
    name: 'ban',
    async geocode(query, opts = {}) {
      const q = queryText(query, false).slice(0, MAX_QUERY).replace(/^[^\p{L}\p{N}]+/u, '');
      if (q.length < 3) return { type: 'FeatureCollection', features: [] };
      return collect(await http.getJson('search/', { q, limit: opts.limit ?? 5, autocomplete: 0, index }, opts.signal));
    },
    async reverse(point, opts = {}) {
      return collect(await http.getJson('reverse/', { lon: point[0], lat: point[1], limit: opts.limit ?? 1, index }, opts.signal));
    },
  };
};
