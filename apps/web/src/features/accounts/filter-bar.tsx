import { useEffect, useState, type ReactNode } from 'react';
import { ACCOUNT_KINDS, ACCOUNT_STATUSES, type AccountKind, type AccountStatus } from '@geocrm/domain';
import { MultiSelect } from '../../ui/multi-select.tsx';
import { useDebouncedValue } from '../../ui/use-debounced-value.ts';
import { useUsers } from '../users/users-api.ts';
import { useTags } from './accounts-api.ts';
import { countActiveFilters, useAccountFilters } from './account-filters.ts';
import { KIND_LABELS, STATUS_LABELS } from './account-labels.ts';
import { KindSymbol } from './kind-symbol.tsx';

const KIND_OPTIONS = ACCOUNT_KINDS.map((kind) => ({ value: kind, label: KIND_LABELS[kind], icon: <KindSymbol kind={kind} /> }));
const STATUS_OPTIONS = ACCOUNT_STATUSES.map((status) => ({
  value: status,
  label: STATUS_LABELS[status],
  icon: <KindSymbol kind="client" status={status} />,
}));

/** The filters of the accounts list and the map (state in the URL, shared by both pages). */
export const FilterBar = ({ children }: { children?: ReactNode }) => {
  const { filters, setFilters, clear } = useAccountFilters();
  const users = useUsers();
  const tags = useTags();
  const [text, setText] = useState(filters.q);
  const debounced = useDebouncedValue(text, 300);

  // Keep the box in sync when the URL changes from elsewhere (clear, back button).
  useEffect(() => setText(filters.q), [filters.q]);
  // Only the debounced text drives the URL (filters.q is deliberately not a trigger).
  useEffect(() => {
    if (debounced !== filters.q) setFilters({ q: debounced });
  }, [debounced]);

  const tagOptions = (tags.data?.items ?? []).map((t) => ({ value: t.tag, label: t.tag, hint: String(t.count) }));
  const activeCount = countActiveFilters(filters);

  return (
    <div className="filter-bar" data-testid="filter-bar">
      <div className="search-box">
        <svg viewBox="0 0 20 20" width="16" height="16" aria-hidden="true">
          <circle cx="9" cy="9" r="6" stroke="currentColor" strokeWidth="1.8" fill="none" />
          <path d="m14 14 4 4" stroke="currentColor" strokeWidth="1.8" />
        </svg>
        <input type="search" placeholder="Search name or city…" value={text} onChange={(e) => setText(e.target.value)} data-testid="filter-search" aria-label="Search accounts" />
      </div>
      <MultiSelect<AccountKind> label="Kind" options={KIND_OPTIONS} value={filters.kind} onChange={(kind) => setFilters({ kind })} testId="filter-kind" />
      <MultiSelect<AccountStatus> label="Status" options={STATUS_OPTIONS} value={filters.status} onChange={(status) => setFilters({ status })} testId="filter-status" />
      <label className={`filter-button select-wrap${filters.ownerId ? ' has-value' : ''}`}>
        <span className="filter-label">Owner</span>
        <select value={filters.ownerId} onChange={(e) => setFilters({ ownerId: e.target.value })} data-testid="filter-owner">
          <option value="">Anyone</option>
          <option value="none">No owner</option>
          {(users.data?.items ?? []).map((user) => (
            <option key={user.id} value={user.id}>
              {user.name}
            </option>
          ))}
        </select>
      </label>
      <MultiSelect<string> label="Tags" options={tagOptions} value={filters.tag} onChange={(tag) => setFilters({ tag })} testId="filter-tags" />
      {activeCount > 0 ? (
        <button
          type="button"
          className="btn btn-link"
          onClick={() => {
            setText('');
            clear();
          }}
          data-testid="filter-clear"
        >
          Clear filters ({activeCount})
        </button>
      ) : null}
      <div className="grow" />
      {children}
    </div>
  );
};
