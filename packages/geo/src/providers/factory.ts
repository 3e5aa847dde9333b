import { AppError } from '@geocrm/domain';
import { createBanProvider } from './ban.ts';
import { createEmbeddedProvider } from './embedded.ts';
import { createNominatimProvider } from './nominatim.ts';
import type { OnlineProviderOptions } from './options.ts';
import { createPeliasProvider } from './pelias.ts';
import { createPhotonProvider } from './photon.ts';
import { GEOCODER_NAMES, type GeocoderName, type GeocoderProvider } from './types.ts';

export interface GeocoderConfig extends OnlineProviderOptions {
  /** Which provider. Default 'embedded' (offline). */
  readonly provider: GeocoderName;
}

const positive = (value: string | undefined, name: string): number | undefined => {
  if (value === undefined || value.trim() === '') return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new AppError('VALIDATION', `${name} must be a positive number`, { details: { field: name } });
  return n;
};

/**
 * Reads the geocoder's configuration from the environment: GEOCODER (embedded | nominatim |
 * photon | ban | pelias), GEOCODER_URL, GEOCODER_USER_AGENT, GEOCODER_RATE_PER_SEC,
 * GEOCODER_TIMEOUT_MS, GEOCODER_RETRIES, GEOCODER_API_KEY, GEOCODER_COUNTRY_CODES, GEOCODER_LANGUAGE.
 */
export const geocoderConfigFromEnv = (env: Readonly<Record<string, string | undefined>>): GeocoderConfig => {
  const name = (env['GEOCODER']?.trim() || 'embedded').toLowerCase();
  if (!(GEOCODER_NAMES as readonly string[]).includes(name)) {
    throw new AppError('VALIDATION', `GEOCODER must be one of ${GEOCODER_NAMES.join(', ')}`, { details: { field: 'GEOCODER', value: name } });
  }
  const text = (key: string): string | undefined => env[key]?.trim() || undefined;
  const rate = positive(env['GEOCODER_RATE_PER_SEC'], 'GEOCODER_RATE_PER_SEC');
  const timeout = positive(env['GEOCODER_TIMEOUT_MS'], 'GEOCODER_TIMEOUT_MS');
  const retries = env['GEOCODER_RETRIES']?.trim() ? Number(env['GEOCODER_RETRIES']) : undefined;
  if (retries !== undefined && !(Number.isInteger(retries) && retries >= 0)) {
    throw new AppError('VALIDATION', 'GEOCODER_RETRIES must be a whole number', { details: { field: 'GEOCODER_RETRIES' } });
  }
  const url = text('GEOCODER_URL');
  const userAgent = text('GEOCODER_USER_AGENT');
  const apiKey = text('GEOCODER_API_KEY');
  const countryCodes = text('GEOCODER_COUNTRY_CODES');
  const language = text('GEOCODER_LANGUAGE');
  return {
    provider: name as GeocoderName,
    ...(url ? { baseUrl: url } : {}),
    ...(userAgent ? { userAgent } : {}),
    ...(rate === undefined ? {} : { ratePerSecond: rate }),
    ...(timeout === undefined ? {} : { timeoutMs: timeout }),
    ...(retries === undefined ? {} : { retries }),
    ...(apiKey ? { apiKey } : {}),
    ...(countryCodes ? { countryCodes } : {}),
    ...(language ? { language } : {}),
  };
};

/**
 * The provider named by the configuration. Throws VALIDATION for a configuration that cannot work
 * (Nominatim without a User-Agent, Pelias without a URL, a malformed URL).
 */
export const createGeocoderProvider = (config: GeocoderConfig): GeocoderProvider => {
  if (config.baseUrl !== undefined && !URL.canParse(config.baseUrl)) {
    throw new AppError('VALIDATION', 'GEOCODER_URL is not a valid URL', { details: { field: 'GEOCODER_URL' } });
  }
  switch (config.provider) {
    case 'embedded':
      return createEmbeddedProvider();
    case 'nominatim':
      return createNominatimProvider(config);
    case 'photon':
      return createPhotonProvider(config);
    case 'ban':
      return createBanProvider(config);
    case 'pelias': {
      const baseUrl = config.baseUrl;
      if (baseUrl === undefined) throw new AppError('VALIDATION', 'Pelias has no public default: set GEOCODER_URL', { details: { field: 'GEOCODER_URL' } });
      return createPeliasProvider({ ...config, baseUrl });
    }
  }
};
