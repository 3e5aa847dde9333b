import { AppError, haversineMeters, type LngLat } from '@geocrm/domain';
import type { MatrixProvider, MatrixRequestOptions, MatrixResult } from './types.ts';

/** Road distance ÷ great-circle distance from `km` (great-circle) on, interpolated linearly between breakpoints. */
export interface CircuityBreakpoint {
  readonly km: number;
  readonly factor: number;
}

/** Speed on the part of a trip's road distance that lies in this band; bands follow each other from 0 km. */
export interface SpeedBand {
  /** End of the band in road km; omitted on the last band (open-ended). */
  readonly upToKm?: number;
  readonly kmh: number;
}

export interface EstimatedMatrixOptions {
  /**
   * Road distance ÷ great-circle distance: one number, or breakpoints by great-circle km
   * (linear in between, constant outside). Factors ≥ 1 and non-increasing with distance.
   */
  readonly circuity?: number | readonly CircuityBreakpoint[];
  /**
   * Speeds by band of road distance, non-decreasing: the first `upToKm` of every trip are driven at
   * the first speed, the next ones at the second… so time is continuous and increasing in distance.
   */
  readonly speedBands?: readonly SpeedBand[];
}

/**
 * Calibrated on {@link FRENCH_REFERENCE_TRIPS} (see packages/geo/BENCHMARKS.md): short urban trips
 * are more circuitous and slower; beyond ~80 km of road the trip is mostly motorway.
 */
export const DEFAULT_CIRCUITY: readonly CircuityBreakpoint[] = [
  { km: 2, factor: 1.4 },
  { km: 20, factor: 1.25 },
  { km: 100, factor: 1.18 },
];

/** Trip averages this gives: 5 km ≈ 25 km/h, 15 km ≈ 40, 60 km ≈ 71, 465 km ≈ 106. */
export const DEFAULT_SPEED_BANDS: readonly SpeedBand[] = [
  { upToKm: 5, kmh: 25 },
  { upToKm: 15, kmh: 60 },
  { upToKm: 60, kmh: 95 },
  { kmh: 115 },
];

const invalid = (message: string, details: Record<string, unknown>): AppError => new AppError('VALIDATION', message, { details });
const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

interface Model {
  /** Great-circle metres → road metres. */
  readonly road: (gcMetres: number) => number;
  /** Road metres → seconds. */
  readonly time: (roadMetres: number) => number;
}

const circuityModel = (circuity: number | readonly CircuityBreakpoint[]): ((gc: number) => number) => {
  if (typeof circuity === 'number') {
    if (!finite(circuity) || circuity < 1) throw invalid('circuity must be at least 1', { circuity });
    return (gc) => gc * circuity;
  }
  if (circuity.length === 0) throw invalid('circuity needs at least one breakpoint', { circuity });
  const km: number[] = [];
  const factor: number[] = [];
  circuity.forEach((p, i) => {
    if (!finite(p.km) || p.km < 0 || !finite(p.factor) || p.factor < 1) {
      throw invalid('circuity breakpoints need km ≥ 0 and a factor ≥ 1', { index: i, breakpoint: p });
    }
    const prevKm = km[i - 1];
    const prevFactor = factor[i - 1];
    if (prevKm !== undefined && prevFactor !== undefined) {
      if (p.km <= prevKm) throw invalid('circuity breakpoints must have increasing km', { index: i });
      if (p.factor > prevFactor) throw invalid('circuity factors must not increase with distance', { index: i });
      // gc × factor(gc) is concave on the segment: increasing iff its slope at the right end is ≥ 0.
      const slope = (p.factor - prevFactor) / (p.km - prevKm);
      if (p.factor + p.km * slope < 0) throw invalid('circuity falls too fast: road distance must grow with distance', { index: i });
    }
    km.push(p.km);
    factor.push(p.factor);
  });
  for (let i = 0; i < km.length; i++) km[i] = (km[i] ?? 0) * 1000; // metres from here on
  const n = km.length;
  const first = factor[0] ?? 1;
  const last = factor[n - 1] ?? 1;
  const firstKm = km[0] ?? 0;
  const lastKm = km[n - 1] ?? 0;
  return (gc) => {
    if (gc <= firstKm) return gc * first;
    if (gc >= lastKm) return gc * last;
    let i = 1;
    while ((km[i] ?? Infinity) < gc) i++;
    const k0 = km[i - 1] ?? 0;
    const k1 = km[i] ?? k0;
    const f0 = factor[i - 1] ?? 1;
    const f1 = factor[i] ?? f0;
    return gc * (f0 + ((f1 - f0) * (gc - k0)) / (k1 - k0));
  };
};

