import { isAppError, type AppErrorCode } from '@geocrm/domain';
import { AppError } from '@geocrm/domain';
import { normalizePlaceName } from '../normalize.ts';
import type { GeocodeQuery, GeocoderProvider, ProviderGeocodeOptions, ProviderGeocodeResult } from './types.ts';

/**
 * What the cache keeps for one key. Times are epoch milliseconds (store them as timestamptz);
 * the whole entry is plain JSON.
 * - `result`: the provider's answer (with at least one feature), usable until `expiresAt`.
 * - `failure`: no answer — `not-found` (no feature) or `error` (the call failed: `code` is the
 *   AppError code) — not to be asked again before `retryAfter`; `attempts` counts consecutive
 *   failures and lengthens the wait.
 */
export type CachedEntry =
  | { readonly kind: 'result'; readonly result: ProviderGeocodeResult; readonly storedAt: number; readonly expiresAt: number }
  | {
      readonly kind: 'failure';
      readonly reason: 'not-found' | 'error';
      readonly code?: AppErrorCode;
      readonly message?: string;
      readonly storedAt: number;
      readonly retryAfter: number;
      readonly attempts: number;
    };

/**
 * Storage of geocoding answers, injected into `withCache` (the server's is a database table keyed
 * by `key`). `get` returns what `set` stored, expired or not: `withCache` decides what is stale.
 * `set` replaces the entry of the key.
 */
export interface GeocodeCache {
  get(key: string): Promise<CachedEntry | undefined>;
  set(key: string, entry: CachedEntry): Promise<void>;
}

/** An in-memory GeocodeCache (tests, a single process). */
export const createMemoryGeocodeCache = (): GeocodeCache & { readonly entries: ReadonlyMap<string, CachedEntry> } => {
  const entries = new Map<string, CachedEntry>();
  return {
    entries,
    get: (key) => Promise.resolve(entries.get(key)),
    set: (key, entry) => {
      entries.set(key, entry);
      return Promise.resolve();
    },
  };
};

/**
 * Cache key: provider, limit and the normalised query (case, accents, punctuation, spaces, St/Ste
 * ignored), so "18, rue Roger-Salengro" and "18 RUE ROGER SALENGRO" share an entry.
 * @example geocodeCacheKey('ban', { street: '18 rue Roger-Salengro', postcode: '59217' }, 5) // 'ban|5|18 rue roger salengro|59217||'
 */
export const geocodeCacheKey = (provider: string, query: GeocodeQuery, limit: number): string => {
  const body = typeof query === 'string' ? normalizePlaceName(query) : [query.street, query.postcode?.replace(/\s/g, ''), query.city, query.country].map((s) => normalizePlaceName(s ?? '')).join('|');
  return `${provider}|${limit}|${body}`;
};

const DAY = 86_400_000;

export interface CacheOptions {
  /** How long an answer is reused. Default 90 days. */
  readonly ttl?: number;
  /** How long an address with no result is not asked again (doubled per consecutive failure, up to `maxFailureTtl`). Default 7 days. */
  readonly failureTtl?: number;
  /** Same after an error (timeout, 5xx, 429…): shorter, so an outage does not shelve addresses for long. Default min(failureTtl, 15 min); a longer Retry-After wins. A query the provider rejected (VALIDATION) waits failureTtl. */
  readonly errorTtl?: number;
  /** Cap of the doubling. Default 16 × failureTtl. */
  readonly maxFailureTtl?: number;
  /** For tests. Default Date.now. */
  readonly now?: () => number;
}

/** The error a cached failure rethrows until its `retryAfter`. */
const shelvedError = (entry: Extract<CachedEntry, { kind: 'failure' }>, provider: string): AppError =>
  new AppError(entry.code === 'RATE_LIMITED' || entry.code === 'VALIDATION' ? entry.code : 'UNAVAILABLE', 'Geocoding this address failed recently; it will be retried later', {
    details: { provider, cached: true, retryAfter: new Date(entry.retryAfter).toISOString(), attempts: entry.attempts },
  });

/**
 * A provider whose answers go through `cache`: a fresh result is returned without a call; a
 * failed address is not asked again before its `retryAfter` — a cached `not-found` resolves to an
 * empty collection, a cached `error` rejects with UNAVAILABLE / RATE_LIMITED / VALIDATION (`details.cached`).
 * Calls cancelled by the caller's signal are not recorded; concurrent calls for one key (without
 * a signal) share one provider call. `reverse` is not cached.
 */
export const withCache = (provider: GeocoderProvider, cache: GeocodeCache, options: CacheOptions = {}): GeocoderProvider => {
  const ttl = options.ttl ?? 90 * DAY;
  const failureTtl = options.failureTtl ?? 7 * DAY;
  const errorTtl = options.errorTtl ?? Math.min(failureTtl, 15 * 60_000);
  const maxFailureTtl = options.maxFailureTtl ?? 16 * failureTtl;
  const now = options.now ?? Date.now;

  const fail = async (key: string, previous: CachedEntry | undefined, reason: 'not-found' | 'error', error?: unknown): Promise<void> => {
    const attempts = previous?.kind === 'failure' ? previous.attempts + 1 : 1;
    // A query the provider rejects (400) will not improve: shelved like an unknown address.
    const rejected = isAppError(error) && error.code === 'VALIDATION';
    const base = reason === 'not-found' || rejected ? failureTtl : errorTtl;
    const retryAfterMs = isAppError(error) && typeof error.details?.['retryAfterMs'] === 'number' ? error.details['retryAfterMs'] : 0;
    const wait = Math.max(Math.min(base * 2 ** (attempts - 1), maxFailureTtl), retryAfterMs);
    const t = now();
    await cache.set(key, {
      kind: 'failure',
      reason,
      ...(isAppError(error) ? { code: error.code, message: error.message } : {}),
      storedAt: t,
      retryAfter: t + wait,
      attempts,
    });
  };

  const lookup = async (key: string, query: GeocodeQuery, opts: ProviderGeocodeOptions): Promise<ProviderGeocodeResult> => {
    const entry = await cache.get(key);
    const t = now();
    if (entry?.kind === 'result' && entry.expiresAt > t) return entry.result;
    if (entry?.kind === 'failure' && entry.retryAfter > t) {
      if (entry.reason === 'not-found') return { type: 'FeatureCollection', features: [] };
      throw shelvedError(entry, provider.name);
    }
    let result: ProviderGeocodeResult;
    try {
      result = await provider.geocode(query, opts);
    } catch (error) {
      if (!opts.signal?.aborted) await fail(key, entry, 'error', error);
      throw error;
    }
    if (result.features.length === 0) await fail(key, entry, 'not-found');
    else await cache.set(key, { kind: 'result', result, storedAt: now(), expiresAt: now() + ttl });
    return result;
  };

  // The same address asked twice at once (a batch with duplicates) makes one call.
  const inFlight = new Map<string, Promise<ProviderGeocodeResult>>();
  const geocode: GeocoderProvider['geocode'] = (query, opts = {}) => {
    const key = geocodeCacheKey(provider.name, query, opts.limit ?? 5);
    // A call with its own signal is not shared: aborting it must not fail the others.
    if (opts.signal) return lookup(key, query, opts);
    const pending = inFlight.get(key);
    if (pending) return pending;
    const call = lookup(key, query, opts).finally(() => inFlight.delete(key));
    inFlight.set(key, call);
    return call;
  };

  return { name: provider.name, geocode, ...(provider.reverse ? { reverse: provider.reverse.bind(provider) } : {}) };
};
