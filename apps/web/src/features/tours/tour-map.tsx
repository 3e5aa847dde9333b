import { useEffect, useMemo, useRef } from 'react';
import type { Feature, FeatureCollection, LineString } from 'geojson';
import { LngLatBounds, Marker, type ExpressionSpecification, type GeoJSONSource, type MapLibreMap } from '../../map/maplibre.ts';
import type { AttributionItem, Boundaries } from '../../map/base-style.ts';
import { useBaseMap } from '../../map/use-base-map.ts';
import { dayColour } from './tour-format.ts';
import type { TourPlan } from './tours-types.ts';

const SOURCE = 'tour-routes';
export const TOUR_ROUTE_LAYER = 'tour-route-line';
const EMPTY: FeatureCollection<LineString> = { type: 'FeatureCollection', features: [] };

type Position = [number, number];

interface TourMapProps {
  readonly plan: TourPlan | null;
  /** Changes when a new tour is shown (not on every edit): the map then fits it. */
  readonly fitKey: string;
  readonly highlighted: string | null;
  /** One day brought forward (the others dimmed), or null for all. */
  readonly focusDay: number | null;
  readonly boundaries: Boundaries;
  readonly attribution: readonly AttributionItem[] | undefined;
  readonly onStopClick: (visitId: string) => void;
  /** Before a tour is shown: the rep's home, centred and marked. */
  readonly home: { readonly label: string; readonly location: { readonly lng: number; readonly lat: number } } | null;
  /** The map once it is ready (other panels draw on it), null when it goes. */
  readonly onMap?: (map: MapLibreMap | null) => void;
}

const addLayers = (map: MapLibreMap): void => {
  map.addSource(SOURCE, { type: 'geojson', data: EMPTY });
  map.addLayer({ id: 'tour-route-casing', type: 'line', source: SOURCE, layout: { 'line-join': 'round', 'line-cap': 'round' }, paint: { 'line-color': '#ffffff', 'line-width': 6.5, 'line-opacity': 0.9 } });
  map.addLayer({
    id: TOUR_ROUTE_LAYER,
    type: 'line',
    source: SOURCE,
    layout: { 'line-join': 'round', 'line-cap': 'round' },
    paint: { 'line-color': ['get', 'colour'], 'line-width': 3.5, 'line-opacity': ['case', ['get', 'returnLeg'], 0.55, 0.95] },
  });
};

/** The base (home or office) of the rep: where a day that does not start at a hotel starts. */
const baseOf = (plan: TourPlan): Position | null => {
  const day = plan.days.find((d) => d.startsFrom.kind !== 'hotel');
  return day ? [day.startsFrom.location.lng, day.startsFrom.location.lat] : null;
};

/** Each day's route as straight legs (start → stops → night), in the day's colour; the way back drawn lighter. */
export const routeFeatures = (plan: TourPlan): FeatureCollection<LineString> => {
  const base = baseOf(plan);
  const features: Feature<LineString>[] = [];
  plan.days.forEach((day, i) => {
    const stops = day.stops.flatMap((s): Position[] => (s.location ? [[s.location.lng, s.location.lat]] : []));
    if (stops.length === 0) return;
    const start: Position = [day.startsFrom.location.lng, day.startsFrom.location.lat];
    const end: Position | null = day.night.stay === 'hotel' && day.night.location ? [day.night.location.lng, day.night.location.lat] : base;
    const colour = dayColour(i);
    features.push({ type: 'Feature', properties: { day: i, colour, returnLeg: false }, geometry: { type: 'LineString', coordinates: [start, ...stops] } });
    const last = stops[stops.length - 1];
    if (end && last) features.push({ type: 'Feature', properties: { day: i, colour, returnLeg: true }, geometry: { type: 'LineString', coordinates: [last, end] } });
  });
  return { type: 'FeatureCollection', features };
};

const markerElement = (className: string, text: string, title: string, colour?: string): HTMLElement => {
  const el = document.createElement('div');
  el.className = className;
  el.textContent = text;
  el.title = title;
  if (colour) el.style.setProperty('--day-colour', colour);
  return el;
};

