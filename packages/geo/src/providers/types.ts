import type { GeoPrecision, LngLat } from '@geocrm/domain';
import type { GeocodeFields, GeocodeProperties, PointGeometry } from '../geocode.ts';
import type { Feature, FeatureCollection } from '../geojson.ts';

/** What a provider geocodes: free text or fields, exactly as the offline `geocode()` takes. */
export type GeocodeQuery = string | GeocodeFields;

/** The providers behind `GEOCODER`. */
export const GEOCODER_NAMES = ['embedded', 'nominatim', 'photon', 'ban', 'pelias'] as const;
export type GeocoderName = (typeof GEOCODER_NAMES)[number];

/**
 * GeocodeJSON properties of any provider: the offline gazetteer's properties, with the whole
 * precision scale (`housenumber` and `street` included) and the provider as `source`. The
 * gazetteer's own `GeocodeProperties` are assignable to it.
 */
export interface ProviderGeocodeProperties extends Omit<GeocodeProperties, 'precision' | 'source'> {
  readonly precision: GeoPrecision;
  /** 'gazetteer' for the embedded geocoder, else the provider's name ('nominatim', 'ban'…). */
  readonly source: 'gazetteer' | Exclude<GeocoderName, 'embedded'> | 'addresses';
  /** The provider's own identifier of the feature (BAN id, OSM `node/123`, Pelias gid). */
  readonly id?: string;
  /** The provider's own type of result (`addresstype`, `type`, `layer`), for debugging. */
  readonly providerType?: string;
}

export type ProviderGeocodeFeature = Feature<PointGeometry, ProviderGeocodeProperties>;
export type ProviderGeocodeResult = FeatureCollection<PointGeometry, ProviderGeocodeProperties>;

export interface ProviderGeocodeOptions {
  /** Aborts the request (and its retries and rate-limit wait). */
  readonly signal?: AbortSignal;
  /** Maximum number of features. Default 5. */
  readonly limit?: number;
}

/**
 * One geocoder, online or not. `geocode` resolves to features best first (none when the place is
 * unknown) and rejects with an `AppError`: `UNAVAILABLE` (timeout, network, 5xx after retries),
 * `RATE_LIMITED` (429 whose Retry-After is too long to wait, `details.retryAfterMs`) or
 * `VALIDATION` (the provider rejected the query, 400).
 */
export interface GeocoderProvider {
  readonly name: GeocoderName;
  geocode(query: GeocodeQuery, options?: ProviderGeocodeOptions): Promise<ProviderGeocodeResult>;
  reverse?(point: LngLat, options?: ProviderGeocodeOptions): Promise<ProviderGeocodeResult>;
}

export const emptyResult = (): ProviderGeocodeResult => ({ type: 'FeatureCollection', features: [] });
