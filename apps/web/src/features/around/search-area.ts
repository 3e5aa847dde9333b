import type { AccountMapPoint, AccountNearDto } from '../../api/types.ts';

export type Position = [lng: number, lat: number];

const EARTH_RADIUS_M = 6_371_008.8;
const RAD = Math.PI / 180;

/** A circle on the sphere as a closed ring of `steps` + 1 positions (for drawing, not for searching). */
export const circleRing = (centre: Position, radiusMeters: number, steps = 96): Position[] => {
  const [lng0, lat0] = centre;
  const phi1 = lat0 * RAD;
  const lambda1 = lng0 * RAD;
  const delta = radiusMeters / EARTH_RADIUS_M;
  const ring: Position[] = [];
  for (let i = 0; i <= steps; i += 1) {
    const bearing = ((i % steps) / steps) * 2 * Math.PI;
    const phi2 = Math.asin(Math.sin(phi1) * Math.cos(delta) + Math.cos(phi1) * Math.sin(delta) * Math.cos(bearing));
    const lambda2 = lambda1 + Math.atan2(Math.sin(bearing) * Math.sin(delta) * Math.cos(phi1), Math.cos(delta) - Math.sin(phi1) * Math.sin(phi2));
    ring.push([Math.round((((lambda2 / RAD + 540) % 360) - 180) * 1e6) / 1e6, Math.round((phi2 / RAD) * 1e6) / 1e6]);
  }
  return ring;
};

/** The lasso's points as a closed ring (first position repeated at the end), or null with fewer than 3 points. */
export const closeRing = (points: readonly Position[]): Position[] | null => {
  if (points.length < 3) return null;
  const first = points[0] as Position;
  const last = points[points.length - 1] as Position;
  return first[0] === last[0] && first[1] === last[1] ? [...points] : [...points, first];
};

/** [minLng, minLat, maxLng, maxLat] of positions, or null when there are none. */
export const boundsOfPositions = (positions: readonly Position[]): [number, number, number, number] | null => {
  if (positions.length === 0) return null;
  let minLng = Infinity;
  let minLat = Infinity;
  let maxLng = -Infinity;
  let maxLat = -Infinity;
  for (const [lng, lat] of positions) {
    minLng = Math.min(minLng, lng);
    maxLng = Math.max(maxLng, lng);
    minLat = Math.min(minLat, lat);
    maxLat = Math.max(maxLat, lat);
  }
  return [minLng, minLat, maxLng, maxLat];
};

/** Results as the map's compact points (accounts without location are left out). */
export const toMapPoints = (items: readonly AccountNearDto[]): AccountMapPoint[] =>
  items.flatMap((a) => (a.location ? [[a.id, a.name, a.kind, a.status, a.location.lng, a.location.lat] as AccountMapPoint] : []));

const kmFormat = new Intl.NumberFormat('en', { maximumFractionDigits: 1 });
const kmFormatWhole = new Intl.NumberFormat('en', { maximumFractionDigits: 0 });

/** "350 m", "4.2 km", "38 km". */
export const formatDistance = (metres: number): string => {
  if (metres < 1000) return `${Math.round(metres / 10) * 10} m`;
  const km = metres / 1000;
  return `${km < 10 ? kmFormat.format(km) : kmFormatWhole.format(km)} km`;
};

/** "12 min", "1 h 05". */
export const formatDuration = (seconds: number): string => {
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')}`;
};
