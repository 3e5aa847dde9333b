import { useEffect, useMemo, useRef } from 'react';
import type { Feature, FeatureCollection, LineString, Point } from 'geojson';
import { LngLatBounds, type GeoJSONSource, type MapLibreMap } from '../../map/maplibre.ts';
import type { AttributionItem, Boundaries } from '../../map/base-style.ts';
import { useBaseMap } from '../../map/use-base-map.ts';
import type { AccountOwnersPreview, AutoAssignPreview } from './assignment-api.ts';

const ROUTES = 'assign-routes';
const POINTS = 'assign-points';
const HOMES = 'assign-homes';
export const ASSIGN_ROUTE_LAYER = 'assign-route-line';
export const ASSIGN_POINT_LAYER = 'assign-point';
const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };
type Position = [number, number];
const UNASSIGNED_COLOUR = '#111827';

const addLayers = (map: MapLibreMap): void => {
  map.addSource(ROUTES, { type: 'geojson', data: EMPTY });
  map.addSource(POINTS, { type: 'geojson', data: EMPTY });
  map.addSource(HOMES, { type: 'geojson', data: EMPTY });
  map.addLayer({ id: 'assign-route-casing', type: 'line', source: ROUTES, layout: { 'line-join': 'round', 'line-cap': 'round' }, paint: { 'line-color': '#ffffff', 'line-width': 4.5, 'line-opacity': 0.8 } });
  map.addLayer({
    id: ASSIGN_ROUTE_LAYER,
    type: 'line',
    source: ROUTES,
    layout: { 'line-join': 'round', 'line-cap': 'round' },
    paint: { 'line-color': ['get', 'colour'], 'line-width': 2.5, 'line-opacity': ['case', ['get', 'dim'], 0.12, 0.9] },
  });
  // homes under the points: a task or an account next to a home stays visible
  map.addLayer({ id: 'assign-home', type: 'circle', source: HOMES, paint: { 'circle-radius': 7.5, 'circle-color': '#ffffff', 'circle-stroke-color': ['get', 'colour'], 'circle-stroke-width': 3.5 } });
  map.addLayer({
    id: ASSIGN_POINT_LAYER,
    type: 'circle',
    source: POINTS,
    paint: {
      'circle-radius': ['case', ['get', 'unassigned'], 6, 4.5],
      'circle-color': ['get', 'colour'],
      'circle-stroke-color': ['case', ['get', 'unassigned'], '#ef4444', '#ffffff'],
      'circle-stroke-width': ['case', ['get', 'unassigned'], 2.5, 1.2],
      'circle-opacity': ['case', ['get', 'dim'], 0.15, 1],
    },
  });
};

interface Layers {
  readonly routes: FeatureCollection<LineString>;
  readonly points: FeatureCollection<Point>;
  readonly homes: FeatureCollection<Point>;
}

/** Each technician's days as straight legs home → tasks → home in the technician's colour; tasks left out in black with a red ring. */
export const taskLayers = (preview: AutoAssignPreview, focus: string | null): Layers => {
  const routes: Feature<LineString>[] = [];
  const points: Feature<Point>[] = [];
  const homes: Feature<Point>[] = [];
  for (const t of preview.technicians) {
    const dim = focus !== null && focus !== t.userId;
    const props = { colour: t.colour, user: t.userId, dim, unassigned: false };
    const home: Position | null = t.home ? [t.home.lng, t.home.lat] : null;
    if (home && t.tasks > 0) homes.push({ type: 'Feature', properties: props, geometry: { type: 'Point', coordinates: home } });
    for (const d of t.days) {
      const stops = d.tasks.map((x): Position => [x.location.lng, x.location.lat]);
      if (!stops.length) continue;
      routes.push({ type: 'Feature', properties: { ...props, date: d.date }, geometry: { type: 'LineString', coordinates: home ? [home, ...stops, home] : stops } });
      for (const p of stops) points.push({ type: 'Feature', properties: props, geometry: { type: 'Point', coordinates: p } });
    }
  }
  for (const u of preview.unassigned) {
    if (u.location) points.push({ type: 'Feature', properties: { colour: UNASSIGNED_COLOUR, user: '', dim: false, unassigned: true }, geometry: { type: 'Point', coordinates: [u.location.lng, u.location.lat] } });
  }
  return { routes: { type: 'FeatureCollection', features: routes }, points: { type: 'FeatureCollection', features: points }, homes: { type: 'FeatureCollection', features: homes } };
};

