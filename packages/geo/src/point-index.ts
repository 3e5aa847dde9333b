import { haversineMeters } from '@geocrm/domain';

export interface PointIndex {
  /** Index (into the input array) and distance in metres of the nearest point within maxMeters, or null. */
  nearest(lng: number, lat: number, maxMeters: number): { readonly index: number; readonly distanceMeters: number } | null;
}

const METRES_PER_DEGREE = 111_195; // mean great-circle metres per degree of latitude
const key = (cx: number, cy: number): number => (cy + 2_000) * 10_000 + (cx + 4_000);

/**
 * Static grid index over lng/lat points (cells of `cellDegrees`), searched ring by ring with
 * great-circle distances. Enough for tens of thousands of points; build once, query many.
 */
export const createPointIndex = (points: readonly (readonly [number, number] | null)[], cellDegrees = 0.1): PointIndex => {
  const cells = new Map<number, number[]>();
  // Extent of the occupied cells: once a ring covers it there is nothing left to visit.
  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  points.forEach((p, i) => {
    if (!p) return;
    const x = Math.floor(p[0] / cellDegrees);
    const y = Math.floor(p[1] / cellDegrees);
    minX = Math.min(minX, x);
    maxX = Math.max(maxX, x);
    minY = Math.min(minY, y);
    maxY = Math.max(maxY, y);
    const k = key(x, y);
    const list = cells.get(k);
    if (list) list.push(i);
    else cells.set(k, [i]);
  });

  const nearest: PointIndex['nearest'] = (lng, lat, maxMeters) => {
    const cx = Math.floor(lng / cellDegrees);
    const cy = Math.floor(lat / cellDegrees);
    let best = -1;
    let bestDistance = Infinity;
    const visit = (x: number, y: number): void => {
      for (const i of cells.get(key(x, y)) ?? []) {
        const p = points[i];
        if (!p) continue;
        const d = haversineMeters([lng, lat], p);
        if (d < bestDistance || (d === bestDistance && i < best)) {
          bestDistance = d;
          best = i;
        }
      }
    };
    for (let r = 0; ; r++) {
      if (r === 0) visit(cx, cy);
      else {
        for (let x = cx - r; x <= cx + r; x++) {
          visit(x, cy - r);
          visit(x, cy + r);
        }
        for (let y = cy - r + 1; y <= cy + r - 1; y++) {
          visit(cx - r, y);
          visit(cx + r, y);
        }
      }
      // Any point outside rings 0..r is at least r cells away along one axis; longitude degrees
      // shrink with latitude, so bound with the smallest cosine over the band searched.
      const maxLat = Math.min(89.9, Math.abs(lat) + (r + 1) * cellDegrees);
      const bound = r * cellDegrees * METRES_PER_DEGREE * Math.cos((maxLat * Math.PI) / 180);
      const coversAll = cx - r <= minX && cx + r >= maxX && cy - r <= minY && cy + r >= maxY;
      if (bestDistance <= bound || bound > maxMeters || coversAll) break;
    }
    return best >= 0 && bestDistance <= maxMeters ? { index: best, distanceMeters: bestDistance } : null;
  };
  return { nearest };
};
