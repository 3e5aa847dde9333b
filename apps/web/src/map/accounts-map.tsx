import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { createPortal } from 'react-dom';
import type { AccountMapPoint } from '../api/types.ts';
import { Marker, Popup, type GeoJSONSource, type MapLayerMouseEvent, type MapLibreMap } from './maplibre.ts';
import type { AttributionItem, Boundaries } from './base-style.ts';
import { useBaseMap } from './use-base-map.ts';
import { FitControl } from './fit-control.ts';
import {
  ACCOUNT_POINTS_LAYER,
  ACCOUNTS_SOURCE,
  addAccountLayers,
  boundsOf,
  CLUSTERS_LAYER,
  setAccounts,
  toFeatureCollection,
  type AccountPointProperties,
} from './accounts-layer.ts';

declare global {
  interface Window {
    /** The map of the map page, for end-to-end tests. */
    __geocrmMap?: MapLibreMap | undefined;
  }
}

interface AccountsMapProps {
  readonly points: readonly AccountMapPoint[] | undefined;
  readonly boundaries: Boundaries;
  readonly attribution: readonly AttributionItem[] | undefined;
  /** Content of the popup opened by a click on an account; `movePin` starts dragging its pin (when `onMovePin` is given). */
  readonly renderPopup: (account: AccountPointProperties, actions: { movePin?: () => void }) => ReactNode;
  /** Saves a pin dragged by hand; the drag is offered only when this is given. */
  readonly onMovePin?: (id: string, location: { lng: number; lat: number }) => Promise<void>;
  /** A small map (e.g. beside a table): compact attribution, and fitting the points stops at a wider zoom. */
  readonly compact?: boolean;
  /** Fit the view to the points when they change (default); a page that frames its own area passes false. */
  readonly fitToPoints?: boolean;
  /** The map once ready (null when it goes away), for pages that draw their own layers on it. */
  readonly onMap?: (map: MapLibreMap | null) => void;
}

interface OpenPopup {
  readonly account: AccountPointProperties;
  readonly container: HTMLElement;
  readonly at: [number, number];
}

interface MovingPin {
  readonly account: AccountPointProperties;
  readonly marker: Marker;
  readonly from: [number, number];
}

const readProperties = (value: Record<string, unknown> | null | undefined): AccountPointProperties | null => {
  if (!value || typeof value['id'] !== 'string') return null;
  return value as unknown as AccountPointProperties;
};

