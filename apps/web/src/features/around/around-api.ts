import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AccountAround, AccountWithin, AccountWithinBody, BulkAccountsBody, BulkAccountsResult, GeocodeCollection } from '../../api/types.ts';
import { api, toQueryString, type QueryValue } from '../../api/client.ts';
import { accountKeys } from '../accounts/accounts-api.ts';

/** Accounts around a centre; `params` are the API's query parameters (centre, radiusKm or minutes, filters). */
export const useAround = (params: Record<string, QueryValue> | null) =>
  useQuery({
    queryKey: ['accounts', 'around', params],
    queryFn: ({ signal }) => api<AccountAround>(`/accounts/around${toQueryString(params ?? {})}`, { signal }),
    enabled: params !== null,
    placeholderData: keepPreviousData,
  });

/** Accounts inside a drawn polygon (or along a line). */
export const useWithin = (body: AccountWithinBody | null) =>
  useQuery({
    queryKey: ['accounts', 'within', body],
    queryFn: ({ signal }) => api<AccountWithin>('/accounts/within', { method: 'POST', body, signal }),
    enabled: body !== null,
    placeholderData: keepPreviousData,
  });

/** Place suggestions for the centre box. */
export const usePlaceSuggestions = (text: string) =>
  useQuery({
    queryKey: ['geocode', text],
    queryFn: ({ signal }) => api<GeocodeCollection>(`/geocode${toQueryString({ q: text, limit: 5 })}`, { signal }),
    enabled: text.trim().length >= 2,
    staleTime: 5 * 60_000,
  });

export const useBulkAccounts = () => {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: BulkAccountsBody) => api<BulkAccountsResult>('/accounts/bulk', { method: 'POST', body }),
    onSuccess: () => client.invalidateQueries({ queryKey: accountKeys.all }),
  });
};
