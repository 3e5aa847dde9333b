import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { ACCOUNT_KINDS, ACCOUNT_STATUSES, type AccountKind, type AccountStatus } from '@geocrm/domain';
import type { AccountSort } from '../../api/types.ts';

/** The filters shared by the accounts list and the map; they live in the URL query string. */
export interface AccountFilters {
  readonly kind: readonly AccountKind[];
  readonly status: readonly AccountStatus[];
  /** A user id, `none` (no owner) or '' (anyone). */
  readonly ownerId: string;
  readonly tag: readonly string[];
  readonly q: string;
}

export const FILTER_KEYS = ['kind', 'status', 'ownerId', 'tag', 'q'] as const;
const SORTS: readonly AccountSort[] = ['name', '-name', 'city', '-city', 'createdAt', '-createdAt', 'updatedAt', '-updatedAt'];

const list = (value: string | null): string[] =>
  value
    ? value
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean)
    : [];

const isOneOf =
  <T extends string>(values: readonly T[]) =>
  (value: string): value is T =>
    (values as readonly string[]).includes(value);

export const readFilters = (search: URLSearchParams): AccountFilters => ({
  kind: list(search.get('kind')).filter(isOneOf(ACCOUNT_KINDS)),
  status: list(search.get('status')).filter(isOneOf(ACCOUNT_STATUSES)),
  ownerId: search.get('ownerId') ?? '',
  tag: list(search.get('tag')),
  q: search.get('q') ?? '',
});

/** The sort chosen by the user, or undefined for the server's default (relevance with a search, else name). */
export const readSort = (search: URLSearchParams): AccountSort | undefined => {
  const value = search.get('sort');
  return value && isOneOf(SORTS)(value) ? value : undefined;
};

/** Query parameters for the API (and for the URL): empty filters are left out. */
export const filterParams = (filters: AccountFilters): Record<string, string> => {
  const out: Record<string, string> = {};
  if (filters.kind.length > 0) out['kind'] = filters.kind.join(',');
  if (filters.status.length > 0) out['status'] = filters.status.join(',');
  if (filters.ownerId) out['ownerId'] = filters.ownerId;
  if (filters.tag.length > 0) out['tag'] = filters.tag.join(',');
  if (filters.q.trim()) out['q'] = filters.q.trim();
  return out;
};

/** The filter part of a query string, to carry the filters from the list to the map and back. */
export const filterSearchString = (search: URLSearchParams): string => {
  const kept = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const value = search.get(key);
    if (value) kept.set(key, value);
  }
  const text = kept.toString();
  return text ? `?${text}` : '';
};

export const countActiveFilters = (filters: AccountFilters): number =>
  (filters.kind.length > 0 ? 1 : 0) +
  (filters.status.length > 0 ? 1 : 0) +
  (filters.ownerId ? 1 : 0) +
  (filters.tag.length > 0 ? 1 : 0) +
  (filters.q.trim() ? 1 : 0);

export interface UseAccountFilters {
  readonly filters: AccountFilters;
  readonly sort: AccountSort | undefined;
  readonly setFilters: (patch: Partial<AccountFilters>) => void;
  readonly setSort: (sort: AccountSort) => void;
  readonly clear: () => void;
}

export const useAccountFilters = (): UseAccountFilters => {
  const [search, setSearch] = useSearchParams();
  const filters = useMemo(() => readFilters(search), [search]);
  const sort = readSort(search);

  const setFilters = useCallback(
    (patch: Partial<AccountFilters>) => {
      setSearch(
        (previous) => {
          const next = new URLSearchParams(previous);
          const merged = { ...readFilters(previous), ...patch };
          const params = filterParams(merged);
          for (const key of FILTER_KEYS) {
            const value = params[key];
            if (value) next.set(key, value);
            else next.delete(key);
          }
          return next;
        },
        { replace: true },
      );
    },
    [setSearch],
  );

  const setSort = useCallback(
    (value: AccountSort) => {
      setSearch(
        (previous) => {
          const next = new URLSearchParams(previous);
          next.set('sort', value);
          return next;
        },
        { replace: true },
      );
    },
    [setSearch],
  );

  const clear = useCallback(() => {
    setFilters({ kind: [], status: [], ownerId: '', tag: [], q: '' });
  }, [setFilters]);

  return { filters, sort, setFilters, setSort, clear };
};
