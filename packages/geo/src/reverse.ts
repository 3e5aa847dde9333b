import type { LngLat } from '@geocrm/domain';
import { loadFrenchCommunes, type Commune } from './communes.ts';
import { createPointIndex, type PointIndex } from './point-index.ts';

export interface NearestCommune {
  /** The commune (for a point in Lyon or Marseille, the city itself, not the arrondissement). */
  readonly commune: Commune;
  /** The municipal arrondissement when the nearest reference point is one (Lyon, Marseille). */
  readonly arrondissement: Commune | null;
  /**
   * Best single postcode: the arrondissement's, else the commune's first. A commune with several
   * postcodes (Toulouse, …) cannot be split by this data: check `commune.postcodes`.
   */
  readonly postcode: string;
  /** Great-circle distance from the query to the reference point, in metres. */
  readonly distanceMeters: number;
  /**
   * True when the reference point is a postcode centroid, not the commune's own point: communes
   * sharing a postcode then share a point, and the most populous of them is returned.
   */
  readonly approximate: boolean;
}

export interface NearestCommuneOptions {
  /** Give up beyond this distance (metres). Default 50 km: nothing is returned at sea or abroad. */
  readonly maxDistanceMeters?: number;
}

const PARENT_BY_DEPARTEMENT: Readonly<Record<string, string>> = { '13': '13055', '69': '69123', '75': '75056' };

let index: { entries: readonly Commune[]; points: PointIndex; byInsee: ReadonlyMap<string, Commune> } | undefined;
const getIndex = (): NonNullable<typeof index> => {
  if (index) return index;
  const all = loadFrenchCommunes();
  // A city whose arrondissements have points is represented by them (finer postcodes).
  const splitCities = new Set(all.filter((c) => c.kind === 'arrondissement' && c.location).map((c) => PARENT_BY_DEPARTEMENT[c.departement]));
  // Most populous first: among communes stacked on one postcode centroid, the first one wins.
  const entries = all
    .filter((c) => c.location && !splitCities.has(c.insee))
    .sort((a, b) => b.population - a.population || a.insee.localeCompare(b.insee));
  index = {
    entries,
    points: createPointIndex(entries.map((c) => c.location)),
    byInsee: new Map(all.map((c) => [c.insee, c])),
  };
  return index;
};

/**
 * Reverse geocoding to the commune whose reference point (town centre) is nearest: a Voronoi
 * approximation of the commune boundaries, typically right except near a border.
 * @example nearestCommune(lngLat(3.33, 50.13))?.commune.name // 'Cattenières'
 */
export const nearestCommune = (location: LngLat, options: NearestCommuneOptions = {}): NearestCommune | null => {
  const { entries, points, byInsee } = getIndex();
  const hit = points.nearest(location[0], location[1], options.maxDistanceMeters ?? 50_000);
  const entry = hit ? entries[hit.index] : undefined;
  if (!hit || !entry) return null;
  const parent = entry.kind === 'arrondissement' ? byInsee.get(PARENT_BY_DEPARTEMENT[entry.departement] ?? '') : undefined;
  return {
    commune: parent ?? entry,
    arrondissement: parent ? entry : null,
    postcode: entry.postcodes[0] ?? '',
    distanceMeters: Math.round(hit.distanceMeters),
    approximate: entry.locationSource !== 'geonames',
  };
};
