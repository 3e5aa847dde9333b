import { useEffect, useMemo, useRef } from 'react';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import type { GeoJSONSource, MapLayerMouseEvent, MapLibreMap } from '../../map/maplibre.ts';
import type { AttributionItem, Boundaries } from '../../map/base-style.ts';
import { useBaseMap } from '../../map/use-base-map.ts';
import type { AreaCollection } from './territories-api.ts';

const SOURCE = 'territory-areas';
const COVERAGE_ACCOUNTS = 'coverage-accounts';
export const COVERAGE_HATCH_LAYER = 'coverage-hatch';
export const COVERAGE_DOTS_LAYER = 'coverage-dots';
export const TERRITORY_FILL_LAYER = 'territory-fill';
const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };
const UNASSIGNED = '#d6dde6';

interface TerritoriesMapProps {
  readonly areas: AreaCollection | undefined;
  /** area code → territory colour (areas not listed are drawn grey). */
  readonly colours: ReadonlyMap<string, string>;
  readonly selected: string | null;
  /** Areas locked to their territory (drawn with a dashed outline). */
  readonly locked: ReadonlySet<string>;
  readonly boundaries: Boundaries;
  readonly attribution: readonly AttributionItem[] | undefined;
  readonly onAreaClick: (code: string) => void;
  /** Coverage: areas hatched (red: no territory, orange: no rep) and the accounts nobody visited as dots. */
  readonly coverage?: {
    readonly hatched: ReadonlyMap<string, 'none' | 'norep'>;
    readonly dots: readonly { readonly id: string; readonly name: string; readonly lng: number; readonly lat: number; readonly colour: string }[];
  } | null;
}

/** A 12×12 diagonal stripe (transparent between the stripes), for `fill-pattern`. */
const stripes = (r: number, g: number, b: number) => {
  const size = 12;
  const data = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const on = (x + y) % 6 < 2;
      const i = (y * size + x) * 4;
      data[i] = r;
      data[i + 1] = g;
      data[i + 2] = b;
      data[i + 3] = on ? 235 : 0;
    }
  }
  return { width: size, height: size, data };
};

const addLayers = (map: MapLibreMap): void => {
  map.addSource(SOURCE, { type: 'geojson', data: EMPTY });
  map.addLayer({ id: TERRITORY_FILL_LAYER, type: 'fill', source: SOURCE, paint: { 'fill-color': ['get', 'colour'], 'fill-opacity': 0.72 } });
  map.addLayer({ id: 'territory-line', type: 'line', source: SOURCE, paint: { 'line-color': '#ffffff', 'line-width': 0.8 } });
  map.addLayer({ id: 'territory-locked', type: 'line', source: SOURCE, filter: ['==', ['get', 'locked'], true], paint: { 'line-color': '#1f2937', 'line-width': 1.6, 'line-dasharray': [2, 1.5] } });
  map.addImage('hatch-none', stripes(200, 30, 30));
  map.addImage('hatch-norep', stripes(234, 120, 0));
  map.addLayer({
    id: COVERAGE_HATCH_LAYER,
    type: 'fill',
    source: SOURCE,
    filter: ['!=', ['get', 'hatch'], ''],
    paint: { 'fill-pattern': ['match', ['get', 'hatch'], 'none', 'hatch-none', 'hatch-norep'] },
  });
  map.addLayer({
    id: 'coverage-hatch-line',
    type: 'line',
    source: SOURCE,
    filter: ['!=', ['get', 'hatch'], ''],
    paint: { 'line-color': ['match', ['get', 'hatch'], 'none', '#c81e1e', '#ea7800'], 'line-width': 2 },
  });
  map.addSource(COVERAGE_ACCOUNTS, { type: 'geojson', data: EMPTY });
  map.addLayer({
    id: COVERAGE_DOTS_LAYER,
    type: 'circle',
    source: COVERAGE_ACCOUNTS,
    paint: { 'circle-radius': 3.2, 'circle-color': ['get', 'colour'], 'circle-stroke-color': '#111827', 'circle-stroke-width': 0.8 },
  });
  map.addLayer({ id: 'territory-selected', type: 'line', source: SOURCE, filter: ['==', ['get', 'selected'], true], paint: { 'line-color': '#111827', 'line-width': 3 } });
};

/** Départements coloured by territory; a click on one reports its code. */
export const TerritoriesMap = ({ areas, colours, selected, locked, boundaries, attribution, onAreaClick, coverage = null }: TerritoriesMapProps) => {
  const containerRef = useRef<HTMLDivElement>(null);
  const map = useBaseMap(containerRef, { boundaries, attribution, zoom: 4.9, center: [2.6, 46.5], onReady: addLayers });
  const clickRef = useRef(onAreaClick);
  clickRef.current = onAreaClick;

  const data = useMemo((): FeatureCollection => {
    if (!areas) return EMPTY;
    return {
      type: 'FeatureCollection',
      features: areas.features.map(
        (f): Feature<Polygon | MultiPolygon> => ({
          type: 'Feature',
          geometry: f.geometry,
          properties: {
            ...f.properties,
            colour: colours.get(f.properties.code) ?? UNASSIGNED,
            selected: f.properties.code === selected,
            locked: locked.has(f.properties.code),
            hatch: coverage?.hatched.get(f.properties.code) ?? '',
          },
        }),
      ),
    };
  }, [areas, colours, selected, locked, coverage]);

  const dots = useMemo(
    (): FeatureCollection => ({
      type: 'FeatureCollection',
      features: (coverage?.dots ?? []).map((d) => ({ type: 'Feature', id: d.id, geometry: { type: 'Point', coordinates: [d.lng, d.lat] }, properties: { id: d.id, name: d.name, colour: d.colour } })),
    }),
    [coverage],
  );

  useEffect(() => {
    if (!map) return;
    const source = map.getSource<GeoJSONSource>(SOURCE);
    void source?.setData(data);
  }, [map, data]);

  useEffect(() => {
    if (!map) return;
    void map.getSource<GeoJSONSource>(COVERAGE_ACCOUNTS)?.setData(dots);
  }, [map, dots]);

  useEffect(() => {
    if (!map) return undefined;
    window.__geocrmMap = map;
    const click = (e: MapLayerMouseEvent): void => {
      const code: unknown = e.features?.[0]?.properties['code'];
      if (typeof code === 'string') clickRef.current(code);
    };
    const enter = (): void => {
      map.getCanvas().style.cursor = 'pointer';
    };
    const leave = (): void => {
      map.getCanvas().style.cursor = '';
    };
    map.on('click', TERRITORY_FILL_LAYER, click);
    map.on('mouseenter', TERRITORY_FILL_LAYER, enter);
    map.on('mouseleave', TERRITORY_FILL_LAYER, leave);
    return () => {
      map.off('click', TERRITORY_FILL_LAYER, click);
      map.off('mouseenter', TERRITORY_FILL_LAYER, enter);
      map.off('mouseleave', TERRITORY_FILL_LAYER, leave);
      if (window.__geocrmMap === map) window.__geocrmMap = undefined;
    };
  }, [map]);

  return <div className="map-canvas" ref={containerRef} data-testid="territories-map" data-ready={map ? 'true' : 'false'} />;
};
