import { Delaunay } from 'd3-delaunay';
import { cellArea, cellToLatLng, getHexagonEdgeLengthAvg, gridDisk, latLngToCell } from 'h3-js';
import { AppError } from '@geocrm/domain';
import { loadBoundaries, loadFrenchCommunes, pointInPolygon, type Commune, type MultiPolygon, type Polygon } from '@geocrm/geo';
import { bbox, clipToConvex, equirectangular, inverseEquirectangular, ringArea, ringPerimeter, ringsCentroid, type Point, type Ring } from './geometry.ts';
import { buildAreaGraph, type AreaEdge } from './graph.ts';
import type { AccountPoint, Area, AreaGraph, Measures } from './types.ts';

/** Latitude of the projection used for metropolitan France. */
const FRANCE_LAT0 = 46.5;

interface Totals {
  count: number;
  revenue: number;
  potential: number;
  workload: number;
}

const zero = (): Totals => ({ count: 0, revenue: 0, potential: 0, workload: 0 });

/** Adds accounts to per-area totals; `locate` returns the area index of a point or −1. Returns the accounts left out. */
const aggregate = (totals: Totals[], accounts: readonly AccountPoint[], locate: (lng: number, lat: number) => number): number => {
  let outside = 0;
  for (const a of accounts) {
    if (!Number.isFinite(a.lng) || !Number.isFinite(a.lat)) {
      outside++;
      continue;
    }
    const i = locate(a.lng, a.lat);
    const t = totals[i];
    if (!t) {
      outside++;
      continue;
    }
    t.count++;
    t.revenue += a.revenue ?? 0;
    t.potential += a.potential ?? 0;
    t.workload += a.workload ?? 0;
  }
  return outside;
};

const measures = (t: Totals): Measures => ({ count: t.count, revenue: t.revenue, potential: t.potential, workload: t.workload });

/** Outer rings (and holes) of a (multi)polygon, in lng/lat. */
const polygonsOf = (g: Polygon | MultiPolygon): readonly (readonly Ring[])[] =>
  (g.type === 'Polygon' ? [g.coordinates] : g.coordinates).map((rings) => rings.map((r) => r.map((p): Point => [p[0] ?? 0, p[1] ?? 0])));

interface Feature {
  readonly code: string;
  readonly name: string;
  readonly geometry: Polygon | MultiPolygon;
  readonly polygons: readonly (readonly Ring[])[];
}

const departementFeatures = (metropolitanOnly: boolean, codes?: ReadonlySet<string>): Feature[] =>
  loadBoundaries('fr-departements')
    .features.filter((f) => (!metropolitanOnly || !f.properties.code.startsWith('97')) && (!codes || codes.has(f.properties.code)))
    .map((f) => ({ code: f.properties.code, name: f.properties.name, geometry: f.geometry, polygons: polygonsOf(f.geometry) }))
    .sort((a, b) => (a.code < b.code ? -1 : 1));

/** Shared border segments (lng/lat) between features that have identical vertices (topological boundaries). */
const sharedBorders = (features: readonly Feature[]): Map<number, [Point, Point][]> => {
  const owners = new Map<string, number[]>();
  const key = (p: Point): string => `${String(p[0])},${String(p[1])}`;
  features.forEach((f, fi) => {
    for (const poly of f.polygons) {
      for (const ring of poly) {
        for (const p of ring) {
          const k = key(p);
          const list = owners.get(k);
          if (!list) owners.set(k, [fi]);
          else if (!list.includes(fi)) list.push(fi);
        }
      }
    }
  });
  const borders = new Map<number, [Point, Point][]>();
  const n = features.length;
  features.forEach((f, fa) => {
    for (const poly of f.polygons) {
      for (const ring of poly) {
        for (let i = 0; i + 1 < ring.length; i++) {
          const p = ring[i];
          const q = ring[i + 1];
          if (!p || !q) continue;
          const op = owners.get(key(p));
          const oq = owners.get(key(q));
          if (!op || !oq || op.length < 2 || oq.length < 2) continue;
          for (const fb of op) {
            if (fb <= fa || !oq.includes(fb)) continue;
            const k = fa * n + fb;
            const list = borders.get(k);
            if (list) list.push([p, q]);
            else borders.set(k, [[p, q]]);
          }
        }
      }
    }
  });
  return borders;
};

