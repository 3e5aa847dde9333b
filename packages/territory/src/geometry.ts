/** Planar helpers for the area builders: equirectangular projection in km, polygon measures, convex clipping. */

export type Point = readonly [number, number];
export type Ring = readonly Point[];

const R = 6371.0088;
const RAD = Math.PI / 180;

/** Equirectangular projection around latitude `lat0` (km). Fine at the scale of a country. */
export const equirectangular = (lat0: number): ((lng: number, lat: number) => [number, number]) => {
  const kx = R * RAD * Math.cos(lat0 * RAD);
  const ky = R * RAD;
  return (lng, lat) => [lng * kx, lat * ky];
};

/** Inverse of `equirectangular(lat0)`: km → [lng, lat]. */
export const inverseEquirectangular = (lat0: number): ((x: number, y: number) => [number, number]) => {
  const kx = R * RAD * Math.cos(lat0 * RAD);
  const ky = R * RAD;
  return (x, y) => [x / kx, y / ky];
};

/** Signed area (shoelace; positive when counter-clockwise). */
export const ringArea = (ring: Ring): number => {
  let s = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const p = ring[i];
    const q = ring[j];
    if (p && q) s += (q[0] - p[0]) * (q[1] + p[1]);
  }
  return s / 2;
};

export const ringPerimeter = (ring: Ring): number => {
  let s = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const p = ring[i];
    const q = ring[j];
    if (p && q) s += Math.hypot(q[0] - p[0], q[1] - p[1]);
  }
  return s;
};

/** Area-weighted centroid of rings (outer rings only; falls back to the vertex mean). */
export const ringsCentroid = (rings: readonly Ring[]): Point => {
  let ax = 0;
  let ay = 0;
  let aa = 0;
  let mx = 0;
  let my = 0;
  let m = 0;
  for (const ring of rings) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const p = ring[i];
      const q = ring[j];
      if (!p || !q) continue;
      const c = q[0] * p[1] - p[0] * q[1];
      aa += c;
      ax += (q[0] + p[0]) * c;
      ay += (q[1] + p[1]) * c;
      mx += p[0];
      my += p[1];
      m++;
    }
  }
  if (Math.abs(aa) > 1e-12) return [ax / (3 * aa), ay / (3 * aa)];
  return m > 0 ? [mx / m, my / m] : [0, 0];
};

/**
 * Sutherland–Hodgman: the part of `subject` (any simple ring) inside the convex counter-clockwise
 * polygon `clip`. A concave subject may yield degenerate zero-width bridges; areas stay right.
 */
export const clipToConvex = (subject: Ring, clip: Ring): Point[] => {
  let output: Point[] = subject.slice();
  for (let e = 0; e < clip.length && output.length > 0; e++) {
    const a = clip[e];
    const b = clip[(e + 1) % clip.length];
    if (!a || !b) continue;
    const input = output;
    output = [];
    const side = (p: Point): number => (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]);
    for (let i = 0; i < input.length; i++) {
      const p = input[i];
      const q = input[(i + 1) % input.length];
      if (!p || !q) continue;
      const sp = side(p);
      const sq = side(q);
      if (sp >= 0) output.push(p);
      if ((sp >= 0) !== (sq >= 0)) {
        const t = sp / (sp - sq);
        output.push([p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])]);
      }
    }
  }
  return output;
};

/** Bounding box [minX, minY, maxX, maxY] of rings. */
export const bbox = (rings: readonly Ring[]): [number, number, number, number] => {
  let x0 = Number.POSITIVE_INFINITY;
  let y0 = Number.POSITIVE_INFINITY;
  let x1 = Number.NEGATIVE_INFINITY;
  let y1 = Number.NEGATIVE_INFINITY;
  for (const r of rings) {
    for (const p of r) {
      x0 = Math.min(x0, p[0]);
      y0 = Math.min(y0, p[1]);
      x1 = Math.max(x1, p[0]);
      y1 = Math.max(y1, p[1]);
    }
  }
  return [x0, y0, x1, y1];
};
