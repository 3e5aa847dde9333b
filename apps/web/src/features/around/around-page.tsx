import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { canEditAnyAccount } from '@geocrm/domain';
import type { AccountNearDto, AccountWithinBody } from '../../api/types.ts';
import { toQueryString, type QueryValue } from '../../api/client.ts';
import { AccountsMap } from '../../map/accounts-map.tsx';
import { ACCOUNT_POINTS_LAYER, CLUSTERS_LAYER, type AccountPointProperties } from '../../map/accounts-layer.ts';
import type { GeoJSONSource, MapLayerMouseEvent, MapLibreMap } from '../../map/maplibre.ts';
import { useCurrentSession } from '../auth/require-session.tsx';
import { filterParams, useAccountFilters } from '../accounts/account-filters.ts';
import { KIND_LABELS } from '../accounts/account-labels.ts';
import { FilterBar } from '../accounts/filter-bar.tsx';
import { KindSymbol } from '../accounts/kind-symbol.tsx';
import { AccountPopup } from '../map/account-popup.tsx';
import { useMovePin } from '../accounts/accounts-api.ts';
import { useAttribution, useBoundaries } from '../map/geo-api.ts';
import { useUsers } from '../users/users-api.ts';
import { ErrorBanner } from '../../ui/error-banner.tsx';
import { useDebouncedValue } from '../../ui/use-debounced-value.ts';
import { usePageTitle } from '../../ui/use-page-title.ts';
import { useAround, useBulkAccounts, useDownloadSelection, usePlaceSuggestions, useWithin } from './around-api.ts';
import { boundsOfPositions, circleRing, closeRing, formatDistance, formatDuration, toMapPoints, type Position } from './search-area.ts';

const AREA_SOURCE = 'search-area';
const DRAFT_SOURCE = 'search-draft';
const numberFormat = new Intl.NumberFormat();
const NOT_VISITED_CHOICES = [30, 60, 90, 180, 365] as const;
const RESULT_LIMIT = 500;

type Tool = 'circle' | 'lasso' | 'corridor';
type Unit = 'km' | 'minutes';

const emptyCollection = { type: 'FeatureCollection' as const, features: [] };

/** The search-area layers (drawn below the accounts), added once per map. */
const addAreaLayers = (map: MapLibreMap): void => {
  if (map.getSource(AREA_SOURCE)) return;
  map.addSource(AREA_SOURCE, { type: 'geojson', data: emptyCollection });
  map.addSource(DRAFT_SOURCE, { type: 'geojson', data: emptyCollection });
  const below = map.getLayer(CLUSTERS_LAYER) ? CLUSTERS_LAYER : undefined;
  map.addLayer({ id: 'search-area-fill', type: 'fill', source: AREA_SOURCE, filter: ['==', ['geometry-type'], 'Polygon'], paint: { 'fill-color': '#2563eb', 'fill-opacity': 0.08 } }, below);
  map.addLayer({ id: 'search-area-line', type: 'line', source: AREA_SOURCE, filter: ['==', ['geometry-type'], 'Polygon'], paint: { 'line-color': '#2563eb', 'line-width': 2 } }, below);
  // a corridor: its line, wide and pale, with the line itself over it
  map.addLayer(
    { id: 'search-corridor-band', type: 'line', source: AREA_SOURCE, filter: ['==', ['geometry-type'], 'LineString'], paint: { 'line-color': '#2563eb', 'line-width': 14, 'line-opacity': 0.15 } },
    below,
  );
  map.addLayer({ id: 'search-corridor-line', type: 'line', source: AREA_SOURCE, filter: ['==', ['geometry-type'], 'LineString'], paint: { 'line-color': '#2563eb', 'line-width': 3 } }, below);
  map.addLayer(
    { id: 'search-centre', type: 'circle', source: AREA_SOURCE, filter: ['==', ['geometry-type'], 'Point'], paint: { 'circle-radius': 6, 'circle-color': '#dc2626', 'circle-stroke-color': '#fff', 'circle-stroke-width': 2 } },
    below,
  );
  map.addLayer({ id: 'search-draft-line', type: 'line', source: DRAFT_SOURCE, paint: { 'line-color': '#dc2626', 'line-width': 2, 'line-dasharray': [2, 1] } });
  map.addLayer({ id: 'search-draft-points', type: 'circle', source: DRAFT_SOURCE, filter: ['==', ['geometry-type'], 'Point'], paint: { 'circle-radius': 4, 'circle-color': '#dc2626' } });
};

