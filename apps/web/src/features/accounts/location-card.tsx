import { lazy, Suspense, useCallback, useState } from 'react';
import type { AccountDetailDto } from '../../api/types.ts';
import { errorMessage } from '../../api/client.ts';
import type { LngLatValue } from '../../map/location-map.tsx';
import type { MapLibreMap } from '../../map/maplibre.ts';
import { useAttribution, useBoundaries } from '../map/geo-api.ts';
import { useUpdateAccount } from './accounts-api.ts';
import { PRECISION_LABELS, SOURCE_LABELS } from './account-labels.ts';

// MapLibre is loaded only with the first map on screen.
const LocationMap = lazy(() => import('../../map/location-map.tsx').then((m) => ({ default: m.LocationMap })));

/** The account's location: a small map, a draggable pin (a moved pin is a manual location) and where it came from. */
export const LocationCard = ({ account, readOnly = false }: { account: AccountDetailDto; readOnly?: boolean }) => {
  const update = useUpdateAccount(account.id);
  const { boundaries } = useBoundaries({ regions: false });
  const attribution = useAttribution();
  const [map, setMap] = useState<MapLibreMap | null>(null);
  const onMap = useCallback((m: MapLibreMap | null) => setMap(m), []);
  const move = (location: LngLatValue) => update.mutate({ location });
  const { geo, location } = account;

  return (
    <section className="card" data-testid="location-card">
      <div className="section-header card-pad-x">
        <h2>Location</h2>
        {location ? (
          <span className="muted small" data-testid="location-coordinates">
            {location.lat.toFixed(5)}, {location.lng.toFixed(5)}
          </span>
        ) : null}
      </div>
      <div className="location-map-wrap">
        <Suspense fallback={<div className="location-map" />}>
          <LocationMap location={location} kind={account.kind} boundaries={boundaries} attribution={attribution.data?.items} draggable={!readOnly && !update.isPending} onMove={move} onMap={onMap} />
        </Suspense>
        {!location && !readOnly ? (
          <div className="location-empty">
            <p>This account has no location yet.</p>
            <button
              type="button"
              className="btn btn-primary btn-small"
              disabled={!map || update.isPending}
              onClick={() => {
                const center = map?.getCenter();
                if (center) move({ lng: Number(center.lng.toFixed(6)), lat: Number(center.lat.toFixed(6)) });
              }}
              data-testid="location-place"
            >
              Place a pin at the map centre
            </button>
          </div>
        ) : null}
      </div>
      <div className="geo-info card-pad-x" data-testid="geo-info">
        {geo.manual ? (
          <span className="pill pill-manual" data-testid="geo-manual">
            Placed by hand
          </span>
        ) : null}
        <dl className="meta-list">
          <div>
            <dt>Precision</dt>
            <dd data-testid="geo-precision">{geo.precision ? PRECISION_LABELS[geo.precision] : '—'}</dd>
          </div>
          <div>
            <dt>Source</dt>
            <dd data-testid="geo-source">{geo.source ? SOURCE_LABELS[geo.source] : '—'}</dd>
          </div>
          {geo.score !== null ? (
            <div>
              <dt>Score</dt>
              <dd>{geo.score.toFixed(2)}</dd>
            </div>
          ) : null}
        </dl>
        <p className="muted small">{location && !readOnly ? 'Drag the pin to correct the location; automatic geocoding never moves a pin placed by hand.' : ''}</p>
        {update.isPending ? <p className="small muted">Saving location…</p> : null}
        {update.isError ? (
          <div className="banner banner-error" role="alert">
            {errorMessage(update.error)}
          </div>
        ) : null}
      </div>
    </section>
  );
};