export interface DepartementAreasOptions {
  /** Only the 96 metropolitan départements (default true); false adds the 5 overseas ones (islands). */
  readonly metropolitanOnly?: boolean;
  /** Restrict to these codes (e.g. a région's départements). */
  readonly departements?: readonly string[];
  /**
   * Accounts aggregated into the départements (point in polygon): count, revenue, potential,
   * workload. Without accounts, `count` is the number of communes and `potential` the population.
   */
  readonly accounts?: readonly AccountPoint[];
  /** Link Corsica (and any other detached group) to the nearest mainland area. Default true. */
  readonly bridge?: boolean;
}

/**
 * French départements as basic areas: the polygons shipped by `@geocrm/geo`, adjacent when they
 * share a border segment (shared boundary length in km on each edge).
 * @example departementAreas().areas.length // 96
 */
export const departementAreas = (options: DepartementAreasOptions = {}): AreaGraph => {
  const codes = options.departements ? new Set(options.departements) : undefined;
  const features = departementFeatures(options.metropolitanOnly ?? true, codes);
  if (codes && features.length !== codes.size) {
    const known = new Set(features.map((f) => f.code));
    throw new AppError('VALIDATION', `Unknown département code(s): ${[...codes].filter((c) => !known.has(c)).join(', ')}`);
  }
  const project = equirectangular(FRANCE_LAT0);
  const n = features.length;
  const totals = features.map(zero);
  if (options.accounts) {
    const boxes = features.map((f) => bbox(f.polygons.map((p) => p[0] ?? [])));
    aggregate(totals, options.accounts, (lng, lat) =>
      features.findIndex((f, i) => {
        const b = boxes[i];
        return b !== undefined && lng >= b[0] && lng <= b[2] && lat >= b[1] && lat <= b[3] && pointInPolygon([lng, lat], f.geometry);
      }),
    );
  } else {
    const index = new Map(features.map((f, i) => [f.code, i]));
    for (const c of loadFrenchCommunes()) {
      if (c.kind !== 'commune') continue;
      const t = totals[index.get(c.departement) ?? -1];
      if (!t) continue;
      t.count++;
      t.potential += c.population;
    }
  }
  // Surfaces and lengths in a projection local to each département (true to ±1 %); positions in the common one.
  const local = features.map((f) => equirectangular(ringsCentroid(f.polygons.map((p) => p[0] ?? []))[1]));
  const areas: Area[] = features.map((f, i) => {
    const proj = local[i] ?? project;
    const projected = f.polygons.map((poly) => poly.map((ring) => ring.map(([lng, lat]) => proj(lng, lat))));
    let surface = 0;
    let perimeter = 0;
    for (const poly of projected) {
      poly.forEach((ring, r) => {
        surface += (r === 0 ? 1 : -1) * Math.abs(ringArea(ring));
        perimeter += ringPerimeter(ring);
      });
    }
    const [lng, lat] = ringsCentroid(f.polygons.map((p) => p[0] ?? []));
    const [x, y] = project(lng, lat);
    return { id: f.code, name: f.name, x, y, lng, lat, measures: measures(totals[i] ?? zero()), areaKm2: surface, perimeterKm: perimeter };
  });
  const edges: AreaEdge[] = [];
  for (const [k, segments] of sharedBorders(features)) {
    let len = 0;
    const proj = local[Math.floor(k / n)] ?? project;
    for (const [p, q] of segments) {
      const a = proj(p[0], p[1]);
      const b = proj(q[0], q[1]);
      len += Math.hypot(a[0] - b[0], a[1] - b[1]);
    }
    edges.push({ a: Math.floor(k / n), b: k % n, lengthKm: len });
  }
  return { ...buildAreaGraph(areas, edges, { bridge: options.bridge ?? true }), project };
};

export interface CommuneAreasOptions {
  /** Restrict to these département codes (e.g. ['59', '62']). Default: all metropolitan ones. */
  readonly departements?: readonly string[];
  /** Default true: metropolitan France only (the overseas communes would be islands). */
  readonly metropolitanOnly?: boolean;
  /** Accounts aggregated into the nearest commune; without them `count` is 1 and `potential` the population. */
  readonly accounts?: readonly AccountPoint[];
  /** Link Corsica (and any other detached group) to the nearest area outside it. Default true. */
  readonly bridge?: boolean;
  /** Also return each commune's approximate cell as a GeoJSON MultiPolygon (lng/lat, 5 decimals), for maps. */
  readonly cells?: boolean;
}

