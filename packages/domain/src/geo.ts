declare const lngLatBrand: unique symbol;

/** A WGS84 position in GeoJSON order: longitude first, then latitude, in degrees. */
export type LngLat = readonly [lng: number, lat: number] & { readonly [lngLatBrand]: true };

/** Metres. */
export type Meters = number & { readonly __unit: 'm' };
/** Seconds. */
export type Seconds = number & { readonly __unit: 's' };

export const isValidLngLat = (lng: number, lat: number): boolean =>
  Number.isFinite(lng) && Number.isFinite(lat) && lng >= -180 && lng <= 180 && lat >= -90 && lat <= 90;

/**
 * Builds a validated position.
 * @example lngLat(2.3522, 48.8566) // Paris
 * @throws RangeError when a coordinate is out of range or not finite.
 */
export const lngLat = (lng: number, lat: number): LngLat => {
  if (!isValidLngLat(lng, lat)) throw new RangeError(`Invalid coordinate [${lng}, ${lat}]`);
  return [lng, lat] as unknown as LngLat;
};

const EARTH_RADIUS_M = 6_371_008.8;

/** Great-circle distance in metres. */
export const haversineMeters = (a: readonly [number, number], b: readonly [number, number]): Meters => {
  const toRad = Math.PI / 180;
  const dLat = (b[1] - a[1]) * toRad;
  const dLng = (b[0] - a[0]) * toRad;
  const s = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * toRad) * Math.cos(b[1] * toRad) * Math.sin(dLng / 2) ** 2;
  return (2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(s)))) as Meters;
};
