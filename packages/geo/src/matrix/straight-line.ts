import { AppError, haversineMeters, type LngLat } from '@geocrm/domain';
import type { TravelMatrix } from './types.ts';

export interface StraightLineOptions {
  /** Average road speed in km/h applied to the road-distance estimate. Default 60. */
  readonly speedKmh?: number;
  /** Road distance ÷ great-circle distance. Default 1.3 (typical for French roads). */
  readonly circuity?: number;
}

const DEFAULTS = { speedKmh: 60, circuity: 1.3 } as const satisfies Required<StraightLineOptions>;

/**
 * Offline travel matrix: great-circle distance × circuity, driven at a constant speed.
 * Kept for compatibility; `createEstimatedMatrixProvider` (speeds by distance band, calibrated on
 * French trips) is the better estimate.
 * Symmetric, zero diagonal, satisfies the triangle inequality. Use a routing engine adapter
 * (OSRM, Valhalla) when one is configured; this is the always-available fallback.
 * @example straightLineMatrix([lngLat(2.35, 48.86), lngLat(4.84, 45.76)]).durations[0][1] // ≈ 30,700 s
 * @throws AppError VALIDATION when speedKmh ≤ 0 or circuity < 1.
 */
export const straightLineMatrix = (points: readonly LngLat[], options: StraightLineOptions = {}): TravelMatrix => {
  const { speedKmh, circuity } = { ...DEFAULTS, ...options };
  if (!(speedKmh > 0) || !Number.isFinite(speedKmh)) {
    throw new AppError('VALIDATION', 'speedKmh must be a positive number', { details: { speedKmh } });
  }
  if (!(circuity >= 1) || !Number.isFinite(circuity)) {
    throw new AppError('VALIDATION', 'circuity must be at least 1', { details: { circuity } });
  }
  const metresPerSecond = speedKmh / 3.6;
  const n = points.length;
  const distances = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  const durations = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    const a = points[i];
    const di = distances[i];
    const ti = durations[i];
    if (!a || !di || !ti) continue;
    for (let j = i + 1; j < n; j++) {
      const b = points[j];
      if (!b) continue;
      const metres = haversineMeters(a, b) * circuity;
      const d = Math.round(metres);
      const t = Math.round(metres / metresPerSecond);
      di[j] = d;
      ti[j] = t;
      const dj = distances[j];
      const tj = durations[j];
      if (dj) dj[i] = d;
      if (tj) tj[i] = t;
    }
  }
  return { durations, distances };
};
