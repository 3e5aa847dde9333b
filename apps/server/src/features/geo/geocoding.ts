import { AppError, isAppError, type GeoPrecision, type GeoSource } from '@geocrm/domain';
import type { AddressPointsRepository } from '@geocrm/db';
import {
  createEmbeddedProvider,
  createGeocoderProvider,
  withAddressPoints,
  withCache,
  type CachedEntry,
  type GeocodeCache,
  type GeocodeQuery,
  type GeocoderConfig,
  type GeocoderName,
  type GeocoderProvider,
  type ProviderGeocodeFeature,
  type ProviderGeocodeResult,
} from '@geocrm/geo';

/** Below this a candidate is a guess: better no pin than a wrong one. */
const MIN_SCORE = 0.55;
/** How long "this organisation has address files" is remembered (loads and removals clear it at once). */
const POINTS_MEMO_MS = 60_000;

export interface Placement {
  readonly location: { lng: number; lat: number };
  readonly geo: { precision: GeoPrecision; source: GeoSource; manual: false; score: number };
}

export interface AccountAddressInput {
  readonly line1: string;
  readonly line2: string;
  readonly postcode: string;
  readonly city: string;
  readonly country: string;
}

const SOURCE_OF: Readonly<Record<ProviderGeocodeFeature['properties']['source'], GeoSource>> = {
  gazetteer: 'gazetteer',
  addresses: 'address_points',
  nominatim: 'nominatim',
  photon: 'photon',
  ban: 'ban',
  pelias: 'pelias',
};

/** The best candidate as an account placement, or null when it is too coarse or too unsure to be a pin. */
export const toPlacement = (feature: ProviderGeocodeFeature | undefined): Placement | null => {
  if (!feature) return null;
  const { precision, score, source } = feature.properties;
  if (precision === 'region' || precision === 'country' || score < MIN_SCORE) return null;
  const [lng, lat] = feature.geometry.coordinates;
  return { location: { lng, lat }, geo: { precision, source: SOURCE_OF[source], manual: false, score: Math.round(score * 100) / 100 } };
};

const addressQuery = (a: AccountAddressInput): GeocodeQuery => {
  // line2 is usually a complement (building, BP…); it is the street only when line1 is empty.
  const street = a.line1.trim() || a.line2.trim();
  return { street, postcode: a.postcode, city: a.city, ...(a.country ? { country: a.country } : {}) };
};

/** What a background job learns of one address: a placement, no confident answer, or a failure (each with why). */
export type JobPlacement =
  | { readonly kind: 'placed'; readonly placement: Placement }
  | { readonly kind: 'not_found'; readonly reason: string }
  | { readonly kind: 'failed'; readonly reason: string };

const describeBest = (feature: ProviderGeocodeFeature | undefined): string => {
  if (!feature) return 'the geocoder knows no such place';
  const { label, precision, score } = feature.properties;
  return `best answer "${label}" (${precision}, score ${score.toFixed(2)}) is too ${precision === 'region' || precision === 'country' ? 'coarse' : 'unsure'} to be a pin`;
};

/** The geocoding cache in the database (shared by every organisation: answers do not depend on who asks). */
export const databaseGeocodeCache = (repo: AddressPointsRepository): GeocodeCache => ({
  get: async (key) => (await repo.cacheGet(key)) as CachedEntry | undefined,
  set: (key, entry) => repo.cacheSet(key, entry),
});

/**
 * Geocoding for the CRM: the organisation's address files first (house numbers, no network), then
 * the configured provider (the embedded gazetteer by default; Nominatim, Photon, BAN or Pelias with
 * `GEOCODER`), cached in the database. When an online provider fails, the gazetteer answers so an
 * account is never refused for a network problem; the failure is remembered by the cache.
 */
export class Geocoding {
  readonly #embedded: GeocoderProvider;
  readonly #online: GeocoderProvider | null;
  readonly #points: AddressPointsRepository;
  readonly #hasPoints = new Map<string, { value: boolean; at: number }>();

