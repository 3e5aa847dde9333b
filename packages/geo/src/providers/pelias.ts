import type { GeoPrecision } from '@geocrm/domain';
import { clamp01, contextOf, isRecord, num, pointOf, queryText, resolveCitycode, str, toFeature } from './common.ts';
import { createHttpJsonClient } from './http.ts';
import { httpOptions, type OnlineProviderOptions } from './options.ts';
import type { GeocoderProvider, ProviderGeocodeFeature, ProviderGeocodeResult } from './types.ts';

const BY_LAYER: Readonly<Record<string, GeoPrecision>> = {
  address: 'housenumber', venue: 'housenumber',
  street: 'street',
  postalcode: 'postcode',
  neighbourhood: 'locality', microhood: 'locality', macrohood: 'locality', borough: 'locality',
  locality: 'municipality', localadmin: 'municipality',
  county: 'region', macrocounty: 'region', region: 'region', macroregion: 'region',
  country: 'country', dependency: 'country', macrocountry: 'country',
};

/** Pelias `layer` → precision (Pelias' `locality` is a town, `localadmin` a commune). */
export const peliasPrecision = (layer: string | undefined): GeoPrecision => (layer === undefined ? undefined : BY_LAYER[layer]) ?? 'region';

const peliasFeature = (feature: unknown): ProviderGeocodeFeature | null => {
  if (!isRecord(feature) || !isRecord(feature['properties']) || !isRecord(feature['geometry'])) return null;
  const p = feature['properties'];
  const coords = feature['geometry']['coordinates'];
  const coordinates = Array.isArray(coords) && typeof coords[0] === 'number' && typeof coords[1] === 'number' ? pointOf(coords[0], coords[1]) : null;
  if (!coordinates) return null;
  const layer = str(p, 'layer');
  const precision = peliasPrecision(layer);
  const housenumber = str(p, 'housenumber');
  const street = str(p, 'street');
  const postcode = str(p, 'postalcode') ?? '';
  const city = str(p, 'locality') ?? str(p, 'localadmin') ?? '';
  const isFrance = str(p, 'country_a') === 'FRA' || str(p, 'country_code') === 'FR';
  const gid = str(p, 'gid');
  return toFeature(coordinates, {
    label: str(p, 'label') ?? str(p, 'name') ?? city,
    score: clamp01(num(p, 'confidence') ?? 0),
    precision,
    name: str(p, 'name') ?? city,
    postcode,
    city,
    citycode: isFrance ? resolveCitycode(city, postcode) : '',
    context: contextOf(postcode, isFrance, [str(p, 'county'), str(p, 'region'), str(p, 'country')]),
    source: 'pelias',
    ...(housenumber && precision === 'housenumber' ? { housenumber } : {}),
    ...(street ? { street } : {}),
    ...(gid ? { id: gid } : {}),
    providerType: layer ?? '',
  });
};

const collect = (body: unknown): ProviderGeocodeResult => {
  const features = isRecord(body) && Array.isArray(body['features']) ? body['features'] : [];
  return { type: 'FeatureCollection', features: features.map(peliasFeature).filter((f): f is ProviderGeocodeFeature => f !== null) };
};

/** Pelias (self-hosted, geocode.earth, openrouteservice): `/v1/search?text=`, `confidence` → score. */
export const createPeliasProvider = (options: OnlineProviderOptions & { readonly baseUrl: string }): GeocoderProvider => {
  const http = createHttpJsonClient(httpOptions('pelias', options, { baseUrl: options.baseUrl, ratePerSecond: 10 }));
  const common = { lang: options.language ?? 'fr', api_key: options.apiKey };
  return {
    name: 'pelias',
    async geocode(query, opts = {}) {
      const text = queryText(query, true);
      if (text === '') return { type: 'FeatureCollection', features: [] };
      return collect(await http.getJson('v1/search', { ...common, text, size: opts.limit ?? 5 }, opts.signal));
    },
    async reverse(point, opts = {}) {
      return collect(await http.getJson('v1/reverse', { ...common, 'point.lon': point[0], 'point.lat': point[1], size: opts.limit ?? 1 }, opts.signal));
    },
  };
};
