import { lazy, Suspense, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { canEditAnyAccount } from '@geocrm/domain';
import type { AccountDto, GeoQualityDto } from '../../api/types.ts';
import { useCurrentSession } from '../auth/require-session.tsx';
import { PRECISION_LABELS, SOURCE_LABELS } from '../accounts/account-labels.ts';
import { ErrorBanner } from '../../ui/error-banner.tsx';
import { Spinner } from '../../ui/spinner.tsx';
import { usePageTitle } from '../../ui/use-page-title.ts';
import {
  canGeocode,
  CATEGORY_INFO,
  categoryCount,
  GEO_CATEGORIES,
  headline,
  precisionBars,
  readCategory,
  resultMessage,
  type GeoCategory,
} from './geo-categories.ts';
import { useGeoCategoryList, useGeoCategoryMap, useGeocoders, useGeoQuality, useRegeocode } from './geocoding-api.ts';
import { AddressFilesCard } from './address-files-card.tsx';
import { RegeocodeCard } from './regeocode-card.tsx';
import { PrecisionChart } from './precision-chart.tsx';

// MapLibre loads with the first map on screen.
const GeoCategoryMap = lazy(() => import('./geo-category-map.tsx').then((m) => ({ default: m.GeoCategoryMap })));

const numberFormat = new Intl.NumberFormat();
const GEOCODER_NAMES = ['embedded', 'nominatim', 'photon', 'ban', 'pelias'] as const;
const GEOCODER_LABELS: Record<(typeof GEOCODER_NAMES)[number], string> = {
  embedded: 'with the built-in gazetteer',
  nominatim: 'with Nominatim',
  photon: 'with Photon',
  ban: 'with the BAN',
  pelias: 'with Pelias',
};
/** The API takes at most this many ids per call. */
const MAX_BATCH = 1000;

const Stat = ({ label, value, testId, tone }: { label: string; value: number | undefined; testId: string; tone?: string }) => (
  <div className={`card stat-card${tone ? ` stat-${tone}` : ''}`}>
    <div className="stat-label">{label}</div>
    <div className="stat-value" data-testid={testId}>
      {value === undefined ? '—' : numberFormat.format(value)}
    </div>
  </div>
);

const SourceList = ({ quality }: { quality: GeoQualityDto }) => (
  <dl className="meta-list source-list" data-testid="source-list">
    {quality.bySource.map((s) => (
      <div key={s.source}>
        <dt>{s.source === 'none' ? 'No location' : (SOURCE_LABELS[s.source as keyof typeof SOURCE_LABELS] ?? s.source)}</dt>
        <dd>{numberFormat.format(s.count)}</dd>
      </div>
    ))}
  </dl>
);

const addressOf = (account: AccountDto) => {
  const { line1, postcode, city } = account.address;
  const place = [postcode, city].filter(Boolean).join(' ');
  return [line1, place].filter(Boolean).join(', ');
};

const CategoryPanel = ({ category, ownerId }: { category: GeoCategory; ownerId: string }) => {
  const { user } = useCurrentSession();
  const list = useGeoCategoryList(category, ownerId);
  const showMap = category !== 'unplaced';
  const map = useGeoCategoryMap(category, ownerId, showMap);
  const regeocode = useRegeocode();
  const geocoders = useGeocoders();
  const [provider, setProvider] = useState('');
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const items = useMemo(() => list.data?.pages.flatMap((page) => page.items) ?? [], [list.data]);
  const total = list.data?.pages[0]?.total;
  const selectable = useMemo(() => items.filter((a) => canGeocode(user, a.ownerId)), [items, user]);
  const allSelected = selectable.length > 0 && selectable.every((a) => selected.has(a.id));
  const someSelected = selectable.some((a) => selected.has(a.id));
  const selectAllRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (selectAllRef.current) selectAllRef.current.indeterminate = someSelected && !allSelected;
  }, [someSelected, allSelected]);

  const toggle = (id: string) =>
    setSelected((previous) => {
      const next = new Set(previous);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const toggleAll = () => setSelected(allSelected ? new Set() : new Set(selectable.map((a) => a.id)));
  const ids = [...selected].slice(0, MAX_BATCH);
  const chosen = GEOCODER_NAMES.find((name) => name === provider);
  const geocode = () => regeocode.mutate({ ids, ...(chosen ? { provider: chosen } : {}) }, { onSuccess: () => setSelected(new Set()) });
  const info = CATEGORY_INFO[category];

  return (
    <div className={`geo-panel${showMap ? '' : ' geo-panel-no-map'}`}>
      <section className="card table-card" data-testid="geo-category-panel" data-category={category}>
        <div className="geo-toolbar card-pad-x">
          <p className="muted small geo-description">{info.description}</p>
          <div className="geo-actions">
            <span className="muted small" data-testid="geo-selected-count">
              {selected.size > 0 ? `${numberFormat.format(selected.size)} selected` : total === undefined ? '\u00a0' : `${numberFormat.format(total)} account${total === 1 ? '' : 's'}`}
            </span>
            {geocoders.data && geocoders.data.items.length > 1 ? (
              <select className="input-small" value={provider || geocoders.data.default} onChange={(e) => setProvider(e.target.value)} aria-label="Geocoder" data-testid="geocode-provider">
                {geocoders.data.items.map((name) => (
                  <option key={name} value={name}>
                    {GEOCODER_LABELS[name]}
                  </option>
                ))}
              </select>
            ) : null}
            <button type="button" className="btn btn-primary btn-small" disabled={selected.size === 0 || regeocode.isPending} onClick={geocode} data-testid="geocode-again">
              {regeocode.isPending ? 'Geocoding…' : 'Geocode again'}
            </button>
          </div>
        </div>
        {selected.size > MAX_BATCH ? <div className="banner banner-info geo-banner">Only the first {numberFormat.format(MAX_BATCH)} selected accounts are geocoded in one go.</div> : null}
        {regeocode.data ? (
          <div className="banner banner-success geo-banner" role="status" data-testid="geocode-result">
            {resultMessage(regeocode.data)}
          </div>
        ) : null}
        <ErrorBanner error={regeocode.error ?? list.error} />
        <table className="table" data-testid="geo-table">
          <thead>
            <tr>
              <th className="cell-check">
                <input
                  ref={selectAllRef}
                  type="checkbox"
                  aria-label="Select all shown accounts"
                  checked={allSelected}
                  disabled={selectable.length === 0}
                  onChange={toggleAll}
                  data-testid="geo-select-all"
                />
              </th>
              <th>Name</th>
              <th>Address</th>
              <th>Precision</th>
              <th>Score</th>
              <th>Source</th>
              <th className="cell-actions">Fix on the map</th>
            </tr>
          </thead>
          <tbody>
            {items.map((account) => {
              const allowed = canGeocode(user, account.ownerId);
              return (
                <tr key={account.id} data-testid="geo-row" data-account-id={account.id} className={selected.has(account.id) ? 'row-selected' : undefined}>
                  <td className="cell-check">
                    <input
                      type="checkbox"
                      aria-label={`Select ${account.name}`}
                      checked={selected.has(account.id)}
                      disabled={!allowed}
                      title={allowed ? undefined : 'Only the owner or a manager can geocode this account'}
                      onChange={() => toggle(account.id)}
                      data-testid="geo-row-select"
                    />
                  </td>
                  <td className="cell-strong">{account.name}</td>
                  <td>{addressOf(account) || <span className="muted">No address</span>}</td>
                  <td className="nowrap">{account.location && account.geo.precision ? PRECISION_LABELS[account.geo.precision] : <span className="muted">No location</span>}</td>
                  <td className="nowrap">{account.geo.score === null ? <span className="muted">—</span> : account.geo.score.toFixed(2)}</td>
                  <td className="nowrap">{account.geo.manual ? 'Placed by hand' : account.geo.source ? SOURCE_LABELS[account.geo.source] : <span className="muted">—</span>}</td>
                  <td className="cell-actions nowrap">
                    <Link to={`/accounts/${account.id}`} data-testid="geo-fix-link">
                      {account.location ? 'Move pin →' : 'Place pin →'}
                    </Link>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        {list.isPending ? <Spinner label="Loading accounts…" /> : null}
        {!list.isPending && items.length === 0 && !list.isError ? (
          <div className="empty-state" data-testid="geo-empty">
            <h3>Nothing to fix here</h3>
            <p className="muted">{info.empty}</p>
          </div>
        ) : null}
        {list.hasNextPage ? (
          <div className="list-footer card-pad">
            <span className="muted small">
              Showing {numberFormat.format(items.length)}
              {total !== undefined ? ` of ${numberFormat.format(total)}` : ''}
            </span>
            <button type="button" className="btn btn-secondary btn-small" onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage} data-testid="geo-load-more">
              {list.isFetchingNextPage ? 'Loading…' : 'Load more'}
            </button>
          </div>
        ) : null}
      </section>
      {showMap ? (
        <section className="card geo-map-card">
          <div className="section-header card-pad-x">
            <h2>On the map</h2>
            <span className="muted small" data-testid="geo-map-count">
              {map.data ? `${numberFormat.format(map.data.items.length)} placed` : ''}
            </span>
          </div>
          <div className="geo-map">
            <Suspense fallback={<div className="map-canvas" />}>
              <GeoCategoryMap points={map.data?.items} />
            </Suspense>
            {map.data && map.data.items.length === 0 ? (
              <div className="map-empty">
                <strong>No accounts to show</strong>
              </div>
            ) : null}
          </div>
        </section>
      ) : null}
    </div>
  );
};

export const GeocodingPage = () => {
  usePageTitle('Geocoding');
  const { user } = useCurrentSession();
  const quality = useGeoQuality();
  const [search, setSearch] = useSearchParams();
  const category = readCategory(search, quality.data);
  const mine = search.get('mine') === '1';
  const setParam = (key: string, value: string | null) =>
    setSearch(
      (previous) => {
        const next = new URLSearchParams(previous);
        if (value === null) next.delete(key);
        else next.set(key, value);
        return next;
      },
      { replace: true },
    );
  const data = quality.data;
  const head = data ? headline(data) : undefined;

  return (
    <div className="page page-wide" data-testid="geocoding-page">
      <div className="page-header">
        <div>
          <h1>Geocoding quality</h1>
          <p className="muted">How well the accounts are placed on the map, and the ones to fix.</p>
        </div>
      </div>
      <ErrorBanner error={quality.error} />
      <div className="stat-grid">
        <Stat label="Accounts" value={head?.total} testId="geo-total" />
        <Stat label="Placed" value={head?.placed} testId="geo-placed" tone="good" />
        <Stat label="Without location" value={head?.withoutLocation} testId="geo-without-location" tone={head && head.withoutLocation > 0 ? 'bad' : undefined} />
        <Stat label="Placed by hand" value={head?.manual} testId="geo-manual" />
        <Stat label="Low score (< 0.7)" value={head?.lowScore} testId="geo-low-score" tone={head && head.lowScore > 0 ? 'warn' : undefined} />
      </div>
      <div className="geo-overview">
        <section className="card card-pad">
          <div className="section-header">
            <h2>Accounts by precision</h2>
          </div>
          {data ? <PrecisionChart bars={precisionBars(data)} onSelect={(c) => setParam('category', c)} /> : <Spinner label="Loading…" />}
        </section>
        <section className="card card-pad">
          <div className="section-header">
            <h2>By source</h2>
          </div>
          {data ? <SourceList quality={data} /> : null}
          {data ? (
            <>
              <h3 className="subsection-title">Automatic placements by score</h3>
              <dl className="meta-list" data-testid="score-buckets">
                {data.scoreBuckets.map((b) => (
                  <div key={b.below}>
                    <dt>Below {b.below}</dt>
                    <dd>{numberFormat.format(b.count)}</dd>
                  </div>
                ))}
              </dl>
            </>
          ) : null}
        </section>
      </div>
      <div className="geo-tabs-row">
        <div className="tabs" role="tablist" aria-label="Accounts to check">
          {GEO_CATEGORIES.map((c) => (
            <button
              key={c}
              type="button"
              role="tab"
              aria-selected={c === category}
              className={`tab${c === category ? ' active' : ''}`}
              onClick={() => setParam('category', c)}
              data-testid={`geo-tab-${c}`}
            >
              {CATEGORY_INFO[c].label}
              <span className="tab-count">{data ? numberFormat.format(categoryCount(data, c)) : '…'}</span>
            </button>
          ))}
        </div>
        <label className="checkbox small">
          <input type="checkbox" checked={mine} onChange={(e) => setParam('mine', e.target.checked ? '1' : null)} data-testid="geo-mine" />
          Only my accounts
        </label>
      </div>
      {/* Without a category in the URL, wait for the counts to open the first one that has accounts. */}
      {search.has('category') || !quality.isPending ? (
        <CategoryPanel key={`${category}-${mine ? 'mine' : 'all'}`} category={category} ownerId={mine ? user.id : ''} />
      ) : null}
      {canEditAnyAccount(user.role) ? <RegeocodeCard category={category} ownerId={mine ? user.id : ''} /> : null}
      {user.role === 'admin' ? <AddressFilesCard /> : null}
    </div>
  );
};
