import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppError, lngLat } from '@geocrm/domain';
import { afterEach, describe, expect, it } from 'vitest';
import { banIndexFor, createBanProvider } from './ban.ts';
import { createMemoryGeocodeCache, geocodeCacheKey, withCache } from './cache.ts';
import { createEmbeddedProvider } from './embedded.ts';
import { createGeocoderProvider, geocoderConfigFromEnv } from './factory.ts';
import { createRateLimiter, parseRetryAfter } from './http.ts';
import { createNominatimProvider, NOMINATIM_PUBLIC_URL, nominatimRateFor } from './nominatim.ts';
import { createPeliasProvider } from './pelias.ts';
import { createPhotonProvider } from './photon.ts';

const fixture = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

interface Recorded {
  readonly url: URL;
  readonly headers: IncomingMessage['headers'];
  readonly at: number;
}
type Reply = { status?: number; body?: string; headers?: Record<string, string> } | 'hang';

/** A real HTTP server on 127.0.0.1:0 answering from a queue of replies (the last one repeats). */
const startServer = async (...replies: Reply[]): Promise<{ url: string; requests: Recorded[]; server: Server }> => {
  const requests: Recorded[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    requests.push({ url: new URL(req.url ?? '/', 'http://127.0.0.1'), headers: req.headers, at: performance.now() });
    const reply = replies.length > 1 ? replies.shift() : replies[0];
    if (reply === undefined || reply === 'hang') return;
    res.writeHead(reply.status ?? 200, { 'content-type': 'application/json; charset=utf-8', ...reply.headers });
    res.end(reply.body ?? '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, requests, server };
};
const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
});

