import type { GeoPrecision } from '@geocrm/domain';
import type { GeocoderProvider, ProviderGeocodeFeature, ProviderGeocodeResult } from '../providers/types.ts';
import { addressMatchToFeature, matchAddressPoints, parseStreetAddress } from './match.ts';
import type { AddressPoint } from './types.ts';

/**
 * Where the loaded address points are (the server's is a table): the points of a postcode and/or
 * a commune (by `cityKey`, normalizePlaceName of its name; the old commune's name too).
 */
export interface AddressPointSource {
  findAddressPoints(where: { readonly postcode?: string; readonly cityKey?: string }, signal?: AbortSignal): Promise<readonly AddressPoint[]>;
}

export interface AddressPointsOptions {
  /** An address match at least this good answers alone, without calling the provider. Default 0.7. */
  readonly minScore?: number;
}

const RANK: Readonly<Record<GeoPrecision, number>> = { housenumber: 0, street: 1, locality: 2, municipality: 3, postcode: 4, region: 5, country: 6 };

/**
 * A provider that looks in the loaded address files first: a house number found there with a
 * score ≥ minScore answers at once (source 'addresses', no network); otherwise the provider is
 * asked and the file's street-level match, when it is finer than the provider's best answer (or
 * the provider fails or finds nothing), comes first.
 */
export const withAddressPoints = (provider: GeocoderProvider, source: AddressPointSource, options: AddressPointsOptions = {}): GeocoderProvider => {
  const minScore = options.minScore ?? 0.7;
  const geocode: GeocoderProvider['geocode'] = async (query, opts = {}) => {
    const limit = opts.limit ?? 5;
    const parsed = parseStreetAddress(query);
    let local: ProviderGeocodeFeature[] = [];
    if (parsed.streetKey !== '' && (parsed.postcode !== undefined || parsed.cityKey !== undefined)) {
      const points = await source.findAddressPoints({ ...(parsed.postcode ? { postcode: parsed.postcode } : {}), ...(parsed.cityKey ? { cityKey: parsed.cityKey } : {}) }, opts.signal);
      local = matchAddressPoints(parsed, points, { limit }).map(addressMatchToFeature);
    }
    const best = local[0];
    if (best && best.properties.precision === 'housenumber' && best.properties.score >= minScore) return { type: 'FeatureCollection', features: local };
    let remote: ProviderGeocodeResult;
    try {
      remote = await provider.geocode(query, opts);
    } catch (error) {
      if (best && !opts.signal?.aborted) return { type: 'FeatureCollection', features: local };
      throw error;
    }
    const remoteBest = remote.features[0];
    if (!best || (remoteBest && RANK[remoteBest.properties.precision] <= RANK[best.properties.precision])) return remote;
    return { type: 'FeatureCollection', features: [...local, ...remote.features].slice(0, limit) };
  };
  return { name: provider.name, geocode, ...(provider.reverse ? { reverse: provider.reverse.bind(provider) } : {}) };
};

/** An AddressPointSource over points in memory (tests, a small file loaded at start). */
export const createMemoryAddressPointSource = (points: readonly AddressPoint[]): AddressPointSource => ({
  findAddressPoints: (where) =>
    Promise.resolve(points.filter((p) => (where.postcode !== undefined && p.postcode === where.postcode) || (where.cityKey !== undefined && (p.cityKey === where.cityKey || p.oldCityKey === where.cityKey)))),
});
