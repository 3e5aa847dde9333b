// Public API of the online geocoders (HTTP plumbing stays internal).
export { API_ADRESSE_URL, GEOPLATEFORME_URL, banIndexFor, createBanProvider } from './ban.ts';
export { createMemoryGeocodeCache, geocodeCacheKey, withCache, type CacheOptions, type CachedEntry, type GeocodeCache } from './cache.ts';
export { createEmbeddedProvider } from './embedded.ts';
export { createGeocoderProvider, geocoderConfigFromEnv, type GeocoderConfig } from './factory.ts';
export { NOMINATIM_PUBLIC_URL, createNominatimProvider, nominatimPrecision, nominatimRateFor, type NominatimOptions } from './nominatim.ts';
export type { OnlineProviderOptions } from './options.ts';
export { createPeliasProvider, peliasPrecision } from './pelias.ts';
export { PHOTON_PUBLIC_URL, createPhotonProvider, photonPrecision } from './photon.ts';
export * from './types.ts';