const UA = 'GeoCRM-test/1.0 (ops@geocrm.example)';
const json = (name: string): Reply => ({ body: fixture(name) });
const rejection = async (p: Promise<unknown>): Promise<AppError> => {
  try {
    await p;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected a rejection');
};

describe('BAN / Géoplateforme', () => {
  it('sends q, limit and autocomplete=0 to /search/ and maps type and score one to one', async () => {
    const srv = await startServer(json('ban-search.json'));
    const ban = createBanProvider({ baseUrl: `${srv.url}/geocodage`, userAgent: UA });
    const result = await ban.geocode({ street: '18, rue Roger-Salengro', postcode: '59217', city: 'Cattenières' }, { limit: 3 });
    const req = srv.requests[0];
    expect(req?.url.pathname).toBe('/geocodage/search/');
    expect(req?.url.searchParams.get('q')).toBe('18, rue Roger-Salengro, 59217 Cattenières');
    expect(req?.url.searchParams.get('limit')).toBe('3');
    expect(req?.url.searchParams.get('autocomplete')).toBe('0');
    expect(req?.headers['user-agent']).toBe(UA);
    expect(result.features.map((f) => [f.properties.precision, f.properties.score])).toEqual([
      ['housenumber', 0.972],
      ['street', 0.712],
      ['municipality', 0.421],
    ]);
    expect(result.features[0]?.geometry.coordinates).toEqual([3.335271, 50.134152]);
    expect(result.features[0]?.properties).toMatchObject({
      label: '18 Rue Roger Salengro 59217 Cattenières', housenumber: '18', street: 'Rue Roger Salengro', citycode: '59138',
      context: '59, Nord, Hauts-de-France', source: 'ban', id: '59138_0190_00018',
    });
  });

  it('asks the Géoplateforme for addresses only (index=address) and answers nothing to a too short query without calling', async () => {
    const srv = await startServer(json('ban-search.json'));
    const ban = createBanProvider({ baseUrl: srv.url });
    expect((await ban.geocode('  ,a ')).features).toEqual([]);
    expect(srv.requests).toHaveLength(0);
    expect(srv.requests[0]?.url.searchParams.has('index')).toBeFalsy();
    // index=address only for the Géoplateforme (decided by host, not checked by calling it).
    expect(banIndexFor('https://data.geopf.fr/geocodage')).toBe('address');
    expect(banIndexFor('https://api-adresse.data.gouv.fr')).toBeUndefined();
  });

  it('reverse geocodes through /reverse/ with lon and lat', async () => {
    const srv = await startServer(json('ban-search.json'));
    const ban = createBanProvider({ baseUrl: srv.url });
    const found = await ban.reverse?.(lngLat(3.335271, 50.134152));
    expect(srv.requests[0]?.url.pathname).toBe('/reverse/');
    expect(Object.fromEntries(srv.requests[0]?.url.searchParams ?? [])).toEqual({ lon: '3.335271', lat: '50.134152', limit: '1' });
    expect(found?.features[0]?.properties.id).toBe('59138_0190_00018');
  });
});

describe('Nominatim', () => {
  it('keeps to 1 request per second on the public instance', () => {
    expect(nominatimRateFor(NOMINATIM_PUBLIC_URL, 5)).toBe(1);
    expect(nominatimRateFor(NOMINATIM_PUBLIC_URL, undefined)).toBe(1);
    expect(nominatimRateFor('http://nominatim.internal:8080', 20)).toBe(20);
  });

  it('requires a User-Agent', () => {
    expect(() => createNominatimProvider({ baseUrl: 'http://127.0.0.1:9' })).toThrow(AppError);
    expect(() => createNominatimProvider({ userAgent: '  ' })).toThrow(/User-Agent/);
  });

  it('sends format=jsonv2, addressdetails and the User-Agent; maps addresstype / place_rank to precision', async () => {
    const srv = await startServer(json('nominatim-search.json'));
    const nominatim = createNominatimProvider({ baseUrl: srv.url, userAgent: UA, countryCodes: 'fr' });
    const result = await nominatim.geocode('10 place du Général de Gaulle 59000 Lille');
    const req = srv.requests[0];
    expect(req?.url.pathname).toBe('/search');
    expect(Object.fromEntries(req?.url.searchParams ?? [])).toEqual({
      format: 'jsonv2', addressdetails: '1', 'accept-language': 'fr', q: '10 place du Général de Gaulle 59000 Lille', limit: '5', countrycodes: 'fr',
    });
    expect(req?.headers['user-agent']).toBe(UA);
    const [house, road, city] = result.features;
    expect(house?.properties).toMatchObject({
      precision: 'housenumber', housenumber: '10', street: 'Place du Général de Gaulle', postcode: '59000', city: 'Lille', citycode: '59350',
      context: '59, Nord, Hauts-de-France', source: 'nominatim', id: 'node/3109264512', providerType: 'place',
    });
    expect(house?.geometry.coordinates).toEqual([3.0632937, 50.636741]);
    // No match confidence in Nominatim: agreement with the query, importance as a tie-break.
    expect(house?.properties.score).toBe(0.9);
    expect(road?.properties.precision).toBe('street');
    // Another postcode of the same département.
    expect(road?.properties.score).toBeCloseTo(0.9 * 0.85 + 0.1 * 0.1067, 3);
    expect(city?.properties.precision).toBe('municipality');
  });

  it('reverse geocodes through /reverse', async () => {
    const srv = await startServer(json('nominatim-reverse.json'), { body: '{"error":"Unable to geocode"}' });
    const nominatim = createNominatimProvider({ baseUrl: srv.url, userAgent: UA, ratePerSecond: 50 });
    const at = lngLat(3.48511, 50.30802);
    const found = await nominatim.reverse?.(at);
    expect(srv.requests[0]?.url.pathname).toBe('/reverse');
    expect(srv.requests[0]?.url.searchParams.get('lat')).toBe('50.30802');
    expect(found?.features[0]?.properties).toMatchObject({ precision: 'housenumber', city: 'Maing', citycode: '59369', housenumber: '47' });
    expect((await nominatim.reverse?.(at))?.features).toEqual([]);
  });
});

describe('Photon', () => {
  it('calls /api?q= and maps type house / street / city', async () => {
    const srv = await startServer(json('photon-search.json'));
    const photon = createPhotonProvider({ baseUrl: srv.url, userAgent: UA });
    const result = await photon.geocode('47 rue Jean Jaurès 59233 Maing', { limit: 3 });
    expect(srv.requests[0]?.url.pathname).toBe('/api');
    expect(srv.requests[0]?.url.searchParams.get('q')).toBe('47 rue Jean Jaurès 59233 Maing');
    expect(srv.requests[0]?.url.searchParams.get('lang')).toBe('fr');
    expect(result.features.map((f) => f.properties.precision)).toEqual(['housenumber', 'street', 'municipality']);
    expect(result.features[0]?.properties).toMatchObject({
      label: '47 Rue Jean Jaurès 59233 Maing', score: 1, citycode: '59369', context: '59, Nord, Hauts-de-France', id: 'N/4213345781', source: 'photon',
    });
    expect(result.features[2]?.properties).toMatchObject({ city: 'Maing', label: 'Maing 59233', citycode: '59369' });
  });
});

describe('Photon reverse', () => {
  it('calls /reverse with lon and lat', async () => {
    const srv = await startServer(json('photon-search.json'));
    const photon = createPhotonProvider({ baseUrl: srv.url });
    const found = await photon.reverse?.(lngLat(3.4851127, 50.3080212));
    expect(srv.requests[0]?.url.pathname).toBe('/reverse');
    expect(srv.requests[0]?.url.searchParams.get('lat')).toBe('50.3080212');
    expect(found?.features[0]?.properties).toMatchObject({ precision: 'housenumber', score: 1 });
  });
});

describe('Pelias', () => {
  it('calls /v1/search?text= and maps layer to precision, confidence to score', async () => {
    const srv = await startServer(json('pelias-search.json'));
    const pelias = createPeliasProvider({ baseUrl: srv.url, userAgent: UA, apiKey: 'k-123' });
    const result = await pelias.geocode({ street: "87 avenue d'Italie", postcode: '75013', city: 'Paris', country: 'France' });
    const req = srv.requests[0];
    expect(req?.url.pathname).toBe('/v1/search');
    expect(req?.url.searchParams.get('text')).toBe("87 avenue d'Italie, 75013 Paris, France");
    expect(req?.url.searchParams.get('api_key')).toBe('k-123');
    expect(req?.url.searchParams.get('size')).toBe('5');
    expect(result.features.map((f) => [f.properties.precision, f.properties.score])).toEqual([
      ['housenumber', 1],
      ['street', 0.8],
      ['municipality', 0.6],
    ]);
    expect(result.features[0]?.properties).toMatchObject({ postcode: '75013', city: 'Paris', housenumber: '87', context: '75, Paris, Île-de-France', id: 'openaddresses:address:fr/paris:540a04e70ad9a088' });
  });

  it('reverse geocodes through /v1/reverse', async () => {
    const srv = await startServer(json('pelias-search.json'));
    const pelias = createPeliasProvider({ baseUrl: srv.url });
    await pelias.reverse?.(lngLat(2.358434, 48.824031));
    expect(srv.requests[0]?.url.pathname).toBe('/v1/reverse');
    expect(srv.requests[0]?.url.searchParams.get('point.lat')).toBe('48.824031');
    expect(srv.requests[0]?.url.searchParams.get('point.lon')).toBe('2.358434');
  });

  it('has no public default URL', () => {
    expect(() => createGeocoderProvider({ provider: 'pelias' })).toThrow(/GEOCODER_URL/);
  });
});

describe('embedded', () => {
  it('wraps the offline gazetteer', async () => {
    const embedded = createEmbeddedProvider();
    const found = await embedded.geocode('47 RUE JEAN JAURES 59233 MAING', { limit: 1 });
    expect(found.features[0]?.properties).toMatchObject({ citycode: '59369', precision: 'municipality', source: 'gazetteer' });
    const back = await embedded.reverse?.(lngLat(3.3345, 50.13459));
    expect(back?.features[0]?.properties).toMatchObject({ citycode: '59138', city: 'Cattenières' });
  });
});

describe('HTTP plumbing', () => {
  it('retries after a 503', async () => {
    const srv = await startServer({ status: 503, body: 'busy' }, json('ban-search.json'));
    const ban = createBanProvider({ baseUrl: srv.url, backoffMs: 5 });
    const result = await ban.geocode('18 rue Roger Salengro 59217 Cattenières');
    expect(srv.requests).toHaveLength(2);
    expect(result.features).toHaveLength(3);
  });

  it('gives up with UNAVAILABLE after the retries', async () => {
    const srv = await startServer({ status: 502 });
    const ban = createBanProvider({ baseUrl: srv.url, backoffMs: 1, retries: 2 });
    const error = await rejection(ban.geocode('18 rue Roger Salengro 59217 Cattenières'));
    expect(error.code).toBe('UNAVAILABLE');
    expect(error.details).toMatchObject({ provider: 'ban', status: 502, attempts: 3 });
    expect(srv.requests).toHaveLength(3);
  });

  it('waits for the Retry-After of a 429 before retrying', async () => {
    const srv = await startServer({ status: 429, headers: { 'retry-after': '1' } }, json('photon-search.json'));
    const photon = createPhotonProvider({ baseUrl: srv.url, backoffMs: 1 });
    await photon.geocode('47 rue Jean Jaurès 59233 Maing');
    const [first, second] = srv.requests;
    expect(srv.requests).toHaveLength(2);
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(990);
  });

  it('fails at once with RATE_LIMITED when Retry-After is too long to wait', async () => {
    const srv = await startServer({ status: 429, headers: { 'retry-after': '120' } });
    const photon = createPhotonProvider({ baseUrl: srv.url, backoffMs: 1 });
    const error = await rejection(photon.geocode('Maing'));
    expect(error.code).toBe('RATE_LIMITED');
    expect(error.details).toMatchObject({ retryAfterMs: 120_000 });
    expect(srv.requests).toHaveLength(1);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(parseRetryAfter('2')).toBe(2000);
    expect(parseRetryAfter('Mon, 23 Nov 2026 12:00:30 GMT', Date.parse('2026-11-23T12:00:00Z'))).toBe(30_000);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
  });

  it('turns a timeout into UNAVAILABLE', async () => {
    const srv = await startServer('hang');
    const ban = createBanProvider({ baseUrl: srv.url, timeoutMs: 100, retries: 1, backoffMs: 1 });
    const error = await rejection(ban.geocode('18 rue Roger Salengro 59217 Cattenières'));
    expect(error.code).toBe('UNAVAILABLE');
    expect(error.details).toMatchObject({ reason: 'timeout', attempts: 2 });
    expect(srv.requests).toHaveLength(2);
  });

  it('turns a 400 into VALIDATION without retrying', async () => {
    const srv = await startServer({ status: 400, body: '{"code":400,"message":"q must contain between 3 and 200 chars"}' });
    const ban = createBanProvider({ baseUrl: srv.url, backoffMs: 1 });
    expect((await rejection(ban.geocode('xyz'))).code).toBe('VALIDATION');
    expect(srv.requests).toHaveLength(1);
  });

  it('does not retry a call the caller aborted', async () => {
    const srv = await startServer('hang');
    const ban = createBanProvider({ baseUrl: srv.url, backoffMs: 1 });
    const controller = new AbortController();
    const pending = ban.geocode('18 rue Roger Salengro', { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toThrow();
    expect(srv.requests).toHaveLength(1);
  });

  it('spaces concurrent calls by the rate limit: N calls take at least (N − 1) / rate', async () => {
    const srv = await startServer(json('photon-search.json'));
    const rate = 20;
    const photon = createPhotonProvider({ baseUrl: srv.url, ratePerSecond: rate });
    const n = 6;
    const started = performance.now();
    await Promise.all(Array.from({ length: n }, (_, i) => photon.geocode(`${i + 1} rue Jean Jaurès 59233 Maing`)));
    const elapsed = performance.now() - started;
    expect(srv.requests).toHaveLength(n);
    // Lower bound only (a loaded machine is slower, never faster); 2 ms for timer rounding.
    expect(elapsed).toBeGreaterThanOrEqual(((n - 1) / rate) * 1000 - 2);
  });

  it('a timer that fires late does not bring the next request closer than the interval', async () => {
    const limiter = createRateLimiter(20); // 50 ms apart
    await limiter.acquire();
    const second = limiter.acquire();
    const busyUntil = performance.now() + 120; // a busy event loop: the second's timer fires ~70 ms late
    while (performance.now() < busyUntil) {
      // spin
    }
    await second;
    const secondAt = performance.now();
    await limiter.acquire();
    expect(performance.now() - secondAt).toBeGreaterThanOrEqual(45);
  });

  it('a limiter pause holds back the next caller', async () => {
    // A frozen clock: the wait is exactly the pause.
    const limiter = createRateLimiter(0, () => 0);
    limiter.pause(30);
    const started = performance.now();
    await limiter.acquire();
    expect(performance.now() - started).toBeGreaterThanOrEqual(28);
  });
});

describe('withCache', () => {
  it('answers the same normalised query from the cache without a second HTTP call', async () => {
    const srv = await startServer(json('ban-search.json'));
    const cache = createMemoryGeocodeCache();
    const ban = withCache(createBanProvider({ baseUrl: srv.url }), cache, { ttl: 60_000, failureTtl: 60_000 });
    const first = await ban.geocode('18, rue Roger-Salengro 59217 Cattenières');
    const second = await ban.geocode('18 RUE ROGER SALENGRO 59217 CATTENIERES');
    expect(srv.requests).toHaveLength(1);
    expect(second).toEqual(first);
    expect([...cache.entries.keys()]).toEqual([geocodeCacheKey('ban', '18 rue roger salengro 59217 cattenieres', 5)]);
  });

  it('makes one call for the same address asked twice at once', async () => {
    const srv = await startServer(json('ban-search.json'));
    const ban = withCache(createBanProvider({ baseUrl: srv.url }), createMemoryGeocodeCache());
    const [a, b] = await Promise.all([ban.geocode('18 rue Roger Salengro 59217 Cattenières'), ban.geocode('18 RUE ROGER SALENGRO 59217 CATTENIERES')]);
    expect(srv.requests).toHaveLength(1);
    expect(b).toBe(a);
  });

  it('calls again once the answer expired', async () => {
    const srv = await startServer(json('ban-search.json'));
    let now = 1_000_000;
    const ban = withCache(createBanProvider({ baseUrl: srv.url }), createMemoryGeocodeCache(), { ttl: 1000, now: () => now });
    await ban.geocode('18 rue Roger Salengro 59217 Cattenières');
    now += 1001;
    await ban.geocode('18 rue Roger Salengro 59217 Cattenières');
    expect(srv.requests).toHaveLength(2);
  });

  it('marks an address with no result and does not ask again before failureTtl', async () => {
    const srv = await startServer({ body: '{"type":"FeatureCollection","features":[]}' });
    let now = 1_000_000;
    const cache = createMemoryGeocodeCache();
    const ban = withCache(createBanProvider({ baseUrl: srv.url }), cache, { failureTtl: 10_000, now: () => now });
    expect((await ban.geocode('99 rue Inconnue 59217 Cattenières')).features).toEqual([]);
    now += 9_999;
    expect((await ban.geocode('99 rue Inconnue 59217 Cattenières')).features).toEqual([]);
    expect(srv.requests).toHaveLength(1);
    now += 2;
    await ban.geocode('99 rue Inconnue 59217 Cattenières');
    expect(srv.requests).toHaveLength(2);
    // A second failure in a row waits twice as long.
    const entry = [...cache.entries.values()][0];
    expect(entry).toMatchObject({ kind: 'failure', reason: 'not-found', attempts: 2, retryAfter: now + 20_000 });
  });

  it('marks a failed call: the error is rethrown from the cache until retryAfter', async () => {
    const srv = await startServer({ status: 503 });
    let now = 1_000_000;
    const ban = withCache(createBanProvider({ baseUrl: srv.url, retries: 0 }), createMemoryGeocodeCache(), { failureTtl: 86_400_000, errorTtl: 60_000, now: () => now });
    expect((await rejection(ban.geocode('18 rue Roger Salengro 59217 Cattenières'))).details).toMatchObject({ status: 503 });
    const cached = await rejection(ban.geocode('18 rue Roger Salengro 59217 Cattenières'));
    expect(cached.code).toBe('UNAVAILABLE');
    expect(cached.details).toMatchObject({ cached: true, attempts: 1 });
    expect(srv.requests).toHaveLength(1);
    now += 60_001;
    await rejection(ban.geocode('18 rue Roger Salengro 59217 Cattenières'));
    expect(srv.requests).toHaveLength(2);
  });

  it('shelves a query the provider rejects for failureTtl', async () => {
    const srv = await startServer({ status: 400 });
    let now = 1_000_000;
    const ban = withCache(createBanProvider({ baseUrl: srv.url }), createMemoryGeocodeCache(), { failureTtl: 86_400_000, errorTtl: 1000, now: () => now });
    expect((await rejection(ban.geocode('zzz'))).code).toBe('VALIDATION');
    now += 60_000;
    expect((await rejection(ban.geocode('zzz'))).details).toMatchObject({ cached: true });
    expect(srv.requests).toHaveLength(1);
  });

  it('keeps a long Retry-After as the failure wait', async () => {
    const srv = await startServer({ status: 429, headers: { 'retry-after': '3600' } });
    const now = 1_000_000;
    const cache = createMemoryGeocodeCache();
    const photon = withCache(createPhotonProvider({ baseUrl: srv.url }), cache, { errorTtl: 1000, now: () => now });
    expect((await rejection(photon.geocode('Maing'))).code).toBe('RATE_LIMITED');
    expect([...cache.entries.values()][0]).toMatchObject({ kind: 'failure', reason: 'error', code: 'RATE_LIMITED', retryAfter: now + 3_600_000 });
    expect((await rejection(photon.geocode('Maing'))).code).toBe('RATE_LIMITED');
    expect(srv.requests).toHaveLength(1);
  });
});

describe('configuration', () => {
  it('reads GEOCODER_* and builds the provider', async () => {
    const srv = await startServer(json('nominatim-search.json'));
    const config = geocoderConfigFromEnv({ GEOCODER: 'nominatim', GEOCODER_URL: srv.url, GEOCODER_USER_AGENT: UA, GEOCODER_RATE_PER_SEC: '20', GEOCODER_TIMEOUT_MS: '2000' });
    expect(config).toEqual({ provider: 'nominatim', baseUrl: srv.url, userAgent: UA, ratePerSecond: 20, timeoutMs: 2000 });
    const provider = createGeocoderProvider(config);
    expect(provider.name).toBe('nominatim');
    await provider.geocode('Lille');
    expect(srv.requests[0]?.headers['user-agent']).toBe(UA);
  });

  it('defaults to the embedded geocoder and rejects bad settings', () => {
    expect(createGeocoderProvider(geocoderConfigFromEnv({})).name).toBe('embedded');
    expect(() => geocoderConfigFromEnv({ GEOCODER: 'google' })).toThrow(/GEOCODER must be one of/);
    expect(() => geocoderConfigFromEnv({ GEOCODER: 'ban', GEOCODER_RATE_PER_SEC: 'fast' })).toThrow(/GEOCODER_RATE_PER_SEC/);
    expect(() => createGeocoderProvider(geocoderConfigFromEnv({ GEOCODER: 'nominatim' }))).toThrow(/User-Agent/);
    expect(() => createGeocoderProvider({ provider: 'ban', baseUrl: 'not a url' })).toThrow(/GEOCODER_URL/);
  });
});
