import { AppError, lngLat, type LngLat } from '@geocrm/domain';
import { afterEach, describe, expect, it } from 'vitest';
import { createOsrmMatrixProvider } from './osrm.ts';
import { fixture, startServer, type RecordedRequest, type Reply, type TestServer } from './test-server.ts';
import { toTravelMatrix } from './types.ts';

const paris = lngLat(2.3522, 48.8566);
const lyon = lngLat(4.832, 45.7578);
const lille = lngLat(3.063, 50.6367);
const marseille = lngLat(5.374, 43.2951);
const paimpol = lngLat(-3.0466, 48.7787);
const brehat = lngLat(-3.0003, 48.847);
const saintBrieuc = lngLat(-2.7603, 48.5141);

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const serve = async (handler: (request: RecordedRequest, index: number) => Reply): Promise<TestServer> => {
  server = await startServer(handler);
  return server;
};

const errorOf = async (promise: Promise<unknown>): Promise<AppError> => {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected a rejection');
};

/** Parses `/table/v1/{profile}/{coords}?query` as OSRM does. */
const parseTable = (url: string): { profile: string; coords: [number, number][]; sources?: number[]; destinations?: number[]; annotations: string | null } => {
  const parsed = new URL(url, 'http://x');
  const [, , , profile = '', coords = ''] = parsed.pathname.split('/');
  const list = (name: string): number[] | undefined => parsed.searchParams.get(name)?.split(';').map(Number);
  const sources = list('sources');
  const destinations = list('destinations');
  return {
    profile,
    coords: decodeURIComponent(coords)
      .split(';')
      .map((c) => c.split(',').map(Number) as [number, number]),
    ...(sources ? { sources } : {}),
    ...(destinations ? { destinations } : {}),
    annotations: parsed.searchParams.get('annotations'),
  };
};

