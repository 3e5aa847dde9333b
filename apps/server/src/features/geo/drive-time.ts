import { lngLat } from '@geocrm/domain';
import { estimatedMatrix, estimateTrip } from '@geocrm/geo';

/**
 * Estimated driving from one point to each of many (great-circle × circuity at banded speeds), whole
 * seconds. One 1 × n matrix: the speed and circuity model is built once for the whole list, not once
 * per point as a trip-by-trip estimate does.
 */
export const estimatedDriveSeconds = (from: { lng: number; lat: number }, to: readonly { lng: number; lat: number }[]): number[] => {
  if (to.length === 0) return [];
  const row = estimatedMatrix([lngLat(from.lng, from.lat)], to.map((p) => lngLat(p.lng, p.lat))).durations[0] ?? [];
  return to.map((_, i) => row[i] ?? 0);
};

const cache = new Map<number, number>();

/**
 * The largest great-circle distance (metres) whose estimated drive takes at most `seconds`: the
 * estimate grows with distance, so "within N minutes" is a radius search with this radius.
 */
export const radiusForDriveSeconds = (seconds: number): number => {
  const known = cache.get(seconds);
  if (known !== undefined) return known;
  const origin = lngLat(0, 0);
  // along the equator one degree of longitude is ≈ 111.2 km: bisection on the distance
  const secondsAt = (metres: number): number => estimateTrip(origin, lngLat(metres / 111_195, 0)).durationS;
  let low = 0;
  let high = 20_000_000 / 2;
  for (let i = 0; i < 60 && high - low > 1; i++) {
    const mid = (low + high) / 2;
    if (secondsAt(mid) <= seconds) low = mid;
    else high = mid;
  }
  cache.set(seconds, low);
  return low;
};
