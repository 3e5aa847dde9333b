import { useEffect, useMemo, useRef } from 'react';
import type { FeatureCollection, LineString } from 'geojson';
import type { Slot } from '@geocrm/contracts';
import { LngLatBounds, Marker, type GeoJSONSource, type MapLibreMap } from '../../map/maplibre.ts';
import type { AttributionItem, Boundaries } from '../../map/base-style.ts';
import { useBaseMap } from '../../map/use-base-map.ts';

const SOURCE = 'slot-route';
const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };

interface SlotMapProps {
  readonly slot: Slot | null;
  readonly boundaries: Boundaries;
  readonly attribution: readonly AttributionItem[] | undefined;
}

const addLayers = (map: MapLibreMap): void => {
  map.addSource(SOURCE, { type: 'geojson', data: EMPTY });
  map.addLayer({ id: 'slot-route-casing', type: 'line', source: SOURCE, paint: { 'line-color': '#ffffff', 'line-width': 6 }, layout: { 'line-join': 'round', 'line-cap': 'round' } });
  map.addLayer({ id: 'slot-route-line', type: 'line', source: SOURCE, paint: { 'line-color': '#2563eb', 'line-width': 3 }, layout: { 'line-join': 'round', 'line-cap': 'round' } });
};

/** The day of a slot: the route from the base by each stop (numbered; the new appointment in red) and back. */
export const SlotMap = ({ slot, boundaries, attribution }: SlotMapProps) => {
  const containerRef = useRef<HTMLDivElement>(null);
  const map = useBaseMap(containerRef, { boundaries, attribution, compactAttribution: true, onReady: addLayers });
  const markers = useRef<Marker[]>([]);

  const line = useMemo((): FeatureCollection => {
    if (!slot) return EMPTY;
    const coords = [slot.day.base, ...slot.day.stops.map((s) => s.location), slot.day.base].map((p) => [p.lng, p.lat]);
    const geometry: LineString = { type: 'LineString', coordinates: coords };
    return { type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry }] };
  }, [slot]);

  useEffect(() => {
    if (!map) return undefined;
    void map.getSource<GeoJSONSource>(SOURCE)?.setData(line);
    for (const m of markers.current) m.remove();
    markers.current = [];
    if (!slot) return undefined;
    const home = document.createElement('div');
    home.className = 'slot-pin slot-pin-base';
    home.title = 'Start and end of the day';
    home.textContent = '⌂';
    markers.current.push(new Marker({ element: home }).setLngLat([slot.day.base.lng, slot.day.base.lat]).addTo(map));
    slot.day.stops.forEach((s, i) => {
      const el = document.createElement('div');
      el.className = `slot-pin${s.isNew ? ' slot-pin-new' : s.shiftMinutes !== 0 ? ' slot-pin-moved' : ''}`;
      el.textContent = String(i + 1);
      el.title = s.accountName;
      el.dataset['testid'] = s.isNew ? 'slot-pin-new' : 'slot-pin';
      markers.current.push(new Marker({ element: el }).setLngLat([s.location.lng, s.location.lat]).addTo(map));
    });
    const bounds = new LngLatBounds();
    for (const c of [slot.day.base, ...slot.day.stops.map((s) => s.location)]) bounds.extend([c.lng, c.lat]);
    map.fitBounds(bounds, { padding: 36, maxZoom: 13, duration: 0 });
    // drawn: the route and the base map rendered (browser tests wait for it before a screenshot)
    const container = containerRef.current;
    container?.setAttribute('data-drawn', 'false');
    const drawn = () => container?.setAttribute('data-drawn', 'true');
    map.once('idle', drawn);
    return () => {
      map.off('idle', drawn);
    };
  }, [map, slot, line]);

  useEffect(
    () => () => {
      for (const m of markers.current) m.remove();
      markers.current = [];
    },
    [],
  );

  return <div className="slot-map" ref={containerRef} data-testid="slot-map" data-ready={map ? 'true' : 'false'} />;
};