export interface CommuneGraph extends AreaGraph {
  /** INSEE codes of the communes without a position (≈3.5 %): not areas; give them the territory of a neighbour. */
  readonly unlocated: readonly string[];
  /** With `cells: true`: the cell of each area (parallel to `areas`); empty coordinates when its cell fell outside the outline. */
  readonly cells?: readonly MultiPolygon[];
}

/** Spreads points that share a position on a small circle, so that each gets its own Voronoi cell. */
const spread = (pts: [number, number][], radiusKm: number): void => {
  const groups = new Map<string, number[]>();
  pts.forEach((p, i) => {
    const k = `${String(p[0])},${String(p[1])}`;
    const g = groups.get(k);
    if (g) g.push(i);
    else groups.set(k, [i]);
  });
  for (const g of groups.values()) {
    if (g.length < 2) continue;
    const r = radiusKm * Math.sqrt(g.length);
    g.forEach((i, m) => {
      const p = pts[i];
      if (!p) return;
      const angle = (2 * Math.PI * m) / g.length;
      pts[i] = [p[0] + r * Math.cos(angle), p[1] + r * Math.sin(angle)];
    });
  }
};

/**
 * French communes as basic areas. No commune polygons ship on npm, so each commune is approximated
 * by its Voronoi cell among the communes of its département, clipped to the département polygon;
 * two communes are adjacent when their cells share a boundary (inside a département: a Voronoi edge
 * that survives clipping; across a border: cells meeting along the shared département border,
 * sampled every 0.5 km). Communes sharing one position are spread on a small circle first.
 * @example communeAreas({ departements: ['59'] }).areas.length
 */
