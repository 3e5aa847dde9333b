import type { HttpClientOptions } from './http.ts';

/** Options common to the online providers (the factory fills them from the environment). */
export interface OnlineProviderOptions {
  /** Root of the API (a self-hosted instance); each provider has its public default. */
  readonly baseUrl?: string;
  /** Sent as User-Agent; required (non-empty) by Nominatim's usage policy. */
  readonly userAgent?: string;
  /** Requests per second, shared by concurrent calls. Defaults per provider. */
  readonly ratePerSecond?: number;
  /** Per attempt. Default 10 s. */
  readonly timeoutMs?: number;
  /** Retries after the first attempt. Default 2. */
  readonly retries?: number;
  /** First retry delay (doubles, with jitter). Default 500 ms. */
  readonly backoffMs?: number;
  /** Longest Retry-After waited for before failing with RATE_LIMITED / UNAVAILABLE. Default 30 s. */
  readonly maxRetryAfterMs?: number;
  /** Language of labels. Default 'fr'. */
  readonly language?: string;
  /** Pelias (geocode.earth, openrouteservice…): `api_key` query parameter. */
  readonly apiKey?: string;
  /** Nominatim only: restrict to these ISO countries, e.g. 'fr'. */
  readonly countryCodes?: string;
  /** For tests: the jitter source. */
  readonly random?: () => number;
}

export const httpOptions = (provider: string, options: OnlineProviderOptions, defaults: { readonly baseUrl: string; readonly ratePerSecond: number }): HttpClientOptions => ({
  provider,
  baseUrl: options.baseUrl ?? defaults.baseUrl,
  ratePerSecond: options.ratePerSecond ?? defaults.ratePerSecond,
  ...(options.userAgent === undefined ? {} : { userAgent: options.userAgent }),
  ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  ...(options.retries === undefined ? {} : { retries: options.retries }),
  ...(options.backoffMs === undefined ? {} : { backoffMs: options.backoffMs }),
  ...(options.maxRetryAfterMs === undefined ? {} : { maxRetryAfterMs: options.maxRetryAfterMs }),
  ...(options.random === undefined ? {} : { random: options.random }),
});
