import { useEffect, useRef } from 'react';
import type { AccountKind } from '@geocrm/domain';
import { Marker, type MapLibreMap } from './maplibre.ts';
import type { AttributionItem, Boundaries } from './base-style.ts';
import { useBaseMap } from './use-base-map.ts';
import { KIND_STYLES } from '../features/accounts/kind-style.ts';

export interface LngLatValue {
  readonly lng: number;
  readonly lat: number;
}

interface LocationMapProps {
  readonly location: LngLatValue | null;
  readonly kind: AccountKind;
  readonly boundaries: Boundaries;
  readonly attribution: readonly AttributionItem[] | undefined;
  readonly draggable: boolean;
  /** A pin dragged (or placed) by hand. */
  readonly onMove: (location: LngLatValue) => void;
  /** Exposes the map so the page can place a pin at its centre. */
  readonly onMap?: (map: MapLibreMap | null) => void;
}

/** A small map of one account with a draggable pin. */
export const LocationMap = ({ location, kind, boundaries, attribution, draggable, onMove, onMap }: LocationMapProps) => {
  const containerRef = useRef<HTMLDivElement>(null);
  const map = useBaseMap(containerRef, {
    boundaries,
    attribution,
    compactAttribution: true,
    ...(location ? { center: [location.lng, location.lat] as [number, number], zoom: 10 } : { zoom: 4.4 }),
  });
  const markerRef = useRef<Marker | null>(null);
  const onMoveRef = useRef(onMove);
  onMoveRef.current = onMove;

  useEffect(() => {
    onMap?.(map);
  }, [map, onMap]);

  useEffect(() => {
    if (!map) return undefined;
    if (!location) {
      markerRef.current?.remove();
      markerRef.current = null;
      return undefined;
    }
    let marker = markerRef.current;
    if (!marker) {
      marker = new Marker({ color: KIND_STYLES[kind].color, draggable });
      marker.getElement().dataset['testid'] = 'location-marker';
      marker.on('dragend', () => {
        const position = markerRef.current?.getLngLat();
        if (position) onMoveRef.current({ lng: Number(position.lng.toFixed(6)), lat: Number(position.lat.toFixed(6)) });
      });
      markerRef.current = marker;
    }
    marker.setLngLat([location.lng, location.lat]).setDraggable(draggable).addTo(map);
    map.easeTo({ center: [location.lng, location.lat], zoom: Math.max(map.getZoom(), 10), duration: 0 });
    return undefined;
  }, [map, location, draggable, kind]);

  useEffect(
    () => () => {
      markerRef.current?.remove();
      markerRef.current = null;
    },
    [],
  );

  return <div className="location-map" ref={containerRef} data-testid="location-map" data-ready={map ? 'true' : 'false'} />;
};
