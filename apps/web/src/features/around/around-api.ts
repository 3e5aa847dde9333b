import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AccountAround, AccountWithin, AccountWithinBody, BulkAccountsBody, BulkAccountsResult, ErrorBody, GeocodeCollection, SelectionExportBody } from '../../api/types.ts';
import { api, ApiError, toQueryString, type QueryValue } from '../../api/client.ts';
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

/** The file name the server gave (`filename*=UTF-8''…` first), or a fallback. */
const fileNameOf = (disposition: string | null, fallback: string): string => {
  const utf8 = /filename\*=UTF-8''([^;]+)/i.exec(disposition ?? '')?.[1];
  if (utf8) return decodeURIComponent(utf8);
  return /filename="([^"]+)"/i.exec(disposition ?? '')?.[1] ?? fallback;
};

/**
 * Downloads the export of a lasso or corridor selection: a POST (the shape does not fit in a link),
 * so the file comes back as a blob and is saved through a temporary link.
 */
export const useDownloadSelection = () =>
  useMutation({
    mutationFn: async (body: SelectionExportBody) => {
      const response = await fetch('/api/v1/exports/accounts/selection', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (!response.ok) {
        const error = (await response.json().catch(() => ({ code: 'INTERNAL', message: `Export failed (${response.status})` }))) as ErrorBody;
        throw new ApiError(response.status, error);
      }
      const blob = await response.blob();
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = fileNameOf(response.headers.get('content-disposition'), `accounts.${body.format}`);
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    },
  });
