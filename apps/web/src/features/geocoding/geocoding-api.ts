import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AccountList, AccountMap, AddressFileList, AddressFileLoadResult, GeocoderList, GeoQualityDto, RegeocodeBody, RegeocodeResult } from '../../api/types.ts';
import { api, toQueryString } from '../../api/client.ts';
import { accountKeys } from '../accounts/accounts-api.ts';
import { CATEGORY_INFO, type GeoCategory } from './geo-categories.ts';

const PAGE_SIZE = 100;

// Under `accounts` so that any account change (edit, pin moved, re-geocoding) refreshes these too.
export const geoKeys = {
  quality: ['accounts', 'geo-quality'] as const,
  list: (category: GeoCategory, ownerId: string) => ['accounts', 'geo-list', category, ownerId] as const,
  map: (category: GeoCategory, ownerId: string) => ['accounts', 'geo-map', category, ownerId] as const,
};

const params = (category: GeoCategory, ownerId: string) => ({ ...CATEGORY_INFO[category].params, ownerId: ownerId || undefined });

export const useGeoQuality = () =>
  useQuery({
    queryKey: geoKeys.quality,
    queryFn: ({ signal }) => api<GeoQualityDto>('/accounts/geo-quality', { signal }),
  });

export const useGeoCategoryList = (category: GeoCategory, ownerId: string) =>
  useInfiniteQuery({
    queryKey: geoKeys.list(category, ownerId),
    queryFn: ({ pageParam, signal }) =>
      api<AccountList>(`/accounts${toQueryString({ ...params(category, ownerId), sort: 'name', limit: PAGE_SIZE, cursor: pageParam })}`, { signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });

export const useGeoCategoryMap = (category: GeoCategory, ownerId: string, enabled: boolean) =>
  useQuery({
    queryKey: geoKeys.map(category, ownerId),
    queryFn: ({ signal }) => api<AccountMap>(`/accounts/map${toQueryString(params(category, ownerId))}`, { signal }),
    enabled,
  });

export const useRegeocode = () => {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: RegeocodeBody) => api<RegeocodeResult>('/accounts/geocode', { method: 'POST', body }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: accountKeys.all });
    },
  });
};

/** The geocoders one may choose for geocoding again (the offline one, and the configured online one). */
export const useGeocoders = () => useQuery({ queryKey: ['geocoders'], queryFn: ({ signal }) => api<GeocoderList>('/geocode/providers', { signal }), staleTime: 10 * 60_000 });

const addressFileKeys = { all: ['address-files'] as const };

export const useAddressFiles = () => useQuery({ queryKey: addressFileKeys.all, queryFn: ({ signal }) => api<AddressFileList>('/geo/address-files', { signal }) });

export const useLoadAddressFile = () => {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (file: File) => api<AddressFileLoadResult>(`/geo/address-files${toQueryString({ name: file.name })}`, { method: 'POST', file: { data: file, type: 'text/csv' } }),
    onSuccess: () => client.invalidateQueries({ queryKey: addressFileKeys.all }),
  });
};

export const useRemoveAddressFile = () => {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<undefined>(`/geo/address-files/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    onSuccess: () => client.invalidateQueries({ queryKey: addressFileKeys.all }),
  });
};
