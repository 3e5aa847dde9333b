import { useEffect, useMemo, useRef } from 'react';
import type { Feature, FeatureCollection, LineString, Point } from 'geojson';
import { LngLatBounds, type GeoJSONSource, type MapLibreMap } from '../../map/maplibre.ts';
import type { AttributionItem, Boundaries } from '../../map/base-style.ts';
import { useBaseMap } from '../../map/use-base-map.ts';
import type { TeamRepPlan } from './team-planning-api.ts';

const ROUTES = 'team-routes';
const STOPS = 'team-stops';
const HOMES = 'team-homes';
const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };
type Position = [number, number];

const addLayers = (map: MapLibreMap): void => {
  map.addSource(ROUTES, { type: 'geojson', data: EMPTY });
  map.addSource(STOPS, { type: 'geojson', data: EMPTY });
  map.addSource(HOMES, { type: 'geojson', data: EMPTY });
  map.addLayer({ id: 'team-route-casing', type: 'line', source: ROUTES, layout: { 'line-join': 'round', 'line-cap': 'round' }, paint: { 'line-color': '#ffffff', 'line-width': 4, 'line-opacity': 0.8 } });
  map.addLayer({
    id: 'team-route-line',
    type: 'line',
    source: ROUTES,
    layout: { 'line-join': 'round', 'line-cap': 'round' },
    paint: { 'line-color': ['get', 'colour'], 'line-width': 2.2, 'line-opacity': ['case', ['get', 'dim'], 0.15, 0.9] },
  });
  map.addLayer({
    id: 'team-stop-dot',
    type: 'circle',
    source: STOPS,
    paint: { 'circle-radius': 3.5, 'circle-color': ['get', 'colour'], 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 1, 'circle-opacity': ['case', ['get', 'dim'], 0.15, 1], 'circle-stroke-opacity': ['case', ['get', 'dim'], 0.15, 1] },
  });
  map.addLayer({
    id: 'team-home',
    type: 'circle',
    source: HOMES,
    paint: { 'circle-radius': 7, 'circle-color': '#ffffff', 'circle-stroke-color': ['get', 'colour'], 'circle-stroke-width': 3.5 },
  });
};

/** Every rep's days as straight legs (base or hotel → stops → night) and the stops, in the rep's colour. */
export const teamFeatures = (reps: readonly TeamRepPlan[], focus: string | null) => {
  const routes: Feature<LineString>[] = [];
  const stops: Feature<Point>[] = [];
  const homes: Feature<Point>[] = [];
  for (const rep of reps) {
    const dim = focus !== null && focus !== rep.userId;
    const props = { colour: rep.colour, rep: rep.userId, dim };
    const baseDay = rep.plan.days.find((d) => d.startsFrom.kind !== 'hotel');
    const base: Position | null = baseDay ? [baseDay.startsFrom.location.lng, baseDay.startsFrom.location.lat] : null;
    if (base) homes.push({ type: 'Feature', properties: props, geometry: { type: 'Point', coordinates: base } });
    for (const day of rep.plan.days) {
      const points = day.stops.flatMap((s): Position[] => (s.location ? [[s.location.lng, s.location.lat]] : []));
      if (points.length === 0) continue;
      const start: Position = [day.startsFrom.location.lng, day.startsFrom.location.lat];
      const end: Position | null = day.night.stay === 'hotel' && day.night.location ? [day.night.location.lng, day.night.location.lat] : base;
      routes.push({ type: 'Feature', properties: props, geometry: { type: 'LineString', coordinates: [start, ...points, ...(end ? [end] : [])] } });
      for (const p of points) stops.push({ type: 'Feature', properties: props, geometry: { type: 'Point', coordinates: p } });
    }
  }
  return {
    routes: { type: 'FeatureCollection', features: routes } satisfies FeatureCollection,
    stops: { type: 'FeatureCollection', features: stops } satisfies FeatureCollection,
    homes: { type: 'FeatureCollection', features: homes } satisfies FeatureCollection,
  };
};

interface TeamMapProps {
  readonly reps: readonly TeamRepPlan[];
  /** One rep brought forward (the others faded), or null. */
  readonly focus: string | null;
  readonly fitKey: string;
  readonly boundaries: Boundaries;
  readonly attribution: readonly AttributionItem[] | undefined;
}

/** Every rep's routes in their colour, their stops and their homes. */
export const TeamMap = ({ reps, focus, fitKey, boundaries, attribution }: TeamMapProps) => {
  const containerRef = useRef<HTMLDivElement>(null);
  const map = useBaseMap(containerRef, { boundaries, attribution, compactAttribution: true, onReady: addLayers });
  const features = useMemo(() => teamFeatures(reps, focus), [reps, focus]);

  useEffect(() => {
    if (!map) return;
    void map.getSource<GeoJSONSource>(ROUTES)?.setData(features.routes);
    void map.getSource<GeoJSONSource>(STOPS)?.setData(features.stops);
    void map.getSource<GeoJSONSource>(HOMES)?.setData(features.homes);
  }, [map, features]);

  const fittedRef = useRef('');
  useEffect(() => {
    if (!map || fittedRef.current === fitKey || reps.length === 0) return;
    const bounds = new LngLatBounds();
    for (const f of [...features.stops.features, ...features.homes.features]) bounds.extend(f.geometry.coordinates as Position);
    if (bounds.isEmpty()) return;
    fittedRef.current = fitKey;
    map.fitBounds(bounds, { padding: 40, maxZoom: 11, duration: 0 });
  }, [map, features, fitKey, reps.length]);

  useEffect(() => {
    if (!map) return undefined;
    window.__geocrmMap = map;
    return () => {
      if (window.__geocrmMap === map) window.__geocrmMap = undefined;
    };
  }, [map]);

  return <div className="map-canvas" ref={containerRef} data-testid="team-map" data-ready={map ? 'true' : 'false'} />;
};