/** Accounts in the colour of the rep they would go to; reps' homes; accounts left without owner in black. */
export const ownerLayers = (preview: AccountOwnersPreview, focus: string | null): Layers => {
  const colour = new Map(preview.reps.map((r) => [r.userId, r.colour]));
  const points: Feature<Point>[] = [];
  const homes: Feature<Point>[] = [];
  for (const a of preview.assignments) {
    if (a.location) points.push({ type: 'Feature', properties: { colour: colour.get(a.userId) ?? '#64748b', user: a.userId, dim: focus !== null && focus !== a.userId, unassigned: false }, geometry: { type: 'Point', coordinates: [a.location.lng, a.location.lat] } });
  }
  for (const u of preview.unassigned) {
    if (u.location) points.push({ type: 'Feature', properties: { colour: UNASSIGNED_COLOUR, user: '', dim: false, unassigned: true }, geometry: { type: 'Point', coordinates: [u.location.lng, u.location.lat] } });
  }
  for (const r of preview.reps) {
    if (r.home && r.added > 0) homes.push({ type: 'Feature', properties: { colour: r.colour, user: r.userId, dim: false, unassigned: false }, geometry: { type: 'Point', coordinates: [r.home.lng, r.home.lat] } });
  }
  return { routes: { type: 'FeatureCollection', features: [] }, points: { type: 'FeatureCollection', features: points }, homes: { type: 'FeatureCollection', features: homes } };
};

interface AssignmentMapProps {
  readonly layers: Layers | null;
  readonly fitKey: string;
  readonly boundaries: Boundaries;
  readonly attribution: readonly AttributionItem[] | undefined;
}

/** The preview on a map: routes or accounts in each person's colour. */
export const AssignmentMap = ({ layers, fitKey, boundaries, attribution }: AssignmentMapProps) => {
  const containerRef = useRef<HTMLDivElement>(null);
  const map = useBaseMap(containerRef, { boundaries, attribution, compactAttribution: true, onReady: addLayers });
  const data = useMemo(() => layers ?? { routes: EMPTY, points: EMPTY, homes: EMPTY }, [layers]);

  useEffect(() => {
    if (!map) return;
    void map.getSource<GeoJSONSource>(ROUTES)?.setData(data.routes);
    void map.getSource<GeoJSONSource>(POINTS)?.setData(data.points);
    void map.getSource<GeoJSONSource>(HOMES)?.setData(data.homes);
  }, [map, data]);

  const fittedRef = useRef('');
  useEffect(() => {
    if (!map || !layers || fittedRef.current === fitKey) return;
    const bounds = new LngLatBounds();
    for (const f of [...layers.points.features, ...layers.homes.features]) bounds.extend(f.geometry.coordinates as Position);
    if (bounds.isEmpty()) return;
    fittedRef.current = fitKey;
    map.fitBounds(bounds, { padding: 40, maxZoom: 12, duration: 0 });
  }, [map, layers, fitKey]);

  useEffect(() => {
    if (!map) return undefined;
    window.__geocrmMap = map;
    return () => {
      if (window.__geocrmMap === map) window.__geocrmMap = undefined;
    };
  }, [map]);

  return <div className="map-canvas" ref={containerRef} data-testid="assignment-map" data-ready={map ? 'true' : 'false'} />;
};
