import { AppError, lngLat } from '@geocrm/domain';
import { describe, expect, it } from 'vitest';
import { createMatrixProvider, matrixProviderConfigFromEnv } from './factory.ts';

describe('createMatrixProvider', () => {
  it('builds the provider a config names', async () => {
    expect(createMatrixProvider({ kind: 'estimated' }).name).toBe('estimated');
    expect(createMatrixProvider({ kind: 'osrm', baseUrl: 'http://127.0.0.1:5000' }).name).toBe('osrm');
    expect(createMatrixProvider({ kind: 'valhalla', baseUrl: 'http://127.0.0.1:8002', costing: 'auto' }).name).toBe('valhalla');
    const constant = createMatrixProvider({ kind: 'estimated', circuity: 1, speedBands: [{ kmh: 36 }] });
    const { durations } = await constant.matrix([lngLat(2, 48), lngLat(2, 48.01)]);
    expect(durations[0]?.[1]).toBe(111); // 1,112 m at 10 m/s
  });

  it('rejects an unknown kind and bad options', () => {
    expect(() => createMatrixProvider(JSON.parse('{"kind":"google"}') as never)).toThrow(AppError);
    expect(() => createMatrixProvider({ kind: 'osrm', baseUrl: 'nope' })).toThrow(AppError);
  });
});

describe('matrixProviderConfigFromEnv', () => {
  it('defaults to the estimated provider', () => {
    expect(matrixProviderConfigFromEnv({})).toEqual({ kind: 'estimated' });
    expect(matrixProviderConfigFromEnv({ MATRIX_PROVIDER: ' ' })).toEqual({ kind: 'estimated' });
  });

  it('reads OSRM and Valhalla settings', () => {
    expect(
      matrixProviderConfigFromEnv({ MATRIX_PROVIDER: 'osrm', OSRM_URL: 'http://osrm:5000', OSRM_PROFILE: 'car', OSRM_MAX_LOCATIONS: '500', MATRIX_TIMEOUT_MS: '10000', MATRIX_RETRIES: '1' }),
    ).toEqual({ kind: 'osrm', baseUrl: 'http://osrm:5000', profile: 'car', maxLocations: 500, timeoutMs: 10_000, retries: 1 });
    expect(matrixProviderConfigFromEnv({ MATRIX_PROVIDER: 'valhalla', VALHALLA_URL: 'http://valhalla:8002', VALHALLA_MAX_PAIRS: '10000', MATRIX_CONCURRENCY: '4' })).toEqual({
      kind: 'valhalla',
      baseUrl: 'http://valhalla:8002',
      maxPairs: 10_000,
      concurrency: 4,
    });
  });

  it('rejects an unknown provider, a missing URL and non-integers with VALIDATION', () => {
    for (const env of [{ MATRIX_PROVIDER: 'google' }, { MATRIX_PROVIDER: 'osrm' }, { MATRIX_PROVIDER: 'valhalla', VALHALLA_URL: '' }, { MATRIX_PROVIDER: 'osrm', OSRM_URL: 'http://o', MATRIX_RETRIES: 'two' }]) {
      expect(() => matrixProviderConfigFromEnv(env), JSON.stringify(env)).toThrow(expect.objectContaining({ code: 'VALIDATION' }) as Error);
    }
  });
});
