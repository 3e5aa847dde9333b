import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  AccountList,
  AccountMap,
  AddressFileList,
  AddressFileLoadDto,
  AddressFileLoadResult,
  GeocodeJobBody,
  GeocodeJobDto,
  GeocodeJobItemList,
  GeocodeJobList,
  GeocoderList,
  GeoQualityDto,
  RegeocodeBody,
  RegeocodeResult,
} from '../../api/types.ts';
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
    mutationFn: ({ file, loadId }: { file: File; loadId: string }) =>
      api<AddressFileLoadResult>(`/geo/address-files${toQueryString({ name: file.name, loadId })}`, { method: 'POST', file: { data: file, type: 'text/csv' } }),
    onSuccess: () => client.invalidateQueries({ queryKey: addressFileKeys.all }),
  });
};

/** How far a load has gone, polled twice a second while its upload runs. */
export const useAddressFileLoad = (loadId: string | undefined, running: boolean) =>
  useQuery({
    queryKey: ['address-files', 'load', loadId],
    queryFn: ({ signal }) => api<AddressFileLoadDto>(`/geo/address-files/loads/${encodeURIComponent(loadId ?? '')}`, { signal }),
    enabled: loadId !== undefined && running,
    refetchInterval: running ? 500 : false,
    retry: false,
  });

export const useRemoveAddressFile = () => {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<undefined>(`/geo/address-files/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    onSuccess: () => client.invalidateQueries({ queryKey: addressFileKeys.all }),
  });
};

// ---- Background re-geocoding jobs ----

const geocodeJobKeys = {
  all: ['geocode-jobs'] as const,
  one: (id: string) => ['geocode-jobs', id] as const,
  problems: (id: string) => ['geocode-jobs', id, 'problems'] as const,
};

export const isJobOver = (job: GeocodeJobDto): boolean => job.status === 'done' || job.status === 'failed' || job.status === 'cancelled';

/** The latest jobs (the card shows the newest one: a job started elsewhere or before a reload too). */
export const useGeocodeJobs = () => useQuery({ queryKey: geocodeJobKeys.all, queryFn: ({ signal }) => api<GeocodeJobList>('/geocode/jobs', { signal }) });

/** One job, polled every second while it runs; the accounts are refreshed when it ends. */
export const useGeocodeJob = (id: string | undefined) => {
  const client = useQueryClient();
  return useQuery({
    queryKey: geocodeJobKeys.one(id ?? ''),
    queryFn: async ({ signal }) => {
      const job = await api<GeocodeJobDto>(`/geocode/jobs/${encodeURIComponent(id ?? '')}`, { signal });
      if (isJobOver(job)) void client.invalidateQueries({ queryKey: accountKeys.all });
      return job;
    },
    enabled: id !== undefined,
    refetchInterval: (query) => (query.state.data && isJobOver(query.state.data) ? false : 1000),
  });
};

export const useGeocodeJobProblems = (id: string | undefined, enabled: boolean) =>
  useQuery({
    queryKey: geocodeJobKeys.problems(id ?? ''),
    queryFn: ({ signal }) => api<GeocodeJobItemList>(`/geocode/jobs/${encodeURIComponent(id ?? '')}/items${toQueryString({ outcome: 'problems', limit: 20 })}`, { signal }),
    enabled: enabled && id !== undefined,
  });

export const useStartGeocodeJob = () => {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: GeocodeJobBody) => api<GeocodeJobDto>('/geocode/jobs', { method: 'POST', body }),
    onSuccess: (job) => {
      client.setQueryData(geocodeJobKeys.one(job.id), job);
      void client.invalidateQueries({ queryKey: geocodeJobKeys.all });
    },
  });
};

export const useCancelGeocodeJob = () => {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<undefined>(`/geocode/jobs/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    onSuccess: (_nothing, id) => client.invalidateQueries({ queryKey: geocodeJobKeys.one(id) }),
  });
};
