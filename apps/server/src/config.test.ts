import { describe, expect, it } from 'vitest';
import { isAppError } from '@geocrm/domain';
import { loadConfig } from './config.ts';

const fails = (env: NodeJS.ProcessEnv): string => {
  try {
    loadConfig(env, '/srv/geocrm');
  } catch (error) {
    if (isAppError(error)) return `${error.code}: ${error.message}`;
    throw error;
  }
  return 'no error';
};

describe('configuration', () => {
  it('defaults to the embedded database, the offline geocoder and estimated travel times', () => {
    const config = loadConfig({}, '/srv/geocrm');
    expect(config).toMatchObject({ port: 3000, dataDir: '/srv/geocrm/data', databaseUrl: undefined, geocoder: { provider: 'embedded' }, matrix: { kind: 'estimated' } });
  });

  it('reads the online geocoder and routing engine settings', () => {
    const config = loadConfig({ GEOCODER: 'nominatim', GEOCODER_USER_AGENT: 'GeoCRM test', GEOCODER_RATE_PER_SEC: '1', MATRIX_PROVIDER: 'osrm', OSRM_URL: 'http://osrm:5000' }, '/srv');
    expect(config.geocoder).toMatchObject({ provider: 'nominatim', userAgent: 'GeoCRM test', ratePerSecond: 1 });
    expect(config.matrix).toMatchObject({ kind: 'osrm', baseUrl: 'http://osrm:5000' });
  });

  it('refuses settings that cannot work, naming the variable', () => {
    expect(fails({ PORT: 'eighty' })).toMatch(/^VALIDATION: PORT/);
    expect(fails({ GEOCODER: 'google' })).toMatch(/^VALIDATION: GEOCODER must be one of/);
    expect(fails({ MATRIX_PROVIDER: 'osrm' })).toMatch(/^VALIDATION: .*OSRM_URL/);
    expect(fails({ MATRIX_PROVIDER: 'teleport' })).toMatch(/^VALIDATION: MATRIX_PROVIDER must be/);
  });
});