  constructor(deps: { config: GeocoderConfig; points: AddressPointsRepository; cache?: GeocodeCache }) {
    this.#embedded = createEmbeddedProvider();
    this.#points = deps.points;
    this.#online = deps.config.provider === 'embedded' ? null : withCache(createGeocoderProvider(deps.config), deps.cache ?? databaseGeocodeCache(deps.points));
  }

  /** The providers a person may choose from: the embedded gazetteer, and the configured online one. */
  get providers(): GeocoderName[] {
    return this.#online ? ['embedded', this.#online.name] : ['embedded'];
  }

  /** Forget what is known of an organisation's address files (after a load or a removal). */
  forgetPoints(orgId: string): void {
    this.#hasPoints.delete(orgId);
  }

  async #withPoints(orgId: string, provider: GeocoderProvider): Promise<GeocoderProvider> {
    const memo = this.#hasPoints.get(orgId);
    let has = memo && Date.now() - memo.at < POINTS_MEMO_MS ? memo.value : undefined;
    if (has === undefined) {
      has = await this.#points.hasPoints(orgId);
      this.#hasPoints.set(orgId, { value: has, at: Date.now() });
    }
    if (!has) return provider;
    return withAddressPoints(provider, { findAddressPoints: (where) => this.#points.find(orgId, where) });
  }

  #provider(name: GeocoderName | undefined): GeocoderProvider {
    if (name === undefined) return this.#online ?? this.#embedded;
    if (name === 'embedded') return this.#embedded;
    if (this.#online?.name === name) return this.#online;
    throw new AppError('VALIDATION', `The geocoder "${name}" is not configured; available: ${this.providers.join(', ')}`, { details: { field: 'provider' } });
  }

  /** Candidates for a query, best first. */
  async search(orgId: string, query: GeocodeQuery, options: { limit?: number; provider?: GeocoderName } = {}): Promise<ProviderGeocodeResult> {
    const provider = await this.#withPoints(orgId, this.#provider(options.provider));
    try {
      return await provider.geocode(query, { limit: options.limit ?? 5 });
    } catch (error) {
      // the configured online geocoder is down: the offline one still answers
      if (provider.name !== 'embedded' && isAppError(error) && (error.code === 'UNAVAILABLE' || error.code === 'RATE_LIMITED')) {
        return (await this.#withPoints(orgId, this.#embedded)).geocode(query, { limit: options.limit ?? 5 });
      }
      throw error;
    }
  }

  /**
   * For background jobs: the named provider only, never the offline fallback (a job must say that the
   * online geocoder failed, not quietly put back a town-level pin), with the reason when not placed.
   */
  async placeForJob(orgId: string, address: AccountAddressInput, provider: GeocoderName): Promise<JobPlacement> {
    const query = addressQuery(address);
    if (typeof query !== 'string' && !query.street && !query.postcode && !query.city) return { kind: 'not_found', reason: 'The account has no address' };
    let best: ProviderGeocodeFeature | undefined;
    try {
      best = (await (await this.#withPoints(orgId, this.#provider(provider))).geocode(query, { limit: 1 })).features[0];
    } catch (error) {
      return { kind: 'failed', reason: isAppError(error) || error instanceof Error ? error.message : String(error) };
    }
    const placement = toPlacement(best);
    return placement ? { kind: 'placed', placement } : { kind: 'not_found', reason: `No confident place: ${describeBest(best)}` };
  }

  /** Where an account's address is, or null when it cannot be placed with confidence. */
  async place(orgId: string, address: AccountAddressInput, provider?: GeocoderName): Promise<Placement | null> {
    const query = addressQuery(address);
    if (typeof query !== 'string' && !query.street && !query.postcode && !query.city) return null;
    return toPlacement((await this.search(orgId, query, { limit: 1, ...(provider ? { provider } : {}) })).features[0]);
  }
}
