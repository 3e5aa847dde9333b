import type { MultiPolygon, Polygon, Position } from './geojson.ts';

const inRing = (lng: number, lat: number, ring: readonly Position[]): boolean => {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const xi = ring[i]?.[0] ?? 0;
    const yi = ring[i]?.[1] ?? 0;
    const xj = ring[j]?.[0] ?? 0;
    const yj = ring[j]?.[1] ?? 0;
    if (yi > lat !== yj > lat && lng < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
};

/**
 * Whether a point lies inside a (multi)polygon (even-odd rule, holes respected; planar in degrees,
 * fine for the shipped boundaries).
 */
export const pointInPolygon = (point: readonly [number, number], geometry: Polygon | MultiPolygon): boolean => {
  const [lng, lat] = point;
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  return polygons.some((rings) => {
    const [outer, ...holes] = rings;
    return outer !== undefined && inRing(lng, lat, outer) && !holes.some((h) => inRing(lng, lat, h));
  });
};
