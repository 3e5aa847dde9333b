import { AppError } from '@geocrm/domain';
import { createEstimatedMatrixProvider, type EstimatedMatrixOptions } from './estimated.ts';
import { createOsrmMatrixProvider, type OsrmMatrixOptions } from './osrm.ts';
import type { MatrixProvider } from './types.ts';
import { createValhallaMatrixProvider, type ValhallaMatrixOptions } from './valhalla.ts';

export type MatrixProviderConfig =
  | ({ readonly kind: 'estimated' } & EstimatedMatrixOptions)
  | ({ readonly kind: 'osrm' } & OsrmMatrixOptions)
  | ({ readonly kind: 'valhalla' } & ValhallaMatrixOptions);

export type MatrixProviderKind = MatrixProviderConfig['kind'];

/**
 * The provider a configuration names.
 * @example createMatrixProvider({ kind: 'osrm', baseUrl: 'http://osrm:5000' })
 * @throws AppError VALIDATION on an unknown kind or bad options.
 */
export const createMatrixProvider = (config: MatrixProviderConfig): MatrixProvider => {
  switch (config.kind) {
    case 'estimated': {
      const { kind: _kind, ...options } = config;
      return createEstimatedMatrixProvider(options);
    }
    case 'osrm': {
      const { kind: _kind, ...options } = config;
      return createOsrmMatrixProvider(options);
    }
    case 'valhalla': {
      const { kind: _kind, ...options } = config;
      return createValhallaMatrixProvider(options);
    }
    default: {
      const kind: unknown = (config as { kind?: unknown }).kind;
      throw new AppError('VALIDATION', 'Unknown travel matrix provider', { details: { kind } });
    }
  }
};

const intFrom = (env: Readonly<Record<string, string | undefined>>, name: string): number | undefined => {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value)) throw new AppError('VALIDATION', `${name} must be an integer`, { details: { [name]: raw } });
  return value;
};

const required = (env: Readonly<Record<string, string | undefined>>, name: string, kind: string): string => {
  const value = env[name]?.trim();
  if (value === undefined || value === '') throw new AppError('VALIDATION', `${name} is required when MATRIX_PROVIDER=${kind}`, { details: { [name]: null } });
  return value;
};

/**
 * Reads the travel matrix settings from the environment (names in packages/geo/README.md,
 * "Travel matrices"): `MATRIX_PROVIDER` = estimated (default) | osrm | valhalla, `OSRM_URL`,
 * `OSRM_PROFILE`, `OSRM_MAX_LOCATIONS`, `VALHALLA_URL`, `VALHALLA_COSTING`, `VALHALLA_MAX_PAIRS`,
 * `MATRIX_TIMEOUT_MS`, `MATRIX_RETRIES`, `MATRIX_CONCURRENCY`.
 * @throws AppError VALIDATION on an unknown provider, a missing URL or a non-integer number.
 */
export const matrixProviderConfigFromEnv = (env: Readonly<Record<string, string | undefined>>): MatrixProviderConfig => {
  const kind = (env['MATRIX_PROVIDER']?.trim() ?? '') || 'estimated';
  const timeoutMs = intFrom(env, 'MATRIX_TIMEOUT_MS');
  const retries = intFrom(env, 'MATRIX_RETRIES');
  const concurrency = intFrom(env, 'MATRIX_CONCURRENCY');
  const http = {
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
    ...(retries === undefined ? {} : { retries }),
    ...(concurrency === undefined ? {} : { concurrency }),
  };
  switch (kind) {
    case 'estimated':
      return { kind };
    case 'osrm': {
      const profile = env['OSRM_PROFILE']?.trim();
      const maxLocations = intFrom(env, 'OSRM_MAX_LOCATIONS');
      return {
        kind,
        baseUrl: required(env, 'OSRM_URL', kind),
        ...(profile ? { profile } : {}),
        ...(maxLocations === undefined ? {} : { maxLocations }),
        ...http,
      };
    }
    case 'valhalla': {
      const costing = env['VALHALLA_COSTING']?.trim();
      const maxPairs = intFrom(env, 'VALHALLA_MAX_PAIRS');
      return {
        kind,
        baseUrl: required(env, 'VALHALLA_URL', kind),
        ...(costing ? { costing } : {}),
        ...(maxPairs === undefined ? {} : { maxPairs }),
        ...http,
      };
    }
    default:
      throw new AppError('VALIDATION', 'MATRIX_PROVIDER must be estimated, osrm or valhalla', { details: { MATRIX_PROVIDER: kind } });
  }
};