const timeModel = (bands: readonly SpeedBand[]): ((road: number) => number) => {
  if (bands.length === 0) throw invalid('speedBands needs at least one band', { speedBands: bands });
  const starts: number[] = []; // road metres where each band starts
  const secondsPerMetre: number[] = [];
  const secondsAtStart: number[] = [];
  let start = 0;
  let seconds = 0;
  bands.forEach((band, i) => {
    const isLast = i === bands.length - 1;
    if (!finite(band.kmh) || band.kmh <= 0) throw invalid('speeds must be positive km/h', { index: i, band });
    const prev = bands[i - 1];
    if (prev && band.kmh < prev.kmh) throw invalid('speeds must not decrease with distance', { index: i });
    if (!isLast && (!finite(band.upToKm) || band.upToKm * 1000 <= start)) {
      throw invalid('every band but the last needs an upToKm greater than the previous one', { index: i, band });
    }
    if (isLast && band.upToKm !== undefined) throw invalid('the last speed band is open-ended: leave out upToKm', { index: i, band });
    starts.push(start);
    secondsPerMetre.push(3.6 / band.kmh);
    secondsAtStart.push(seconds);
    if (!isLast && band.upToKm !== undefined) {
      seconds += ((band.upToKm * 1000 - start) * 3.6) / band.kmh;
      start = band.upToKm * 1000;
    }
  });
  const n = starts.length;
  return (road) => {
    let b = n - 1;
    while (b > 0 && (starts[b] ?? 0) > road) b--;
    return (secondsAtStart[b] ?? 0) + (road - (starts[b] ?? 0)) * (secondsPerMetre[b] ?? 0);
  };
};

const buildModel = (options: EstimatedMatrixOptions): Model => ({
  road: circuityModel(options.circuity ?? DEFAULT_CIRCUITY),
  time: timeModel(options.speedBands ?? DEFAULT_SPEED_BANDS),
});

/**
 * One estimated trip: great-circle distance × circuity, driven at the banded speeds (not rounded).
 * @throws AppError VALIDATION on meaningless options.
 */
export const estimateTrip = (a: LngLat, b: LngLat, options: EstimatedMatrixOptions = {}): { distanceM: number; durationS: number } => {
  const model = buildModel(options);
  const distanceM = model.road(haversineMeters(a, b));
  return { distanceM, durationS: model.time(distanceM) };
};

const EARTH_RADIUS_M = 6_371_008.8; // same as haversineMeters in @geocrm/domain
const RAD = Math.PI / 180;

/**
 * Estimated matrices, synchronously. Square and symmetric with a zero diagonal when `destinations`
 * is omitted. Durations and distances are monotonic in great-circle distance and (before rounding)
 * satisfy the triangle inequality: the circuity never increases and speeds never decrease with
 * distance, so both are subadditive.
 */
export const estimatedMatrix = (sources: readonly LngLat[], destinations: readonly LngLat[] | undefined, options: EstimatedMatrixOptions = {}): MatrixResult =>
  matrixWith(buildModel(options), sources, destinations);

const matrixWith = ({ road, time }: Model, sources: readonly LngLat[], destinations: readonly LngLat[] | undefined): MatrixResult => {
  const targets = destinations ?? sources;
  const square = destinations === undefined;
  const m = targets.length;
  // Haversine with the source/target trigonometry hoisted out of the inner loop.
  const tLng = new Float64Array(m);
  const tLat = new Float64Array(m);
  const tCos = new Float64Array(m);
  targets.forEach((p, j) => {
    tLng[j] = p[0] * RAD;
    tLat[j] = p[1] * RAD;
    tCos[j] = Math.cos(p[1] * RAD);
  });
  const durations: (number | null)[][] = [];
  const distances: (number | null)[][] = [];
  for (let i = 0; i < sources.length; i++) {
    const p = sources[i];
    const drow = new Array<number>(m).fill(0);
    const trow = new Array<number>(m).fill(0);
    durations.push(trow);
    distances.push(drow);
    if (!p) continue;
    const lng = p[0] * RAD;
    const lat = p[1] * RAD;
    const cos = Math.cos(lat);
    for (let j = square ? i + 1 : 0; j < m; j++) {
      const sLat = Math.sin(((tLat[j] ?? 0) - lat) / 2);
      const sLng = Math.sin(((tLng[j] ?? 0) - lng) / 2);
      const h = sLat * sLat + cos * (tCos[j] ?? 0) * sLng * sLng;
      const gc = 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
      const r = road(gc);
      drow[j] = Math.round(r);
      trow[j] = Math.round(time(r));
    }
  }
  if (square) {
    // Mirror the upper triangle.
    for (let i = 0; i < sources.length; i++) {
      const di = distances[i];
      const ti = durations[i];
      if (!di || !ti) continue;
      for (let j = 0; j < i; j++) {
        di[j] = distances[j]?.[i] ?? 0;
        ti[j] = durations[j]?.[i] ?? 0;
      }
    }
  }
  return { provider: 'estimated', durations, distances, unreachable: 0 };
};

/**
 * The always-available provider: no network, every pair reachable.
 * @example await createEstimatedMatrixProvider().matrix([paris, lyon]) // durations[0][1] ≈ 4 h 30
 * @throws AppError VALIDATION (at creation) on meaningless options.
 */
export const createEstimatedMatrixProvider = (options: EstimatedMatrixOptions = {}): MatrixProvider => {
  const model = buildModel(options); // validates now rather than on the first request
  return {
    name: 'estimated',
    matrix: (sources, destinations, opts: MatrixRequestOptions = {}) =>
      new Promise<MatrixResult>((resolve) => {
        opts.signal?.throwIfAborted();
        resolve(matrixWith(model, sources, destinations));
      }),
  };
};