export const communeAreas = (options: CommuneAreasOptions = {}): CommuneGraph => {
  const codes = options.departements ? new Set(options.departements) : undefined;
  const features = departementFeatures(options.metropolitanOnly ?? true, codes);
  if (codes && features.length !== codes.size) {
    const known = new Set(features.map((f) => f.code));
    throw new AppError('VALIDATION', `Unknown département code(s): ${[...codes].filter((c) => !known.has(c)).join(', ')}`);
  }
  const featureIndex = new Map(features.map((f, i) => [f.code, i]));
  const project = equirectangular(FRANCE_LAT0);
  const located: Commune[] = [];
  const unlocated: string[] = [];
  for (const c of loadFrenchCommunes()) {
    if (c.kind !== 'commune' || !featureIndex.has(c.departement)) continue;
    if (c.location) located.push(c);
    else unlocated.push(c.insee);
  }
  const totals = located.map((c): Totals => (options.accounts ? zero() : { count: 1, revenue: 0, potential: c.population, workload: 0 }));
  const areaKm2 = new Float64Array(located.length);
  const perimeterKm = new Float64Array(located.length);
  const edges: AreaEdge[] = [];
  const cells: MultiPolygon[] | null = options.cells ? located.map((): MultiPolygon => ({ type: 'MultiPolygon', coordinates: [] })) : null;
  // Per département: local projection, Voronoi, clipping.
  const byDep: number[][] = features.map(() => []);
  located.forEach((c, i) => byDep[featureIndex.get(c.departement) ?? 0]?.push(i));
  const depData = features.map((f, d) => {
    const members = byDep[d] ?? [];
    const lat0 = ringsCentroid(f.polygons.map((p) => p[0] ?? []))[1];
    const proj = equirectangular(lat0);
    const unproject = inverseEquirectangular(lat0);
    const pts = members.map((i): [number, number] => {
      const loc = located[i]?.location;
      return proj(loc?.[0] ?? 0, loc?.[1] ?? 0);
    });
    spread(pts, 0.4);
    const outers = f.polygons.map((poly) => (poly[0] ?? []).map(([lng, lat]) => proj(lng, lat)));
    const [x0, y0, x1, y1] = bbox([...outers, pts]);
    const delaunay = new Delaunay(pts.flat());
    const voronoi = delaunay.voronoi([x0 - 1, y0 - 1, x1 + 1, y1 + 1]);
    members.forEach((gi, li) => {
      const raw = voronoi.cellPolygon(li) as [number, number][] | null;
      const site = pts[li];
      if (!raw || !site) return;
      let cell: Point[] = raw.slice(0, -1);
      if (ringArea(cell) < 0) cell = cell.reverse();
      let surface = 0;
      let perimeter = 0;
      const cellParts: number[][][][] | null = cells ? [] : null;
      const neighbours = [...delaunay.neighbors(li)];
      const shared = new Map<number, number>();
      for (const outer of outers) {
        const part = clipToConvex(outer, cell);
        if (part.length < 3) continue;
        const a = Math.abs(ringArea(part));
        if (a <= 1e-9) continue;
        if (cellParts) {
          const ring = part.map(([px, py]) => unproject(px, py).map((v) => Math.round(v * 1e5) / 1e5));
          if (ring[0]) ring.push(ring[0]);
          cellParts.push([ring]);
        }
        surface += a;
        perimeter += ringPerimeter(part);
        for (let e = 0; e < part.length; e++) {
          const p = part[e];
          const q = part[(e + 1) % part.length];
          if (!p || !q) continue;
          const len = Math.hypot(q[0] - p[0], q[1] - p[1]);
          if (len < 1e-6) continue;
          const m: Point = [(p[0] + q[0]) / 2, (p[1] + q[1]) / 2];
          for (const lj of neighbours) {
            const sj = pts[lj];
            if (!sj) continue;
            const onBisector = (z: Point): boolean => Math.abs(Math.hypot(z[0] - sj[0], z[1] - sj[1]) - Math.hypot(z[0] - site[0], z[1] - site[1])) < 1e-5;
            if (onBisector(m) && onBisector(p) && onBisector(q)) {
              shared.set(lj, (shared.get(lj) ?? 0) + len);
              break;
            }
          }
        }
      }
      areaKm2[gi] = surface;
      perimeterKm[gi] = perimeter;
      if (cells && cellParts) cells[gi] = { type: 'MultiPolygon', coordinates: cellParts };
      if (surface <= 0) {
        // Cell outside the (simplified) département outline: keep its Delaunay neighbours.
        for (const lj of neighbours) edges.push({ a: gi, b: members[lj] ?? gi, lengthKm: 0 });
      } else {
        for (const [lj, len] of shared) edges.push({ a: gi, b: members[lj] ?? gi, lengthKm: len / 2 });
      }
    });
    return { members, proj, delaunay };
  });
  // Across départements: sample the shared borders, pair the cells on either side.
  const nf = features.length;
  const step = 0.5;
  for (const [k, segments] of sharedBorders(features)) {
    const A = depData[Math.floor(k / nf)];
    const B = depData[k % nf];
    if (!A || !B || A.members.length === 0 || B.members.length === 0) continue;
    let ha = 0;
    let hb = 0;
    for (const [p, q] of segments) {
      const pa = A.proj(p[0], p[1]);
      const qa = A.proj(q[0], q[1]);
      const len = Math.hypot(qa[0] - pa[0], qa[1] - pa[1]);
      const parts = Math.max(1, Math.ceil(len / step));
      for (let s = 0; s < parts; s++) {
        const t = (s + 0.5) / parts;
        const lng = p[0] + t * (q[0] - p[0]);
        const lat = p[1] + t * (q[1] - p[1]);
        const [ax, ay] = A.proj(lng, lat);
        const [bx, by] = B.proj(lng, lat);
        ha = A.delaunay.find(ax, ay, ha);
        hb = B.delaunay.find(bx, by, hb);
        edges.push({ a: A.members[ha] ?? 0, b: B.members[hb] ?? 0, lengthKm: len / parts });
      }
    }
  }
  const xy = located.map((c) => project(c.location?.[0] ?? 0, c.location?.[1] ?? 0));
  if (options.accounts) {
    const global = new Delaunay(xy.flat());
    let hint = 0;
    aggregate(totals, options.accounts, (lng, lat) => {
      const [x, y] = project(lng, lat);
      hint = global.find(x, y, hint);
      return hint;
    });
  }
  const areas: Area[] = located.map((c, i) => ({
    id: c.insee,
    name: c.name,
    x: xy[i]?.[0] ?? 0,
    y: xy[i]?.[1] ?? 0,
    lng: c.location?.[0] ?? 0,
    lat: c.location?.[1] ?? 0,
    measures: measures(totals[i] ?? zero()),
    areaKm2: areaKm2[i] ?? 0,
    perimeterKm: perimeterKm[i] ?? 0,
  }));
  return { ...buildAreaGraph(areas, edges, { bridge: options.bridge ?? true }), project, unlocated, ...(cells ? { cells } : {}) };
};

export interface H3AreasOptions {
  /** H3 resolution 0..15 (5 ≈ 250 km², 6 ≈ 36 km², 7 ≈ 5 km²). Default 6. */
  readonly resolution?: number;
  /** Link each detached group of ≥ 2 hexagons to the nearest hexagon outside it. Default true. */
  readonly bridge?: boolean;
}

