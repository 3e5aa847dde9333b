import { readFileSync } from 'node:fs';
import { lngLat, type LngLat } from '@geocrm/domain';
import type { CommunesFile } from './communes-format.ts';

export const LOCATION_SOURCES = ['geonames', 'postcode-centroid'] as const;
/** `geonames`: a GeoNames point for the commune; `postcode-centroid`: centre of the located communes sharing a postcode. */
export type LocationSource = (typeof LOCATION_SOURCES)[number];

export interface Commune {
  /** INSEE code (code officiel géographique), e.g. '75056'. */
  readonly insee: string;
  readonly name: string;
  readonly postcodes: readonly string[];
  readonly departement: string;
  readonly region: string;
  readonly population: number;
  /** null for the ~3.5 % of communes no source could place (kept, not dropped). */
  readonly location: LngLat | null;
  readonly locationSource: LocationSource | null;
  /** Municipal arrondissements of Paris, Lyon and Marseille are listed beside their commune. */
  readonly kind: 'commune' | 'arrondissement';
}

/** A former commune (commune déléguée or associée) merged into a current one; for geocoding old addresses. */
export interface FormerCommune {
  readonly insee: string;
  readonly name: string;
  /** INSEE code of the current commune. */
  readonly parent: string;
  readonly kind: 'deleguee' | 'associee';
  readonly location: LngLat | null;
}

export interface Departement { readonly code: string; readonly name: string; readonly region: string }
export interface Region { readonly code: string; readonly name: string }

let file: CommunesFile | undefined;
const readFile = (): CommunesFile => {
  file ??= JSON.parse(readFileSync(new URL('../data/fr-communes.json', import.meta.url), 'utf8')) as CommunesFile;
  return file;
};

const point = (lng: number | null | undefined, lat: number | null | undefined): LngLat | null =>
  lng === null || lng === undefined || lat === null || lat === undefined ? null : lngLat(lng, lat);

let departements: readonly Departement[] | undefined;
/** The 101 départements (96 metropolitan + 5 overseas), sorted by code. */
export const frenchDepartements = (): readonly Departement[] => {
  departements ??= Object.freeze(readFile().departements.map(([code, name, region]) => Object.freeze({ code, name, region })));
  return departements;
};

let regions: readonly Region[] | undefined;
/** The 18 régions (13 metropolitan + 5 overseas). */
export const frenchRegions = (): readonly Region[] => {
  regions ??= Object.freeze(readFile().regions.map(([code, name]) => Object.freeze({ code, name })));
  return regions;
};

let communes: readonly Commune[] | undefined;
/**
 * Every current French commune of metropolitan France and the overseas départements
 * (34,875), plus the 45 municipal arrondissements, sorted by INSEE code. Loaded once.
 * @example loadFrenchCommunes().find((c) => c.insee === '75056')?.location // [2.3488, 48.85341]
 */
export const loadFrenchCommunes = (): readonly Commune[] => {
  if (communes) return communes;
  const c = readFile().communes;
  const regionOf = new Map(frenchDepartements().map((d) => [d.code, d.region]));
  communes = Object.freeze(
    c.insee.map((insee, i): Commune => {
      const location = point(c.lng[i], c.lat[i]);
      const departement = c.departement[i] ?? '';
      return Object.freeze({
        insee,
        name: c.name[i] ?? '',
        postcodes: Object.freeze((c.postcodes[i] ?? '').split(' ').filter((p) => p !== '')),
        departement,
        region: regionOf.get(departement) ?? '',
        population: c.population[i] ?? 0,
        location,
        locationSource: location === null ? null : c.source[i] === 1 ? 'geonames' : 'postcode-centroid',
        kind: c.kind[i] === 1 ? 'arrondissement' : 'commune',
      });
    }),
  );
  return communes;
};

let former: readonly FormerCommune[] | undefined;
/** Former communes (déléguées / associées) with the current commune they belong to. */
export const loadFormerCommunes = (): readonly FormerCommune[] => {
  if (former) return former;
  const f = readFile().formerCommunes;
  former = Object.freeze(
    f.insee.map((insee, i): FormerCommune =>
      Object.freeze({
        insee,
        name: f.name[i] ?? '',
        parent: f.parent[i] ?? '',
        kind: f.kind[i] === 1 ? 'associee' : 'deleguee',
        location: point(f.lng[i], f.lat[i]),
      }),
    ),
  );
  return former;
};
