import { Link, useLocation, useNavigate } from 'react-router';
import type { AccountSort } from '../../api/types.ts';
import { useAccountList } from './accounts-api.ts';
import { useAccountFilters } from './account-filters.ts';
import { FilterBar } from './filter-bar.tsx';
import { KindBadge, StatusBadge } from '../../ui/badges.tsx';
import { ErrorBanner } from '../../ui/error-banner.tsx';
import { Spinner } from '../../ui/spinner.tsx';
import { usePageTitle } from '../../ui/use-page-title.ts';
import { ExportButtons } from '../imports/export-buttons.tsx';

type SortField = 'name' | 'city' | 'createdAt' | 'updatedAt';

const SortHeader = ({ field, label, sort, onSort }: { field: SortField; label: string; sort: AccountSort | undefined; onSort: (s: AccountSort) => void }) => {
  const active = sort === field || sort === `-${field}`;
  const descending = sort === `-${field}`;
  const next: AccountSort = active && !descending ? `-${field}` : field;
  return (
    <th aria-sort={active ? (descending ? 'descending' : 'ascending') : 'none'}>
      <button type="button" className={`sort-button${active ? ' active' : ''}`} onClick={() => onSort(next)} data-testid={`sort-${field}`}>
        {label}
        <span className="sort-arrow" aria-hidden="true">
          {active ? (descending ? '↓' : '↑') : '↕'}
        </span>
      </button>
    </th>
  );
};

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const numberFormat = new Intl.NumberFormat();

export const AccountsListPage = () => {
  const { filters, sort, setSort } = useAccountFilters();
  usePageTitle('Accounts');
  const list = useAccountList(filters, sort);
  // Without a chosen sort the server orders by relevance when searching, else by name.
  const shownSort = sort ?? (filters.q ? undefined : 'name');
  const navigate = useNavigate();
  const location = useLocation();
  const items = list.data?.pages.flatMap((page) => page.items) ?? [];
  const total = list.data?.pages[0]?.total;

  return (
    <div className="page page-wide">
      <div className="page-header">
        <div>
          <h1>Accounts</h1>
          <p className="muted" data-testid="accounts-total">
            {total === undefined ? '\u00a0' : `${numberFormat.format(total)} account${total === 1 ? '' : 's'}`}
            {list.isFetching && !list.isFetchingNextPage ? <span className="inline-spinner" aria-label="Refreshing" /> : null}
          </p>
        </div>
        <div className="page-actions">
          <ExportButtons filters={filters} />
          <Link to={`/map${location.search}`} className="btn btn-secondary" data-testid="show-on-map">
            Show on map
          </Link>
          <Link to="/accounts/new" className="btn btn-primary" data-testid="new-account">
            New account
          </Link>
        </div>
      </div>
      <FilterBar />
      <ErrorBanner error={list.error} />
      <div className="card table-card">
        <table className="table" data-testid="accounts-table">
          <thead>
            <tr>
              <SortHeader field="name" label="Name" sort={shownSort} onSort={setSort} />
              <th>Kind</th>
              <th>Status</th>
              <SortHeader field="city" label="City" sort={shownSort} onSort={setSort} />
              <th>Owner</th>
              <th>Tags</th>
              <SortHeader field="updatedAt" label="Updated" sort={shownSort} onSort={setSort} />
            </tr>
          </thead>
          <tbody>
            {items.map((account) => (
              <tr
                key={account.id}
                className="clickable"
                data-testid="account-row"
                data-account-id={account.id}
                tabIndex={0}
                onClick={() => void navigate(`/accounts/${account.id}`)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter') void navigate(`/accounts/${account.id}`);
                }}
              >
                <td className="cell-strong">{account.name}</td>
                <td>
                  <KindBadge kind={account.kind} />
                </td>
                <td>
                  <StatusBadge status={account.status} />
                </td>
                <td>
                  {account.address.city}
                  {account.address.postcode ? <span className="muted small"> {account.address.postcode}</span> : null}
                </td>
                <td>{account.ownerName ?? <span className="muted">—</span>}</td>
                <td>
                  <span className="tag-list">
                    {account.tags.slice(0, 3).map((tag) => (
                      <span key={tag} className="tag">
                        {tag}
                      </span>
                    ))}
                    {account.tags.length > 3 ? <span className="muted small">+{account.tags.length - 3}</span> : null}
                  </span>
                </td>
                <td className="muted nowrap">{dateFormat.format(new Date(account.updatedAt))}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {list.isPending ? <Spinner label="Loading accounts…" /> : null}
        {!list.isPending && items.length === 0 && !list.isError ? (
          <div className="empty-state" data-testid="accounts-empty">
            <h3>No accounts match these filters</h3>
            <p className="muted">Try removing a filter or searching for something else.</p>
          </div>
        ) : null}
      </div>
      <div className="list-footer">
        <span className="muted small">
          Showing {numberFormat.format(items.length)}
          {total !== undefined ? ` of ${numberFormat.format(total)}` : ''}
        </span>
        {list.hasNextPage ? (
          <button type="button" className="btn btn-secondary" onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage} data-testid="load-more">
            {list.isFetchingNextPage ? 'Loading…' : 'Load more'}
          </button>
        ) : null}
      </div>
    </div>
  );
};
