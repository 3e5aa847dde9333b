import type { FeatureCollection, Point } from 'geojson';
import type { StyleSpecification } from './maplibre.ts';
import type { GeoJSONSource, MapLibreMap } from './maplibre.ts';
import { drawText, PIXEL_RATIO } from './canvas-images.ts';

export const BASE_COLORS = {
  sea: '#dde8f2',
  land: '#f1f4f8',
  home: '#ffffff',
  countryLine: '#9aa9bb',
  regionLine: '#8494a8',
  departementLine: '#c3ccd8',
  label: '#64748b',
} as const;

const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };

export type BoundaryCollection = FeatureCollection;

/** The layers of the three boundary sets the server ships (properties `{ code, name }`). */
export interface Boundaries {
  readonly countries?: BoundaryCollection | undefined;
  readonly regions?: BoundaryCollection | undefined;
  readonly departements?: BoundaryCollection | undefined;
}

export const LABEL_IMAGE_PREFIX = 'label:';
export const COUNT_IMAGE_PREFIX = 'count:';

/**
 * The offline base map: no tile server, no glyphs, no sprite. Only a background colour and the
 * boundaries fetched from our own API (set later with `setBoundaries`).
 */
export const createBaseStyle = (): StyleSpecification => ({
  version: 8,
  name: 'GeoCRM offline',
  sources: {
    countries: { type: 'geojson', data: EMPTY },
    regions: { type: 'geojson', data: EMPTY },
    departements: { type: 'geojson', data: EMPTY },
    'departement-labels': { type: 'geojson', data: EMPTY },
  },
  layers: [
    { id: 'background', type: 'background', paint: { 'background-color': BASE_COLORS.sea } },
    {
      id: 'countries-fill',
      type: 'fill',
      source: 'countries',
      paint: { 'fill-color': ['match', ['get', 'code'], ['FR', 'FRA', '250'], BASE_COLORS.home, BASE_COLORS.land], 'fill-antialias': true },
    },
    {
      id: 'departements-line',
      type: 'line',
      source: 'departements',
      minzoom: 4.5,
      paint: { 'line-color': BASE_COLORS.departementLine, 'line-width': ['interpolate', ['linear'], ['zoom'], 5, 0.4, 9, 1.2] },
    },
    {
      id: 'regions-line',
      type: 'line',
      source: 'regions',
      paint: { 'line-color': BASE_COLORS.regionLine, 'line-width': ['interpolate', ['linear'], ['zoom'], 4, 0.6, 9, 1.8], 'line-opacity': 0.8 },
    },
    {
      id: 'countries-line',
      type: 'line',
      source: 'countries',
      paint: { 'line-color': BASE_COLORS.countryLine, 'line-width': ['interpolate', ['linear'], ['zoom'], 2, 0.6, 8, 2] },
    },
    {
      id: 'departement-labels',
      type: 'symbol',
      source: 'departement-labels',
      minzoom: 6,
      layout: {
        'icon-image': ['concat', LABEL_IMAGE_PREFIX, ['get', 'name']],
        'icon-allow-overlap': false,
        'icon-padding': 4,
      },
      paint: { 'icon-opacity': 0.9 },
    },
  ],
});

type Ring = readonly (readonly number[])[];

const ringArea = (ring: Ring): number => {
  let area = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i, i += 1) {
    const [x1 = 0, y1 = 0] = ring[j] ?? [];
    const [x2 = 0, y2 = 0] = ring[i] ?? [];
    area += x1 * y2 - x2 * y1;
  }
  return area / 2;
};

const ringCentroid = (ring: Ring): [number, number] => {
  let cx = 0;
  let cy = 0;
  let area = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i, i += 1) {
    const [x1 = 0, y1 = 0] = ring[j] ?? [];
    const [x2 = 0, y2 = 0] = ring[i] ?? [];
    const f = x1 * y2 - x2 * y1;
    cx += (x1 + x2) * f;
    cy += (y1 + y2) * f;
    area += f;
  }
  if (area === 0) {
    const [x = 0, y = 0] = ring[0] ?? [];
    return [x, y];
  }
  return [cx / (3 * area), cy / (3 * area)];
};

/** One label point per feature: the centroid of its largest outer ring. */
export const labelPoints = (collection: BoundaryCollection): FeatureCollection<Point> => ({
  type: 'FeatureCollection',
  features: collection.features.flatMap((feature) => {
    const geometry = feature.geometry;
    const rings: Ring[] = [];
    if (geometry.type === 'Polygon' && geometry.coordinates[0]) rings.push(geometry.coordinates[0]);
    if (geometry.type === 'MultiPolygon') {
      for (const polygon of geometry.coordinates) if (polygon[0]) rings.push(polygon[0]);
    }
    const largest = rings.reduce<Ring | undefined>((best, ring) => (!best || Math.abs(ringArea(ring)) > Math.abs(ringArea(best)) ? ring : best), undefined);
    if (!largest) return [];
    return [{ type: 'Feature' as const, properties: feature.properties, geometry: { type: 'Point' as const, coordinates: ringCentroid(largest) } }];
  }),
});

/** Sets whichever boundary collections are given; call again when more arrive. */
export const setBoundaries = (map: MapLibreMap, boundaries: Boundaries): void => {
  const set = (id: string, data: FeatureCollection | undefined) => {
    const source = map.getSource<GeoJSONSource>(id);
    if (source && data) void source.setData(data);
  };
  set('countries', boundaries.countries);
  set('regions', boundaries.regions);
  set('departements', boundaries.departements);
  if (boundaries.departements) set('departement-labels', labelPoints(boundaries.departements));
};

/** Makes text images on demand for `label:<text>` (base map) and `count:<n>` (clusters) icons. */
export const installTextImages = (map: MapLibreMap): void => {
  map.setMissingStyleImageResolver((id) => {
    if (map.hasImage(id)) return;
    if (id.startsWith(LABEL_IMAGE_PREFIX)) {
      const text = id.slice(LABEL_IMAGE_PREFIX.length);
      map.addImage(id, drawText(text, { fontSize: 11, color: BASE_COLORS.label, halo: 'rgba(255,255,255,0.9)', weight: 500 }), { pixelRatio: PIXEL_RATIO });
    } else if (id.startsWith(COUNT_IMAGE_PREFIX)) {
      const text = id.slice(COUNT_IMAGE_PREFIX.length);
      map.addImage(id, drawText(text, { fontSize: 12, color: '#ffffff', weight: 700 }), { pixelRatio: PIXEL_RATIO });
    }
  });
};

export const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

export interface AttributionItem {
  readonly name: string;
  readonly licence: string;
  readonly url: string;
}

/** HTML strings for MapLibre's attribution control. */
export const attributionHtml = (items: readonly AttributionItem[]): string[] =>
  items.map((item) => {
    const safeUrl = /^https?:\/\//.test(item.url) ? item.url : '';
    const name = escapeHtml(item.name);
    const link = safeUrl ? `<a href="${escapeHtml(safeUrl)}" target="_blank" rel="noopener">${name}</a>` : name;
    return item.licence ? `${link} (${escapeHtml(item.licence)})` : link;
  });