export const AccountsMap = ({ points, boundaries, attribution, renderPopup, compact = false, fitToPoints = true, onMap, onMovePin }: AccountsMapProps) => {
  const containerRef = useRef<HTMLDivElement>(null);
  const popupRef = useRef<Popup | null>(null);
  const [popup, setPopup] = useState<OpenPopup | null>(null);
  const [moving, setMoving] = useState<MovingPin | null>(null);
  const [saving, setSaving] = useState<string | null>(null);
  const map = useBaseMap(containerRef, { boundaries, attribution, compactAttribution: compact, onReady: addAccountLayers });
  const fitMaxZoom = compact ? 9 : 12;
  const fitMaxZoomRef = useRef(fitMaxZoom);
  fitMaxZoomRef.current = fitMaxZoom;
  const fitted = useRef<readonly AccountMapPoint[] | null>(null);
  const pointsRef = useRef(points);
  pointsRef.current = points;
  const fitToPointsRef = useRef(fitToPoints);
  fitToPointsRef.current = fitToPoints;
  const onMapRef = useRef(onMap);
  onMapRef.current = onMap;

  useEffect(() => {
    onMapRef.current?.(map);
    return () => onMapRef.current?.(null);
  }, [map]);

  // Convert once per response; clustering then happens in MapLibre's worker.
  const data = useMemo(() => (points ? toFeatureCollection(points) : null), [points]);

  useEffect(() => {
    if (!map) return undefined;
    window.__geocrmMap = map;
    const onClusterClick = (event: MapLayerMouseEvent) => {
      const feature = event.features?.[0];
      const clusterId = feature?.properties['cluster_id'] as number | undefined;
      if (!feature || clusterId === undefined || feature.geometry.type !== 'Point') return;
      const center = feature.geometry.coordinates as [number, number];
      const source = map.getSource<GeoJSONSource>(ACCOUNTS_SOURCE);
      void source?.getClusterExpansionZoom(clusterId).then((zoom) => map.easeTo({ center, zoom: Math.min(zoom, 18) }));
    };
    const onPointClick = (event: MapLayerMouseEvent) => {
      const feature = event.features?.[0];
      const account = readProperties(feature?.properties);
      if (!feature || !account || feature.geometry.type !== 'Point') return;
      popupRef.current?.remove();
      const container = document.createElement('div');
      const instance = new Popup({ offset: 12, maxWidth: '280px', closeButton: true })
        .setLngLat(feature.geometry.coordinates as [number, number])
        .setDOMContent(container)
        .addTo(map);
      instance.on('close', () => setPopup((open) => (open?.container === container ? null : open)));
      popupRef.current = instance;
      setPopup({ account, container, at: feature.geometry.coordinates as [number, number] });
    };
    const pointer = () => {
      map.getCanvas().style.cursor = 'pointer';
    };
    const noPointer = () => {
      map.getCanvas().style.cursor = '';
    };
    const fitControl = new FitControl(() => {
      const bounds = boundsOf(pointsRef.current ?? []);
      if (bounds) map.fitBounds(bounds, { padding: 48, maxZoom: fitMaxZoomRef.current });
    });
    map.addControl(fitControl, 'top-right');
    map.on('click', CLUSTERS_LAYER, onClusterClick);
    map.on('click', ACCOUNT_POINTS_LAYER, onPointClick);
    for (const layer of [CLUSTERS_LAYER, ACCOUNT_POINTS_LAYER]) {
      map.on('mouseenter', layer, pointer);
      map.on('mouseleave', layer, noPointer);
    }
    return () => {
      if (window.__geocrmMap === map) window.__geocrmMap = undefined;
      popupRef.current?.remove();
      map.removeControl(fitControl);
      map.off('click', CLUSTERS_LAYER, onClusterClick);
      map.off('click', ACCOUNT_POINTS_LAYER, onPointClick);
      for (const layer of [CLUSTERS_LAYER, ACCOUNT_POINTS_LAYER]) {
        map.off('mouseenter', layer, pointer);
        map.off('mouseleave', layer, noPointer);
      }
    };
  }, [map]);

  useEffect(() => {
    if (!map || !data || !points) return;
    setAccounts(map, data);
    popupRef.current?.remove();
    if (fitted.current === points || !fitToPointsRef.current) return;
    fitted.current = points;
    const bounds = boundsOf(points);
    if (bounds) {
      map.fitBounds(bounds, { padding: 48, maxZoom: fitMaxZoomRef.current, duration: 0 });
    }
  }, [map, data, points]);

  const startMove = (open: OpenPopup) => {
    if (!map) return;
    popupRef.current?.remove();
    moving?.marker.remove();
    const marker = new Marker({ color: '#dc2626', draggable: true }).setLngLat(open.at).addTo(map);
    marker.getElement().dataset['testid'] = 'moving-pin';
    setSaving(null);
    setMoving({ account: open.account, marker, from: open.at });
  };
  const stopMove = () => {
    moving?.marker.remove();
    setMoving(null);
  };
  const saveMove = async () => {
    if (!moving || !onMovePin) return;
    const position = moving.marker.getLngLat();
    setSaving('Saving…');
    try {
      await onMovePin(moving.account.id, { lng: Number(position.lng.toFixed(6)), lat: Number(position.lat.toFixed(6)) });
      stopMove();
    } catch (error) {
      setSaving(error instanceof Error ? error.message : 'Could not save the pin');
    }
  };
  // the pin goes away with the move (saved, cancelled, another one started) or with the map
  useEffect(
    () => () => {
      moving?.marker.remove();
    },
    [moving],
  );

  return (
    <div className="map-canvas" ref={containerRef} data-testid="accounts-map" data-ready={map ? 'true' : 'false'}>
      {!points ? <div className="map-loading">Loading accounts…</div> : null}
      {popup ? createPortal(renderPopup(popup.account, onMovePin ? { movePin: () => startMove(popup) } : {}), popup.container) : null}
      {moving ? (
        <div className="move-pin-bar" data-testid="move-pin-bar">
          <span>
            Drag the red pin to where <strong>{moving.account.name}</strong> really is.
          </span>
          {saving ? <span className="muted small">{saving}</span> : null}
          <button type="button" className="btn btn-primary btn-small" onClick={() => void saveMove()} data-testid="move-pin-save">
            Save position
          </button>
          <button type="button" className="btn btn-ghost btn-small" onClick={stopMove} data-testid="move-pin-cancel">
            Cancel
          </button>
        </div>
      ) : null}
    </div>
  );
};
