import { AppError, lngLat, type LngLat } from '@geocrm/domain';
import { afterEach, describe, expect, it } from 'vitest';
import { fixture, startServer, type RecordedRequest, type Reply, type TestServer } from './test-server.ts';
import { createValhallaMatrixProvider } from './valhalla.ts';

const partDieu = lngLat(4.859, 45.7606);
const villeurbanne = lngLat(4.8795, 45.7719);
const grenoble = lngLat(5.7245, 45.1885);
const saintEtienne = lngLat(4.3872, 45.4397);
const vienne = lngLat(4.8742, 45.5253);
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

interface Body {
  sources: { lat: number; lon: number }[];
  targets: { lat: number; lon: number }[];
  costing: string;
  units: string;
  costing_options?: unknown;
}
const bodyOf = (r: RecordedRequest | undefined): Body => JSON.parse(r?.body ?? '{}') as Body;

describe('Valhalla matrix provider', () => {
  it('POSTs sources and targets to /sources_to_targets and converts km to m', async () => {
    const s = await serve(() => ({ body: fixture('valhalla-sources-to-targets.json') }));
    const provider = createValhallaMatrixProvider({ baseUrl: s.url, headers: { authorization: 'Bearer t' } });
    expect(provider.name).toBe('valhalla');
    const result = await provider.matrix([partDieu, villeurbanne], [grenoble, saintEtienne, vienne]);
    expect(s.requests).toHaveLength(1);
    const request = s.requests[0];
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('/sources_to_targets');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.headers['authorization']).toBe('Bearer t');
    expect(bodyOf(request)).toEqual({
      sources: [
        { lat: 45.7606, lon: 4.859 },
        { lat: 45.7719, lon: 4.8795 },
      ],
      targets: [
        { lat: 45.1885, lon: 5.7245 },
        { lat: 45.4397, lon: 4.3872 },
        { lat: 45.5253, lon: 4.8742 },
      ],
      costing: 'auto',
      units: 'kilometers',
    });
    expect(result).toEqual({
      provider: 'valhalla',
      durations: [
        [4420, 3110, 1980],
        [4310, 3340, 2150],
      ],
      distances: [
        [108_412, 62_905, 33_127],
        [107_096, 66_781, 35_902],
      ],
      unreachable: 0,
    });
  });

  it('keeps null time and distance as unreachable, and sends costing options', async () => {
    const s = await serve(() => ({ body: fixture('valhalla-unreachable.json') }));
    const provider = createValhallaMatrixProvider({ baseUrl: s.url, costing: 'truck', costingOptions: { truck: { height: 3.5 } } });
    const result = await provider.matrix([paimpol], [brehat, saintBrieuc]);
    expect(bodyOf(s.requests[0])).toMatchObject({ costing: 'truck', costing_options: { truck: { height: 3.5 } } });
    expect(result).toEqual({ provider: 'valhalla', durations: [[null, 2405]], distances: [[null, 46_214]], unreachable: 1 });
  });

  it('reads the concise format too', async () => {
    const s = await serve(() => ({ body: { sources_to_targets: { durations: [[0, 610]], distances: [[0, 7.25]] }, units: 'kilometers' } }));
    const result = await createValhallaMatrixProvider({ baseUrl: s.url }).matrix([partDieu], [partDieu, villeurbanne]);
    expect(result.durations).toEqual([[0, 610]]);
    expect(result.distances).toEqual([[0, 7250]]);
  });

  /** Answers from the coordinates: point k is at lon 1 + k/1000, value = 1000 × from + to, in verbose format, rows shuffled by to_index. */
  const synthetic = (request: RecordedRequest): Reply => {
    const { sources, targets } = bodyOf(request);
    const id = (p: { lon: number }): number => Math.round((p.lon - 1) * 1000);
    return {
      body: {
        units: 'kilometers',
        sources_to_targets: sources.map((src, i) =>
          targets.map((_, k) => {
            const j = targets.length - 1 - k; // cells out of order: placed by to_index
            const tgt = targets[j] ?? { lon: NaN };
            const value = 1000 * id(src) + id(tgt);
            return { distance: value / 100, time: value, from_index: i, to_index: j };
          }),
        ),
      },
    };
  };
  const line = (n: number, offset = 0): LngLat[] => Array.from({ length: n }, (_, k) => lngLat(1 + (k + offset) / 1000, 47));

  it('splits into blocks of at most maxPairs cells and reassembles them', async () => {
    const s = await serve(synthetic);
    const provider = createValhallaMatrixProvider({ baseUrl: s.url, concurrency: 4 }); // default maxPairs 2,500
    const result = await provider.matrix(line(120));
    expect(s.requests).toHaveLength(9); // 50 × 50 blocks: 3 × 3
    for (const r of s.requests) {
      const b = bodyOf(r);
      expect(b.sources.length * b.targets.length).toBeLessThanOrEqual(2500);
    }
    for (let i = 0; i < 120; i++) {
      for (let j = 0; j < 120; j++) {
        if (result.durations[i]?.[j] !== 1000 * i + j || result.distances[i]?.[j] !== 10 * (1000 * i + j)) {
          throw new Error(`wrong cell ${i}→${j}: ${result.durations[i]?.[j]}`);
        }
      }
    }
    // One source to many targets: as wide as the limit allows.
    const wide = await createValhallaMatrixProvider({ baseUrl: s.url, maxPairs: 1000 }).matrix(line(1), line(2500, 1));
    expect(s.requests.slice(9).map((r) => bodyOf(r).targets.length)).toEqual([1000, 1000, 500]);
    expect(wide.durations[0]?.[2499]).toBe(2500);
  });

  it('retries after a 500 and succeeds', async () => {
    const s = await serve((_, index) => (index === 0 ? { status: 500, body: 'oops' } : { body: fixture('valhalla-sources-to-targets.json') }));
    const result = await createValhallaMatrixProvider({ baseUrl: s.url, retryDelayMs: 5 }).matrix([partDieu, villeurbanne], [grenoble, saintEtienne, vienne]);
    expect(s.requests).toHaveLength(2);
    expect(result.durations[1]?.[2]).toBe(2150);
  });

  it('reports a location off the network (171) as VALIDATION and other refusals (154) as UNAVAILABLE', async () => {
    const s = await serve((_, index) => ({ status: 400, body: fixture(index === 0 ? 'valhalla-error-171.json' : 'valhalla-error-154.json') }));
    const provider = createValhallaMatrixProvider({ baseUrl: s.url });
    const offRoad = await errorOf(provider.matrix([partDieu], [grenoble]));
    expect(offRoad.code).toBe('VALIDATION');
    expect(offRoad.message).toBe('Valhalla cannot place a location on a road: No suitable edges near location');
    expect(offRoad.details).toMatchObject({ provider: 'valhalla', status: 400, errorCode: 171 });
    const tooFar = await errorOf(provider.matrix([partDieu], [grenoble]));
    expect(tooFar.code).toBe('UNAVAILABLE');
    expect(tooFar.message).toBe('Valhalla refused the travel matrix request (154): Path distance exceeds the max distance limit: 400000 meters');
    expect(s.requests).toHaveLength(2); // refusals are not retried
  });

  it('treats a malformed answer as UNAVAILABLE', async () => {
    const s = await serve(() => ({ body: { sources_to_targets: [[{ time: 1, distance: 1 }]] } }));
    const error = await errorOf(createValhallaMatrixProvider({ baseUrl: s.url }).matrix([partDieu, villeurbanne]));
    expect(error.code).toBe('UNAVAILABLE');
    expect(error.message).toContain('rows for 2 sources');
  });

  it('times out and reports UNAVAILABLE; aborts with the signal’s reason', async () => {
    const s = await serve(() => ({ delayMs: 5_000, body: fixture('valhalla-sources-to-targets.json') }));
    const slow = createValhallaMatrixProvider({ baseUrl: s.url, timeoutMs: 100, retries: 0 });
    const error = await errorOf(slow.matrix([partDieu], [grenoble]));
    expect(error.code).toBe('UNAVAILABLE');
    expect(error.message).toContain('no answer within 100 ms');
    const controller = new AbortController();
    const pending = createValhallaMatrixProvider({ baseUrl: s.url }).matrix([partDieu], [grenoble], { signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('rejects bad options with VALIDATION', () => {
    expect(() => createValhallaMatrixProvider({ baseUrl: 'http://valhalla', maxPairs: 0 })).toThrow(AppError);
    expect(() => createValhallaMatrixProvider({ baseUrl: 'http://valhalla', costing: 'auto"' })).toThrow(AppError);
    expect(() => createValhallaMatrixProvider({ baseUrl: '' })).toThrow(AppError);
  });
});