describe('OSRM matrix provider', () => {
  it('requests /table with the coordinates and reads durations and distances (rounded)', async () => {
    const s = await serve(() => ({ body: fixture('osrm-table-4-cities.json') }));
    const provider = createOsrmMatrixProvider({ baseUrl: `${s.url}/`, retryDelayMs: 1 });
    expect(provider.name).toBe('osrm');
    const result = await provider.matrix([paris, lyon, lille, marseille]);
    expect(s.requests).toHaveLength(1);
    expect(s.requests[0]?.method).toBe('GET');
    expect(s.requests[0]?.url).toBe('/table/v1/driving/2.3522,48.8566;4.832,45.7578;3.063,50.6367;5.374,43.2951?annotations=duration,distance');
    expect(result).toMatchObject({ provider: 'osrm', unreachable: 0 });
    expect(result.durations[0]).toEqual([0, 15612, 8021, 26410]);
    expect(result.durations[1]?.[0]).toBe(15581); // not symmetric: the engine's answer as is
    expect(result.distances[2]?.[3]).toBe(1_000_530);
    expect(toTravelMatrix(result).distances[0]?.[1]).toBe(465_210);
  });

  it('asks for sources and destinations of a rectangular matrix and keeps unreachable pairs as null', async () => {
    const s = await serve(() => ({ body: fixture('osrm-table-unreachable.json') }));
    const provider = createOsrmMatrixProvider({ baseUrl: s.url, profile: 'car' });
    const result = await provider.matrix([paimpol], [brehat, saintBrieuc]);
    expect(s.requests[0]?.url).toBe('/table/v1/car/-3.0466,48.7787;-3.0003,48.847;-2.7603,48.5141?sources=0&destinations=1;2&annotations=duration,distance');
    expect(result).toEqual({ provider: 'osrm', durations: [[null, 2410]], distances: [[null, 46_211]], unreachable: 1 });
    const infeasible = (() => {
      try {
        return toTravelMatrix(result);
      } catch (error) {
        return error;
      }
    })();
    expect(infeasible).toMatchObject({ code: 'INFEASIBLE', details: { provider: 'osrm', unreachable: 1, pairs: [[0, 0]] } });
  });

  /** Answers any table request from the coordinates: point k is at lng 1 + k/1000, value = 1000 × from + to. */
  const synthetic = (request: RecordedRequest): Reply => {
    const { coords, sources, destinations } = parseTable(request.url);
    const ids = coords.map(([lng]) => Math.round((lng - 1) * 1000));
    const rows = sources ?? ids.map((_, i) => i);
    const cols = destinations ?? ids.map((_, i) => i);
    const value = (r: number, c: number): number => 1000 * (ids[r] ?? NaN) + (ids[c] ?? NaN);
    return {
      body: {
        code: 'Ok',
        durations: rows.map((r) => cols.map((c) => value(r, c) + 0.25)),
        distances: rows.map((r) => cols.map((c) => 10 * value(r, c))),
        sources: rows.map((r) => ({ hint: '', distance: 0, name: '', location: coords[r] })),
        destinations: cols.map((c) => ({ hint: '', distance: 0, name: '', location: coords[c] })),
      },
    };
  };
  const line = (n: number, offset = 0): LngLat[] => Array.from({ length: n }, (_, k) => lngLat(1 + (k + offset) / 1000, 47 + (k % 7) / 100));

  it('splits a 250-point matrix into requests of at most 100 coordinates and reassembles it', async () => {
    const s = await serve(synthetic);
    const provider = createOsrmMatrixProvider({ baseUrl: s.url, maxLocations: 100, concurrency: 3 });
    const result = await provider.matrix(line(250));
    // 5 chunks of 50, one request per pair of chunks (each gives both off-diagonal blocks).
    expect(s.requests).toHaveLength(10);
    for (const r of s.requests) expect(parseTable(r.url).coords.length).toBeLessThanOrEqual(100);
    expect(result.unreachable).toBe(0);
    for (let i = 0; i < 250; i++) {
      for (let j = 0; j < 250; j++) {
        if (result.durations[i]?.[j] !== 1000 * i + j || result.distances[i]?.[j] !== 10 * (1000 * i + j)) {
          throw new Error(`wrong cell ${i}→${j}: ${result.durations[i]?.[j]}`);
        }
      }
    }
  });

  it('splits a rectangular matrix with sources and destinations in every request', async () => {
    const s = await serve(synthetic);
    const provider = createOsrmMatrixProvider({ baseUrl: s.url, maxLocations: 100 });
    const sources = line(130);
    const destinations = line(70, 500);
    const result = await provider.matrix(sources, destinations);
    expect(s.requests).toHaveLength(3 * 2); // 50 rows × 50 columns per request
    for (const r of s.requests) {
      const parsed = parseTable(r.url);
      expect(parsed.coords.length).toBeLessThanOrEqual(100);
      expect((parsed.sources?.length ?? 0) + (parsed.destinations?.length ?? 0)).toBe(parsed.coords.length);
    }
    expect(result.durations).toHaveLength(130);
    expect(result.durations[129]).toHaveLength(70);
    expect(result.durations[129]?.[69]).toBe(1000 * 129 + 569);
    expect(result.distances[0]?.[0]).toBe(10 * 500);
  });

  it('retries after a 500 and succeeds', async () => {
    const s = await serve((_, index) => (index === 0 ? { status: 500, body: 'upstream exploded' } : { body: fixture('osrm-table-4-cities.json') }));
    const provider = createOsrmMatrixProvider({ baseUrl: s.url, retries: 2, retryDelayMs: 5 });
    const result = await provider.matrix([paris, lyon, lille, marseille]);
    expect(s.requests).toHaveLength(2);
    expect(result.durations[0]?.[1]).toBe(15612);
  });

  it('honours Retry-After on 429', async () => {
    const s = await serve((_, index) => (index === 0 ? { status: 429, headers: { 'retry-after': '0' }, body: { message: 'Too Many Requests' } } : { body: fixture('osrm-table-4-cities.json') }));
    const provider = createOsrmMatrixProvider({ baseUrl: s.url, retries: 1, retryDelayMs: 60_000 });
    const result = await provider.matrix([paris, lyon, lille, marseille]);
    expect(s.requests).toHaveLength(2);
    expect(result.unreachable).toBe(0);
  });

  it('gives up with UNAVAILABLE after the retries', async () => {
    const s = await serve(() => ({ status: 503, body: 'Service Unavailable' }));
    const provider = createOsrmMatrixProvider({ baseUrl: s.url, retries: 2, retryDelayMs: 1 });
    const error = await errorOf(provider.matrix([paris, lyon]));
    expect(s.requests).toHaveLength(3);
    expect(error.code).toBe('UNAVAILABLE');
    expect(error.message).toContain('HTTP 503');
    expect(error.details).toMatchObject({ provider: 'osrm', attempts: 3, status: 503 });
  });

  it('reports a refused query (400 InvalidQuery) as UNAVAILABLE with OSRM’s message, without retrying', async () => {
    const s = await serve(() => ({ status: 400, body: fixture('osrm-error-invalid-query.json') }));
    const provider = createOsrmMatrixProvider({ baseUrl: s.url, retryDelayMs: 1 });
    const error = await errorOf(provider.matrix([paris, lyon]));
    expect(s.requests).toHaveLength(1);
    expect(error.code).toBe('UNAVAILABLE');
    expect(error.message).toBe('OSRM refused the travel matrix request (InvalidQuery): Query string malformed close to position 28');
    expect(error.details).toMatchObject({ status: 400, code: 'InvalidQuery' });
  });

  it('reports a location off the road network (NoSegment) as VALIDATION naming the point', async () => {
    const s = await serve(() => ({ status: 400, body: fixture('osrm-error-no-segment.json') }));
    const provider = createOsrmMatrixProvider({ baseUrl: s.url });
    const square = await errorOf(provider.matrix([paris, lyon]));
    expect(square.code).toBe('VALIDATION');
    expect(square.message).toContain('Could not find a matching segment for coordinate 1');
    expect(square.details).toMatchObject({ code: 'NoSegment', sourceIndex: 1 });
    // In a rectangular request coordinate 1 is the first destination.
    const rect = await errorOf(provider.matrix([paris], [lyon, lille]));
    expect(rect.details).toMatchObject({ destinationIndex: 0 });
  });

  it('reports a wrong base URL (404 page) as UNAVAILABLE, without retrying', async () => {
    const s = await serve(() => ({ status: 404, body: '<html>Not Found</html>' }));
    const error = await errorOf(createOsrmMatrixProvider({ baseUrl: `${s.url}/osrm` }).matrix([paris, lyon]));
    expect(s.requests).toHaveLength(1);
    expect(error.code).toBe('UNAVAILABLE');
    expect(error.message).toBe('OSRM refused the travel matrix request (HTTP 404): <html>Not Found</html>');
  });

  it('treats a 200 that is not an Ok table as UNAVAILABLE', async () => {
    const s = await serve((_, index) => (index === 0 ? { body: '<html>proxy login</html>' } : { body: { code: 'Ok', durations: [[0]] } }));
    const provider = createOsrmMatrixProvider({ baseUrl: s.url });
    expect((await errorOf(provider.matrix([paris, lyon]))).code).toBe('UNAVAILABLE');
    const incomplete = await errorOf(provider.matrix([paris, lyon]));
    expect(incomplete.message).toContain('without a complete durations and distances table');
  });

  it('times out each attempt and retries, then reports UNAVAILABLE', async () => {
    const s = await serve(() => ({ delayMs: 5_000, body: fixture('osrm-table-4-cities.json') }));
    const provider = createOsrmMatrixProvider({ baseUrl: s.url, timeoutMs: 100, retries: 1, retryDelayMs: 1 });
    const error = await errorOf(provider.matrix([paris, lyon, lille, marseille]));
    expect(s.requests).toHaveLength(2);
    expect(error.code).toBe('UNAVAILABLE');
    expect(error.message).toContain('no answer within 100 ms');
  });

  it('reports an unreachable server as UNAVAILABLE', async () => {
    const s = await serve(() => ({}));
    const url = s.url;
    await s.close();
    server = undefined;
    const provider = createOsrmMatrixProvider({ baseUrl: url, retries: 1, retryDelayMs: 1 });
    const error = await errorOf(provider.matrix([paris, lyon]));
    expect(error.code).toBe('UNAVAILABLE');
    expect(error.message).toContain('network error');
  });

  it('stops at once when the signal aborts, with the signal’s reason', async () => {
    const s = await serve(() => ({ delayMs: 5_000, body: fixture('osrm-table-4-cities.json') }));
    const provider = createOsrmMatrixProvider({ baseUrl: s.url, timeoutMs: 10_000 });
    const controller = new AbortController();
    const pending = provider.matrix([paris, lyon, lille, marseille], undefined, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const started = Date.now();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(s.requests).toHaveLength(1);
  });

  it('rejects bad options with VALIDATION', () => {
    expect(() => createOsrmMatrixProvider({ baseUrl: 'not a url' })).toThrow(AppError);
    expect(() => createOsrmMatrixProvider({ baseUrl: 'ftp://osrm' })).toThrow(AppError);
    expect(() => createOsrmMatrixProvider({ baseUrl: 'http://osrm', maxLocations: 1 })).toThrow(AppError);
    expect(() => createOsrmMatrixProvider({ baseUrl: 'http://osrm', profile: '../admin' })).toThrow(AppError);
    expect(() => createOsrmMatrixProvider({ baseUrl: 'http://osrm', retries: -1 })).toThrow(AppError);
    expect(() => createOsrmMatrixProvider({ baseUrl: 'http://osrm', timeoutMs: 0 })).toThrow(AppError);
  });

  it('sends nothing for an empty matrix', async () => {
    const s = await serve(() => ({}));
    const result = await createOsrmMatrixProvider({ baseUrl: s.url }).matrix([]);
    expect(result).toEqual({ provider: 'osrm', durations: [], distances: [], unreachable: 0 });
    expect(s.requests).toHaveLength(0);
  });
});
