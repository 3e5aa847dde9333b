import { useCallback } from 'react';
import { Link, useLocation } from 'react-router';
import { AccountsMap } from '../../map/accounts-map.tsx';
import type { AccountPointProperties } from '../../map/accounts-layer.ts';
import { useAccountFilters } from '../accounts/account-filters.ts';
import { useAccountMap, useMovePin } from '../accounts/accounts-api.ts';
import { FilterBar } from '../accounts/filter-bar.tsx';
import { ErrorBanner } from '../../ui/error-banner.tsx';
import { AccountPopup } from './account-popup.tsx';
import { useAttribution, useBoundaries } from './geo-api.ts';
import { MapLegend } from './map-legend.tsx';
import { usePageTitle } from '../../ui/use-page-title.ts';

const numberFormat = new Intl.NumberFormat();

export const MapPage = () => {
  const { filters } = useAccountFilters();
  usePageTitle('Map');
  const accounts = useAccountMap(filters);
  const { boundaries, error: boundaryError } = useBoundaries();
  const attribution = useAttribution();
  const location = useLocation();
  const movePin = useMovePin();
  const renderPopup = useCallback(
    (account: AccountPointProperties, actions: { movePin?: () => void }) => <AccountPopup account={account} onMovePin={actions.movePin} />,
    [],
  );
  const data = accounts.data;

  return (
    <div className="map-page">
      <div className="map-toolbar">
        <FilterBar>
          <span className="muted small map-stats" data-testid="map-stats">
            {data
              ? `${numberFormat.format(data.items.length)} on the map${data.withoutLocation > 0 ? ` · ${numberFormat.format(data.withoutLocation)} without location` : ''}`
              : 'Loading…'}
            {accounts.isFetching && data ? <span className="inline-spinner" aria-label="Refreshing" /> : null}
          </span>
          <Link to={`/accounts${location.search}`} className="btn btn-secondary btn-small" data-testid="show-list">
            List
          </Link>
        </FilterBar>
        <ErrorBanner error={accounts.error ?? boundaryError} />
      </div>
      <div className="map-wrap">
        <AccountsMap points={data?.items} boundaries={boundaries} attribution={attribution.data?.items} renderPopup={renderPopup} onMovePin={movePin} />
        <MapLegend />
        {data && data.items.length === 0 ? (
          <div className="map-empty" data-testid="map-empty">
            <strong>No accounts to show</strong>
            <p className="muted small">{data.total > 0 ? 'The matching accounts have no location yet.' : 'No account matches these filters.'}</p>
          </div>
        ) : null}
      </div>
    </div>
  );
};