const readNumber = (value: string | null): number | undefined => {
  if (value === null || value.trim() === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
};

const readCentre = (value: string | null): Position | null => {
  const parts = value?.split(',').map(Number);
  if (!parts || parts.length !== 2 || !parts.every(Number.isFinite)) return null;
  const [lng, lat] = parts as [number, number];
  return Math.abs(lng) <= 180 && Math.abs(lat) <= 90 ? [lng, lat] : null;
};

/** Downloads of exactly what a lasso or corridor search found (the same search, run again by the export). */
const SelectionExportButtons = ({ body, partial }: { body: AccountWithinBody; partial: boolean }) => {
  const download = useDownloadSelection();
  return (
    <div className="export-links" data-testid="around-export">
      <span className="muted small">{partial ? 'Export all found:' : 'Export:'}</span>
      {(['csv', 'xlsx', 'geojson'] as const).map((format) => (
        <button
          key={format}
          type="button"
          className="btn btn-ghost btn-small"
          disabled={download.isPending}
          onClick={() => download.mutate({ ...body, format })}
          data-testid={`around-export-${format}`}
        >
          {format === 'geojson' ? 'GeoJSON' : format.toUpperCase()}
        </button>
      ))}
      <ErrorBanner error={download.error} />
    </div>
  );
};

/** Downloads of what a circle search found, by the same criteria (the export runs on the server, streamed). */
const ExportLinks = ({ params, partial }: { params: Record<string, QueryValue>; partial: boolean }) => (
  <div className="export-links" data-testid="around-export">
    <span className="muted small">{partial ? 'Export all found:' : 'Export:'}</span>
    {(['csv', 'xlsx', 'geojson'] as const).map((format) => (
      <a key={format} className="btn btn-ghost btn-small" href={`/api/v1/exports/accounts${toQueryString({ ...params, format })}`} download data-testid={`around-export-${format}`}>
        {format === 'geojson' ? 'GeoJSON' : format.toUpperCase()}
      </a>
    ))}
  </div>
);

const SelectionActions = ({ ids, onDone }: { ids: readonly string[]; onDone: (message: string) => void }) => {
  const session = useCurrentSession();
  const manager = canEditAnyAccount(session.user.role);
  const users = useUsers();
  const bulk = useBulkAccounts();
  const [tag, setTag] = useState('');
  const [owner, setOwner] = useState('');
  const disabled = ids.length === 0 || bulk.isPending;
  const run = (body: { addTags?: string[]; ownerId?: string | null }, what: string) =>
    bulk.mutate(
      { ids: [...ids], ...body },
      { onSuccess: (r) => onDone(`${what}: ${numberFormat.format(r.updated)} changed${r.skipped ? `, ${numberFormat.format(r.skipped)} not yours to change` : ''}.`) },
    );
  return (
    <div className="selection-actions" data-testid="selection-actions">
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          const value = tag.trim();
          if (value) run({ addTags: [value] }, `Tagged “${value}”`);
        }}
      >
        <input className="input-small" placeholder="Tag…" value={tag} onChange={(e) => setTag(e.target.value)} aria-label="Tag to add" data-testid="selection-tag" maxLength={50} />
        <button type="submit" className="btn btn-secondary btn-small" disabled={disabled || !tag.trim()} data-testid="selection-tag-apply">
          Add tag
        </button>
      </form>
      {manager ? (
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (owner) run({ ownerId: owner === 'none' ? null : owner }, 'Owner changed');
          }}
        >
          <select className="input-small" value={owner} onChange={(e) => setOwner(e.target.value)} aria-label="New owner" data-testid="selection-owner">
            <option value="">Owner…</option>
            <option value="none">No owner</option>
            {(users.data?.items ?? []).map((u) => (
              <option key={u.id} value={u.id}>
                {u.name}
              </option>
            ))}
          </select>
          <button type="submit" className="btn btn-secondary btn-small" disabled={disabled || !owner} data-testid="selection-owner-apply">
            Assign
          </button>
        </form>
      ) : null}
      <ErrorBanner error={bulk.error} />
    </div>
  );
};