/** Each day's route in its colour with numbered stops; the home base and the hotel nights marked. */
export const TourMap = ({ plan, fitKey, highlighted, focusDay, home, boundaries, attribution, onStopClick, onMap }: TourMapProps) => {
  const containerRef = useRef<HTMLDivElement>(null);
  const map = useBaseMap(containerRef, { boundaries, attribution, compactAttribution: true, onReady: addLayers });
  const clickRef = useRef(onStopClick);
  clickRef.current = onStopClick;
  const markersRef = useRef<Map<string, HTMLElement>>(new Map());

  const routes = useMemo(() => (plan ? routeFeatures(plan) : EMPTY), [plan]);

  useEffect(() => {
    if (!map) return;
    void map.getSource<GeoJSONSource>(SOURCE)?.setData(routes);
  }, [map, routes]);

  useEffect(() => {
    if (!map || !plan) return undefined;
    const markers: Marker[] = [];
    const byVisit = new Map<string, HTMLElement>();
    plan.days.forEach((day, i) => {
      day.stops.forEach((stop, j) => {
        if (!stop.location) return;
        const flagged = stop.flags.length > 0;
        const el = markerElement(`tour-marker tour-marker-stop${flagged ? ' flagged' : ''}`, String(j + 1), `${day.date} · ${String(j + 1)}. ${stop.accountName}${flagged ? ` — ${stop.flags.map((f) => f.message).join('; ')}` : ''}`, dayColour(i));
        el.dataset['testid'] = 'tour-stop-marker';
        el.dataset['day'] = String(i);
        el.addEventListener('click', (e) => {
          e.stopPropagation();
          clickRef.current(stop.visitId);
        });
        byVisit.set(stop.visitId, el);
        markers.push(new Marker({ element: el }).setLngLat([stop.location.lng, stop.location.lat]).addTo(map));
      });
      if (day.night.stay === 'hotel' && day.night.location) {
        const el = markerElement('tour-marker tour-marker-hotel', 'H', `Hotel night after ${day.date}`, dayColour(i));
        el.dataset['testid'] = 'tour-hotel-marker';
        // beside the last stop (the hotel is near it), not under it
        markers.push(new Marker({ element: el, offset: [16, -16] }).setLngLat([day.night.location.lng, day.night.location.lat]).addTo(map));
      }
    });
    // the base last: drawn over the stops near it
    const base = baseOf(plan);
    const baseDay = plan.days.find((d) => d.startsFrom.kind !== 'hotel');
    if (base && baseDay) {
      const kind = baseDay.startsFrom.kind === 'office' ? 'Office' : 'Home';
      markers.push(new Marker({ element: markerElement('tour-marker tour-marker-base', kind === 'Office' ? '▣' : '⌂', `${kind}: start and end of the days`) }).setLngLat(base).addTo(map));
    }
    markersRef.current = byVisit;
    return () => {
      for (const m of markers) m.remove();
      markersRef.current = new Map();
    };
  }, [map, plan]);

  useEffect(() => {
    for (const [id, el] of markersRef.current) el.classList.toggle('highlighted', id === highlighted);
  }, [highlighted, plan, map]);

  // A focused day: its route and stops stand out, the other days fade; the map fits it when it is picked.
  const focusFitRef = useRef<number | null>(null);
  useEffect(() => {
    if (!map) return;
    const focused: ExpressionSpecification = focusDay === null ? ['literal', true] : ['==', ['get', 'day'], focusDay];
    map.setPaintProperty(TOUR_ROUTE_LAYER, 'line-opacity', ['case', focused, ['case', ['get', 'returnLeg'], 0.55, 0.95], 0.12]);
    map.setPaintProperty('tour-route-casing', 'line-opacity', ['case', focused, 0.9, 0]);
    for (const el of markersRef.current.values()) el.classList.toggle('dimmed', focusDay !== null && el.dataset['day'] !== String(focusDay));
    if (focusDay === focusFitRef.current) return;
    focusFitRef.current = focusDay;
    if (focusDay === null || !plan) return;
    const day = plan.days[focusDay];
    const bounds = new LngLatBounds();
    for (const s of day?.stops ?? []) if (s.location) bounds.extend([s.location.lng, s.location.lat]);
    if (day && !bounds.isEmpty()) {
      bounds.extend([day.startsFrom.location.lng, day.startsFrom.location.lat]);
      map.fitBounds(bounds, { padding: { top: 150, left: 50, right: 60, bottom: 40 }, maxZoom: 13, duration: 300 });
    }
  }, [map, focusDay, plan]);

  const onMapRef = useRef(onMap);
  onMapRef.current = onMap;
  useEffect(() => {
    onMapRef.current?.(map);
    return () => onMapRef.current?.(null);
  }, [map]);

  // No tour yet: the rep's home, where the days will start.
  const homeKey = home ? `${String(home.location.lng)},${String(home.location.lat)}` : '';
  const homeRef = useRef(home);
  homeRef.current = home;
  useEffect(() => {
    const h = homeRef.current;
    if (!map || plan || !h) return undefined;
    map.jumpTo({ center: [h.location.lng, h.location.lat], zoom: 8 });
    const marker = new Marker({ element: markerElement('tour-marker tour-marker-base', '⌂', `Home: ${h.label}`) }).setLngLat([h.location.lng, h.location.lat]).addTo(map);
    return () => {
      marker.remove();
    };
  }, [map, plan, homeKey]);

  // Fit the tour when a new one is shown (edits keep the view the person chose).
  const fittedRef = useRef('');
  useEffect(() => {
    if (!map || !plan || fittedRef.current === fitKey) return;
    const bounds = new LngLatBounds();
    let any = false;
    for (const f of routes.features) {
      for (const c of f.geometry.coordinates) {
        bounds.extend(c as Position);
        any = true;
      }
    }
    const base = baseOf(plan);
    if (base) {
      bounds.extend(base);
      any = true;
    }
    if (!any) return;
    fittedRef.current = fitKey;
    // room for the legend in the top left corner
    map.fitBounds(bounds, { padding: { top: 150, left: 50, right: 60, bottom: 40 }, maxZoom: 12, duration: 0 });
  }, [map, plan, routes, fitKey]);

  useEffect(() => {
    if (!map) return undefined;
    window.__geocrmMap = map;
    return () => {
      if (window.__geocrmMap === map) window.__geocrmMap = undefined;
    };
  }, [map]);

  return <div className="map-canvas" ref={containerRef} data-testid="tour-map" data-ready={map ? 'true' : 'false'} />;
};
