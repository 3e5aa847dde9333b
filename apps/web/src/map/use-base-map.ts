import { useEffect, useRef, useState, type RefObject } from 'react';
import { AttributionControl, MapLibreMap, NavigationControl, ScaleControl } from './maplibre.ts';
import { attributionHtml, createBaseStyle, installTextImages, setBoundaries, type AttributionItem, type Boundaries } from './base-style.ts';

export const FRANCE_CENTER: [number, number] = [2.4, 46.6];

interface BaseMapOptions {
  readonly boundaries: Boundaries;
  readonly attribution: readonly AttributionItem[] | undefined;
  readonly center?: [number, number];
  readonly zoom?: number;
  readonly interactive?: boolean;
  /** Small maps keep the (long) attribution behind an ⓘ button. */
  readonly compactAttribution?: boolean;
  /** Called once the style is ready, to add the page's own sources and layers. */
  readonly onReady?: (map: MapLibreMap) => void;
}

/** Creates a MapLibre map with the offline base style in the container; returns it once its style is loaded. */
export const useBaseMap = (container: RefObject<HTMLDivElement | null>, options: BaseMapOptions): MapLibreMap | null => {
  const [map, setMap] = useState<MapLibreMap | null>(null);
  const attributionRef = useRef<AttributionControl | null>(null);
  const optionsRef = useRef(options);
  optionsRef.current = options;

  useEffect(() => {
    const element = container.current;
    if (!element) return undefined;
    const initial = optionsRef.current;
    const instance = new MapLibreMap({
      container: element,
      style: createBaseStyle(),
      center: initial.center ?? FRANCE_CENTER,
      zoom: initial.zoom ?? 4.6,
      attributionControl: false,
      interactive: initial.interactive ?? true,
      dragRotate: false,
      pitchWithRotate: false,
      maxZoom: 18,
    });
    instance.touchZoomRotate.disableRotation();
    instance.addControl(new NavigationControl({ showCompass: false }), 'top-right');
    instance.addControl(new ScaleControl({ unit: 'metric' }), 'bottom-left');
    installTextImages(instance);
    let disposed = false;
    instance.once('load', () => {
      if (disposed) return;
      initial.onReady?.(instance);
      setMap(instance);
    });
    return () => {
      disposed = true;
      attributionRef.current = null;
      setMap(null);
      instance.remove();
    };
  }, [container]);

  const { boundaries, attribution } = options;
  useEffect(() => {
    if (map) setBoundaries(map, boundaries);
  }, [map, boundaries]);

  useEffect(() => {
    if (!map) return;
    if (attributionRef.current) map.removeControl(attributionRef.current);
    const compact = optionsRef.current.compactAttribution === true;
    const control = new AttributionControl({ ...(compact ? { compact: true } : {}), customAttribution: ['GeoCRM', ...attributionHtml(attribution ?? [])] });
    map.addControl(control, 'bottom-right');
    // MapLibre opens a compact attribution until the first move; start closed instead.
    if (compact) map.getContainer().querySelector('.maplibregl-ctrl-attrib')?.classList.remove('maplibregl-compact-show');
    attributionRef.current = control;
  }, [map, attribution]);

  return map;
};
