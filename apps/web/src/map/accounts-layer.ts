import type { Feature, FeatureCollection, Point } from 'geojson';
import { ACCOUNT_KINDS, ACCOUNT_STATUSES, type AccountKind, type AccountStatus } from '@geocrm/domain';
import type { AccountMapPoint } from '../api/types.ts';
import type { GeoJSONSource, MapLibreMap } from './maplibre.ts';
import { accountImageId, drawAccountSymbol, PIXEL_RATIO } from './canvas-images.ts';
import { COUNT_IMAGE_PREFIX } from './base-style.ts';

export const ACCOUNTS_SOURCE = 'accounts';
export const ACCOUNT_POINTS_LAYER = 'account-points';
export const CLUSTERS_LAYER = 'account-clusters';
export const CLUSTER_COUNT_LAYER = 'account-cluster-count';

export interface AccountPointProperties {
  readonly id: string;
  readonly name: string;
  readonly kind: AccountKind;
  readonly status: AccountStatus;
}

export type AccountFeatureCollection = FeatureCollection<Point, AccountPointProperties>;

/** Compact API rows to GeoJSON, once per response (100k rows take a few ms). */
export const toFeatureCollection = (items: readonly AccountMapPoint[]): AccountFeatureCollection => {
  const features = new Array<Feature<Point, AccountPointProperties>>(items.length);
  for (let i = 0; i < items.length; i += 1) {
    const [id, name, kind, status, lng, lat] = items[i] as AccountMapPoint;
    features[i] = { type: 'Feature', properties: { id, name, kind, status }, geometry: { type: 'Point', coordinates: [lng, lat] } };
  }
  return { type: 'FeatureCollection', features };
};

/** [minLng, minLat, maxLng, maxLat] of the rows, or null when there are none. */
export const boundsOf = (items: readonly AccountMapPoint[]): [number, number, number, number] | null => {
  if (items.length === 0) return null;
  let minLng = Infinity;
  let minLat = Infinity;
  let maxLng = -Infinity;
  let maxLat = -Infinity;
  for (const item of items) {
    const lng = item[4];
    const lat = item[5];
    if (lng < minLng) minLng = lng;
    if (lng > maxLng) maxLng = lng;
    if (lat < minLat) minLat = lat;
    if (lat > maxLat) maxLat = lat;
  }
  return [minLng, minLat, maxLng, maxLat];
};

/** Adds the symbol images (one per kind × status) and the clustered accounts source with its layers. */
export const addAccountLayers = (map: MapLibreMap): void => {
  for (const kind of ACCOUNT_KINDS) {
    for (const status of ACCOUNT_STATUSES) {
      const id = accountImageId(kind, status);
      if (!map.hasImage(id)) map.addImage(id, drawAccountSymbol(kind, status), { pixelRatio: PIXEL_RATIO });
    }
  }
  map.addSource(ACCOUNTS_SOURCE, {
    type: 'geojson',
    data: { type: 'FeatureCollection', features: [] },
    cluster: true,
    clusterRadius: 48,
    clusterMaxZoom: 13,
    promoteId: 'id',
  });
  map.addLayer({
    id: CLUSTERS_LAYER,
    type: 'circle',
    source: ACCOUNTS_SOURCE,
    filter: ['has', 'point_count'],
    paint: {
      'circle-color': ['step', ['get', 'point_count'], '#60a5fa', 25, '#3b82f6', 100, '#2563eb', 500, '#1d4ed8'],
      'circle-radius': ['step', ['get', 'point_count'], 14, 25, 17, 100, 21, 500, 26],
      'circle-stroke-width': 3,
      'circle-stroke-color': 'rgba(255,255,255,0.85)',
      'circle-opacity': 0.92,
    },
  });
  map.addLayer({
    id: CLUSTER_COUNT_LAYER,
    type: 'symbol',
    source: ACCOUNTS_SOURCE,
    filter: ['has', 'point_count'],
    layout: {
      'icon-image': ['concat', COUNT_IMAGE_PREFIX, ['get', 'point_count_abbreviated']],
      'icon-allow-overlap': true,
      'icon-ignore-placement': true,
    },
  });
  map.addLayer({
    id: ACCOUNT_POINTS_LAYER,
    type: 'symbol',
    source: ACCOUNTS_SOURCE,
    filter: ['!', ['has', 'point_count']],
    layout: {
      'icon-image': ['concat', 'account-', ['get', 'kind'], '-', ['get', 'status']],
      'icon-allow-overlap': true,
      'icon-ignore-placement': true,
      'icon-size': ['interpolate', ['linear'], ['zoom'], 5, 0.75, 10, 1, 15, 1.2],
      'symbol-sort-key': ['match', ['get', 'status'], 'archived', 0, 'lost', 1, 'inactive', 2, 'lead', 3, 4],
    },
  });
};

export const setAccounts = (map: MapLibreMap, data: AccountFeatureCollection): void => {
  void map.getSource<GeoJSONSource>(ACCOUNTS_SOURCE)?.setData(data);
};
