import { setWorkerUrl } from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import 'maplibre-gl/dist/maplibre-gl.css';

// MapLibre finds its worker next to its own module; once bundled that file has moved, so say where it is.
setWorkerUrl(workerUrl);

export { Map as MapLibreMap, Marker, Popup, NavigationControl, ScaleControl, AttributionControl, LngLatBounds } from 'maplibre-gl';
export type {
  GeoJSONSource,
  MapGeoJSONFeature,
  MapLayerMouseEvent,
  StyleSpecification,
  LayerSpecification,
  ExpressionSpecification,
} from 'maplibre-gl';