const ResultRow = ({
  account,
  checked,
  onToggle,
  onFocus,
}: {
  account: AccountNearDto;
  checked: boolean;
  onToggle: () => void;
  onFocus: () => void;
}) => (
  <tr className="clickable" onClick={onFocus} data-testid="around-row">
    <td onClick={(e) => e.stopPropagation()}>
      <input type="checkbox" checked={checked} onChange={onToggle} aria-label={`Select ${account.name}`} />
    </td>
    <td>
      <div className="name-cell">
        <KindSymbol kind={account.kind} status={account.status} />
        <Link to={`/accounts/${account.id}`} onClick={(e) => e.stopPropagation()}>
          {account.name}
        </Link>
      </div>
      <div className="muted small">
        {KIND_LABELS[account.kind]} · {[account.address.postcode, account.address.city].filter(Boolean).join(' ') || 'no address'}
        {account.ownerName ? ` · ${account.ownerName}` : ''}
      </div>
    </td>
    <td className="num" data-testid="around-distance">
      {formatDistance(account.distanceMeters)}
      {account.durationSeconds !== null ? <div className="muted small">{formatDuration(account.durationSeconds)}</div> : null}
    </td>
  </tr>
);

/** Nearby: accounts around a place (radius or driving minutes) or inside a drawn lasso, on a map beside the list. */
export const AroundPage = () => {
  usePageTitle('Nearby');
  const [search, setSearch] = useSearchParams();
  const { filters } = useAccountFilters();
  const { boundaries } = useBoundaries();
  const attribution = useAttribution();
  const [map, setMap] = useState<MapLibreMap | null>(null);

  const toolParam = search.get('tool');
  const tool: Tool = toolParam === 'lasso' || toolParam === 'corridor' ? toolParam : 'circle';
  const widthKm = readNumber(search.get('widthKm')) ?? 2;
  const unit: Unit = search.get('minutes') !== null ? 'minutes' : 'km';
  const radiusKm = readNumber(search.get('radiusKm')) ?? 25;
  const minutes = readNumber(search.get('minutes')) ?? 30;
  const centre = readCentre(search.get('center'));
  const accountId = search.get('accountId') ?? '';
  const notVisited = search.get('notVisitedDays') ?? '';

  const update = useCallback(
    (changes: Record<string, string | null>) =>
      setSearch(
        (current) => {
          const next = new URLSearchParams(current);
          for (const [key, value] of Object.entries(changes)) {
            if (value === null || value === '') next.delete(key);
            else next.set(key, value);
          }
          return next;
        },
        { replace: true },
      ),
    [setSearch],
  );

  // the centre box: suggestions from the geocoder
  const [placeText, setPlaceText] = useState(search.get('place') ?? '');
  const debouncedPlace = useDebouncedValue(placeText, 250);
  const suggestions = usePlaceSuggestions(debouncedPlace === (search.get('place') ?? '') ? '' : debouncedPlace);

  // the lasso
  const [draft, setDraft] = useState<Position[]>([]);
  const [polygon, setPolygon] = useState<Position[] | null>(null);
  // the corridor
  const [line, setLine] = useState<Position[] | null>(null);

  const common: Record<string, QueryValue> = { ...filterParams(filters), ...(notVisited ? { notVisitedDays: notVisited } : {}) };
  const aroundParams: Record<string, QueryValue> | null =
    tool === 'circle' && (centre || accountId)
      ? {
          ...common,
          ...(accountId ? { accountId } : { lng: centre?.[0], lat: centre?.[1] }),
          ...(unit === 'minutes' ? { minutes } : { radiusKm }),
          limit: RESULT_LIMIT,
        }
      : null;
  const withinBody: AccountWithinBody | null =
    tool === 'lasso' && polygon
      ? { geometry: { type: 'Polygon', coordinates: [polygon] }, filter: common, limit: RESULT_LIMIT }
      : tool === 'corridor' && line
        ? { geometry: { type: 'LineString', coordinates: line }, widthKm, filter: common, limit: RESULT_LIMIT }
        : null;
  const around = useAround(aroundParams);
  const within = useWithin(withinBody);
  const result = tool === 'circle' ? (aroundParams ? around.data : undefined) : withinBody ? within.data : undefined;
  const error = tool === 'circle' ? around.error : within.error;
  const fetching = tool === 'circle' ? around.isFetching : within.isFetching;
  const items = useMemo(() => result?.items ?? [], [result]);
  const points = useMemo(() => toMapPoints(items), [items]);

  // selection: everything found, minus what the user unticks
  const [unticked, setUnticked] = useState<ReadonlySet<string>>(new Set());
  useEffect(() => setUnticked(new Set()), [items]);
  const selected = items.filter((a) => !unticked.has(a.id)).map((a) => a.id);
  const [message, setMessage] = useState('');

  // the area drawn on the map
  const centreOfSearch: Position | null = around.data && aroundParams ? [around.data.centre.lng, around.data.centre.lat] : null;
  const areaRing = useMemo<Position[] | null>(() => {
    if (tool === 'lasso') return polygon;
    if (!centreOfSearch || !around.data) return null;
    return circleRing(centreOfSearch, around.data.radiusMeters);
  }, [tool, polygon, centreOfSearch?.[0], centreOfSearch?.[1], around.data?.radiusMeters]);

  useEffect(() => {
    if (!map) return;
    addAreaLayers(map);
    const corridor = tool === 'corridor' ? line : null;
    const features = [
      ...(areaRing ? [{ type: 'Feature' as const, properties: {}, geometry: { type: 'Polygon' as const, coordinates: [areaRing] } }] : []),
      ...(corridor ? [{ type: 'Feature' as const, properties: {}, geometry: { type: 'LineString' as const, coordinates: corridor } }] : []),
      ...(tool === 'circle' && centreOfSearch ? [{ type: 'Feature' as const, properties: {}, geometry: { type: 'Point' as const, coordinates: centreOfSearch } }] : []),
    ];
    void map.getSource<GeoJSONSource>(AREA_SOURCE)?.setData({ type: 'FeatureCollection', features });
    if (corridor) {
      // the band is the corridor to scale: its width in pixels doubles with each zoom level
      const lat = corridor.reduce((sum, p) => sum + p[1], 0) / corridor.length;
      const atZoom0 = (2 * widthKm * 1000) / (156_543.03 * Math.cos((lat * Math.PI) / 180));
      map.setPaintProperty('search-corridor-band', 'line-width', ['interpolate', ['exponential', 2], ['zoom'], 0, atZoom0, 22, atZoom0 * 2 ** 22]);
    }
    const bounds = areaRing ? boundsOfPositions(areaRing) : corridor ? boundsOfPositions(corridor) : null;
    if (bounds) map.fitBounds(bounds, { padding: 40, maxZoom: 14, duration: 300 });
  }, [map, areaRing, line, widthKm, tool, centreOfSearch?.[0], centreOfSearch?.[1]]);

  useEffect(() => {
    if (!map) return;
    addAreaLayers(map);
    const line = draft.length >= 2 ? [{ type: 'Feature' as const, properties: {}, geometry: { type: 'LineString' as const, coordinates: draft } }] : [];
    const vertices = draft.map((p) => ({ type: 'Feature' as const, properties: {}, geometry: { type: 'Point' as const, coordinates: p } }));
    void map.getSource<GeoJSONSource>(DRAFT_SOURCE)?.setData({ type: 'FeatureCollection', features: [...line, ...vertices] });
  }, [map, draft]);

  // clicks on the map: a new centre (circle) or a new lasso vertex
  const toolRef = useRef(tool);
  toolRef.current = tool;
  useEffect(() => {
    if (!map) return undefined;
    const onClick = (event: MapLayerMouseEvent) => {
      const onAccount = map.queryRenderedFeatures(event.point, { layers: [ACCOUNT_POINTS_LAYER, CLUSTERS_LAYER] }).length > 0;
      const at: Position = [Math.round(event.lngLat.lng * 1e6) / 1e6, Math.round(event.lngLat.lat * 1e6) / 1e6];
      if (toolRef.current === 'lasso' || toolRef.current === 'corridor') {
        setDraft((d) => [...d, at]);
        return;
      }
      if (onAccount) return;
      update({ center: `${at[0]},${at[1]}`, accountId: null, place: null });
      setPlaceText('');
    };
    map.on('click', onClick);
    map.getCanvas().style.cursor = 'crosshair';
    return () => {
      map.off('click', onClick);
    };
  }, [map, update]);

  const movePin = useMovePin();
  const renderPopup = useCallback(
    (account: AccountPointProperties, actions: { movePin?: () => void }) => <AccountPopup account={account} onMovePin={actions.movePin} />,
    [],
  );
  const focus = (account: AccountNearDto) => {
    if (map && account.location) map.flyTo({ center: [account.location.lng, account.location.lat], zoom: Math.max(map.getZoom(), 13) });
  };

  const finishLasso = () => {
    const ring = closeRing(draft);
    if (!ring) return;
    setPolygon(ring);
    setDraft([]);
  };

  const finishCorridor = () => {
    if (draft.length < 2) return;
    setLine(draft);
    setDraft([]);
  };

  const heading = (() => {
    if (!result) return null;
    const shown = items.length < result.total ? ` (nearest ${numberFormat.format(items.length)} shown)` : '';
    const count = `${numberFormat.format(result.total)}${result.totalCapped ? '+' : ''}`;
    if (tool === 'lasso') return `${count} accounts inside the area${shown}`;
    if (tool === 'corridor') return `${count} accounts within ${widthKm} km of the line${shown.replace('nearest', 'first')}`;
    // a place chosen from the suggestions keeps its name; a click on the map shows coordinates
    const place = (accountId ? around.data?.centre.label : search.get('place')) ?? around.data?.centre.label ?? '';
    const reach = unit === 'minutes' ? `${minutes} min of driving` : `${radiusKm} km`;
    return `${count} accounts within ${reach} of ${place}${shown}`;
  })();

  return (
    <div className="around-page">
      <div className="map-toolbar">
        <FilterBar />
      </div>
      <div className="around-body">
        <aside className="around-panel" data-testid="around-panel">
          <div className="segmented" role="tablist" aria-label="Search tool">
            <button type="button" role="tab" aria-selected={tool === 'circle'} className={tool === 'circle' ? 'active' : ''} onClick={() => update({ tool: null })} data-testid="tool-circle">
              Around a place
            </button>
            <button type="button" role="tab" aria-selected={tool === 'lasso'} className={tool === 'lasso' ? 'active' : ''} onClick={() => update({ tool: 'lasso' })} data-testid="tool-lasso">
              Draw an area
            </button>
            <button type="button" role="tab" aria-selected={tool === 'corridor'} className={tool === 'corridor' ? 'active' : ''} onClick={() => update({ tool: 'corridor' })} data-testid="tool-corridor">
              Along a route
            </button>
          </div>

          {tool === 'circle' ? (
            <div className="around-controls">
              <label className="field-label" htmlFor="around-place">
                Centre
              </label>
              <div className="suggest">
                <input
                  id="around-place"
                  className="input-full"
                  placeholder="Address or town, or click on the map"
                  value={placeText}
                  onChange={(e) => setPlaceText(e.target.value)}
                  data-testid="around-place"
                  autoComplete="off"
                />
                {suggestions.data && suggestions.data.features.length > 0 && debouncedPlace === placeText ? (
                  <ul className="suggest-list" role="listbox" data-testid="around-suggestions">
                    {suggestions.data.features.map((f) => (
                      <li key={`${f.properties.label}-${f.geometry.coordinates.join(',')}`}>
                        <button
                          type="button"
                          onClick={() => {
                            update({ center: f.geometry.coordinates.join(','), accountId: null, place: f.properties.label });
                            setPlaceText(f.properties.label);
                          }}
                        >
                          {f.properties.label}
                          <span className="muted small"> · {f.properties.context ?? f.properties.precision}</span>
                        </button>
                      </li>
                    ))}
                  </ul>
                ) : null}
              </div>
              {accountId && around.data ? <p className="muted small">Around the account “{around.data.centre.label}”.</p> : null}
              <div className="around-reach">
                <div className="segmented segmented-small" aria-label="Distance or driving time">
                  <button type="button" className={unit === 'km' ? 'active' : ''} onClick={() => update({ minutes: null, radiusKm: String(radiusKm) })} data-testid="unit-km">
                    km
                  </button>
                  <button type="button" className={unit === 'minutes' ? 'active' : ''} onClick={() => update({ radiusKm: null, minutes: String(minutes) })} data-testid="unit-minutes">
                    minutes
                  </button>
                </div>
                {unit === 'km' ? (
                  <>
                    <input type="range" min={1} max={200} value={radiusKm} onChange={(e) => update({ radiusKm: e.target.value })} aria-label="Radius in km" data-testid="radius-range" />
                    <span className="reach-value" data-testid="reach-value">
                      {radiusKm} km
                    </span>
                  </>
                ) : (
                  <>
                    <input type="range" min={5} max={180} step={5} value={minutes} onChange={(e) => update({ minutes: e.target.value })} aria-label="Driving minutes" data-testid="minutes-range" />
                    <span className="reach-value" data-testid="reach-value">
                      {minutes} min
                    </span>
                  </>
                )}
              </div>
            </div>
          ) : tool === 'corridor' ? (
            <div className="around-controls">
              <p className="muted small">Click on the map to draw the route, point after point, then search along it.</p>
              <div className="around-reach">
                <input type="range" min={0.5} max={20} step={0.5} value={widthKm} onChange={(e) => update({ widthKm: e.target.value })} aria-label="Corridor width in km" data-testid="corridor-width" />
                <span className="reach-value" data-testid="corridor-width-value">
                  {widthKm} km each side
                </span>
              </div>
              <div className="inline-form">
                <button type="button" className="btn btn-primary btn-small" onClick={finishCorridor} disabled={draft.length < 2} data-testid="corridor-finish">
                  Search along it ({draft.length} points)
                </button>
                <button
                  type="button"
                  className="btn btn-ghost btn-small"
                  onClick={() => {
                    setDraft([]);
                    setLine(null);
                  }}
                  data-testid="corridor-clear"
                >
                  Clear
                </button>
              </div>
            </div>
          ) : (
            <div className="around-controls">
              <p className="muted small">Click on the map to draw the area's corners, then finish.</p>
              <div className="inline-form">
                <button type="button" className="btn btn-primary btn-small" onClick={finishLasso} disabled={draft.length < 3} data-testid="lasso-finish">
                  Finish ({draft.length} points)
                </button>
                <button
                  type="button"
                  className="btn btn-ghost btn-small"
                  onClick={() => {
                    setDraft([]);
                    setPolygon(null);
                  }}
                  data-testid="lasso-clear"
                >
                  Clear
                </button>
              </div>
            </div>
          )}
          <label className="field-label" htmlFor="around-not-visited">
            Last visit
          </label>
          <select id="around-not-visited" className="input-full" value={notVisited} onChange={(e) => update({ notVisitedDays: e.target.value })} data-testid="around-not-visited">
            <option value="">Any time</option>
            {NOT_VISITED_CHOICES.map((d) => (
              <option key={d} value={d}>
                Not visited for {d} days or more
              </option>
            ))}
          </select>

          <ErrorBanner error={error} />
          {heading ? (
            <div className="around-results-head">
              <strong data-testid="around-heading">{heading}</strong>
              {fetching ? <span className="inline-spinner" aria-label="Refreshing" /> : null}
            </div>
          ) : (
            <p className="muted around-hint" data-testid="around-hint">
              {tool === 'circle' ? 'Choose a centre: type an address or a town, or click on the map.' : tool === 'corridor' ? 'Draw a route on the map.' : 'Draw an area on the map.'}
            </p>
          )}
          {items.length > 0 ? (
            <>
              <SelectionActions
                ids={selected}
                onDone={(text) => {
                  setMessage(text);
                }}
              />
              {tool === 'circle' && around.data ? (
                <ExportLinks
                  params={{ ...common, near: `${around.data.centre.lng},${around.data.centre.lat},${around.data.radiusMeters / 1000}` }}
                  partial={unticked.size > 0}
                />
              ) : withinBody ? (
                <SelectionExportButtons body={withinBody} partial={unticked.size > 0} />
              ) : null}
              {message ? (
                <div className="banner banner-success" data-testid="selection-message">
                  {message}
                </div>
              ) : null}
              <div className="around-list card">
                <table className="table">
                  <thead>
                    <tr>
                      <th>
                        <input
                          type="checkbox"
                          checked={unticked.size === 0}
                          onChange={() => setUnticked(unticked.size === 0 ? new Set(items.map((a) => a.id)) : new Set())}
                          aria-label="Select all"
                          data-testid="around-select-all"
                        />
                      </th>
                      <th>{numberFormat.format(selected.length)} selected</th>
                      <th className="num">{tool === 'lasso' ? 'From centre' : tool === 'corridor' ? 'From the line' : 'Distance'}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {items.map((account) => (
                      <ResultRow
                        key={account.id}
                        account={account}
                        checked={!unticked.has(account.id)}
                        onToggle={() =>
                          setUnticked((u) => {
                            const next = new Set(u);
                            if (next.has(account.id)) next.delete(account.id);
                            else next.add(account.id);
                            return next;
                          })
                        }
                        onFocus={() => focus(account)}
                      />
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          ) : result ? (
            <p className="muted" data-testid="around-empty">
              No account matches here. Widen the search or clear some filters.
            </p>
          ) : null}
        </aside>
        <div className="map-wrap">
          <AccountsMap points={points} boundaries={boundaries} attribution={attribution.data?.items} renderPopup={renderPopup} onMovePin={movePin} fitToPoints={false} onMap={setMap} />
        </div>
      </div>
    </div>
  );
};