/**
 * H3 hexagons holding at least one account, adjacent when they are grid neighbours (both present).
 * Hexagons with no present neighbour are islands.
 * @example h3Areas(accounts, { resolution: 6 })
 */
export const h3Areas = (accounts: readonly AccountPoint[], options: H3AreasOptions = {}): AreaGraph => {
  const res = options.resolution ?? 6;
  if (!Number.isInteger(res) || res < 0 || res > 15) throw new AppError('VALIDATION', `H3 resolution must be a whole number from 0 to 15, got ${String(res)}`);
  const cells = new Map<string, number>();
  const ids: string[] = [];
  for (const a of accounts) {
    if (!Number.isFinite(a.lng) || !Number.isFinite(a.lat)) continue;
    const c = latLngToCell(a.lat, a.lng, res);
    if (!cells.has(c)) {
      cells.set(c, ids.length);
      ids.push(c);
    }
  }
  if (ids.length === 0) throw new AppError('VALIDATION', 'No account has a valid position: no hexagon to build');
  const totals = ids.map(zero);
  aggregate(totals, accounts, (lng, lat) => cells.get(latLngToCell(lat, lng, res)) ?? -1);
  const centres = ids.map((c) => cellToLatLng(c));
  const lat0 = centres.reduce((s, [lat]) => s + lat, 0) / centres.length;
  const project = equirectangular(lat0);
  const edgeKm = getHexagonEdgeLengthAvg(res, 'km');
  const areas: Area[] = ids.map((c, i) => {
    const [lat, lng] = centres[i] ?? [0, 0];
    const [x, y] = project(lng, lat);
    return { id: c, x, y, lng, lat, measures: measures(totals[i] ?? zero()), areaKm2: cellArea(c, 'km2'), perimeterKm: 6 * edgeKm };
  });
  const edges: AreaEdge[] = [];
  ids.forEach((c, i) => {
    for (const nbr of gridDisk(c, 1)) {
      const j = cells.get(nbr);
      if (j !== undefined && j > i) edges.push({ a: i, b: j, lengthKm: edgeKm });
    }
  });
  return { ...buildAreaGraph(areas, edges, { bridge: options.bridge ?? true }), project };
};

export interface AccountAreasOptions {
  /** Drop Delaunay edges longer than this (km), e.g. across the sea. Default: keep all. */
  readonly maxEdgeKm?: number;
  /** Link each detached group of ≥ 2 accounts (after `maxEdgeKm`) to the nearest account outside it. Default false. */
  readonly bridge?: boolean;
}

/**
 * The accounts themselves as areas (count 1, their revenue / potential / workload), adjacent along
 * the edges of their Delaunay triangulation (accounts at one position are spread by a few metres).
 * @example accountAreas(accounts, { maxEdgeKm: 50 })
 */
export const accountAreas = (accounts: readonly AccountPoint[], options: AccountAreasOptions = {}): AreaGraph => {
  const valid = accounts.filter((a) => Number.isFinite(a.lng) && Number.isFinite(a.lat));
  if (valid.length === 0) throw new AppError('VALIDATION', 'No account has a valid position');
  const lat0 = valid.reduce((s, a) => s + a.lat, 0) / valid.length;
  const project = equirectangular(lat0);
  const pts = valid.map((a) => project(a.lng, a.lat));
  spread(pts, 0.005);
  const areas: Area[] = valid.map((a, i) => ({
    id: a.id ?? String(i),
    x: pts[i]?.[0] ?? 0,
    y: pts[i]?.[1] ?? 0,
    lng: a.lng,
    lat: a.lat,
    measures: { count: 1, revenue: a.revenue ?? 0, potential: a.potential ?? 0, workload: a.workload ?? 0 },
  }));
  const edges: AreaEdge[] = [];
  const max = options.maxEdgeKm ?? Number.POSITIVE_INFINITY;
  if (pts.length > 1) {
    const delaunay = new Delaunay(pts.flat());
    for (let i = 0; i < pts.length; i++) {
      for (const j of delaunay.neighbors(i)) {
        const p = pts[i];
        const q = pts[j];
        if (j > i && p && q && Math.hypot(p[0] - q[0], p[1] - q[1]) <= max) edges.push({ a: i, b: j });
      }
    }
  }
  return { ...buildAreaGraph(areas, edges, { bridge: options.bridge ?? false }), project };
};
