import { useCallback } from 'react';
import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  AccountDetailDto,
  AccountList,
  AccountMap,
  AccountSort,
  ContactDto,
  CreateAccountBody,
  CreateContactBody,
  TagList,
  UpdateAccountBody,
  UpdateContactBody,
} from '../../api/types.ts';
import { api, toQueryString } from '../../api/client.ts';
import { filterParams, type AccountFilters } from './account-filters.ts';

const PAGE_SIZE = 50;

export const accountKeys = {
  all: ['accounts'] as const,
  list: (filters: AccountFilters, sort: AccountSort | undefined) => ['accounts', 'list', filterParams(filters), sort] as const,
  map: (filters: AccountFilters) => ['accounts', 'map', filterParams(filters)] as const,
  detail: (id: string) => ['accounts', 'detail', id] as const,
  tags: ['accounts', 'tags'] as const,
};

export const useAccountList = (filters: AccountFilters, sort: AccountSort | undefined) =>
  useInfiniteQuery({
    queryKey: accountKeys.list(filters, sort),
    queryFn: ({ pageParam, signal }) =>
      api<AccountList>(`/accounts${toQueryString({ ...filterParams(filters), sort, limit: PAGE_SIZE, cursor: pageParam })}`, { signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });

export const useAccountMap = (filters: AccountFilters) =>
  useQuery({
    queryKey: accountKeys.map(filters),
    queryFn: ({ signal }) => api<AccountMap>(`/accounts/map${toQueryString(filterParams(filters))}`, { signal }),
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });

export const useAccount = (id: string) =>
  useQuery({
    queryKey: accountKeys.detail(id),
    queryFn: ({ signal }) => api<AccountDetailDto>(`/accounts/${encodeURIComponent(id)}`, { signal }),
  });

export const useTags = () =>
  useQuery({ queryKey: accountKeys.tags, queryFn: ({ signal }) => api<TagList>('/accounts/tags', { signal }), staleTime: 60_000 });

export const useCreateAccount = () => {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateAccountBody) => api<AccountDetailDto>('/accounts', { method: 'POST', body }),
    onSuccess: (account) => {
      client.setQueryData(accountKeys.detail(account.id), account);
      void client.invalidateQueries({ queryKey: accountKeys.all });
    },
  });
};

export const useUpdateAccount = (id: string) => {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdateAccountBody) => api<AccountDetailDto>(`/accounts/${encodeURIComponent(id)}`, { method: 'PATCH', body }),
    // A read of the account still in flight (e.g. started when the page opened) must not land after
    // the saved version and put the old values back in the form.
    onMutate: () => client.cancelQueries({ queryKey: accountKeys.detail(id) }),
    onSuccess: async (account) => {
      await client.cancelQueries({ queryKey: accountKeys.detail(id) });
      client.setQueryData(accountKeys.detail(id), account);
      void client.invalidateQueries({ queryKey: accountKeys.all, predicate: (q) => q.queryKey[1] !== 'detail' });
    },
  });
};

export const useDeleteAccount = (id: string) => {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api<undefined>(`/accounts/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    onSuccess: () => {
      client.removeQueries({ queryKey: accountKeys.detail(id) });
      void client.invalidateQueries({ queryKey: accountKeys.all });
    },
  });
};

const contactsPath = (accountId: string) => `/accounts/${encodeURIComponent(accountId)}/contacts`;

export const useContactMutations = (accountId: string) => {
  const client = useQueryClient();
  const refresh = () => client.invalidateQueries({ queryKey: accountKeys.detail(accountId) });
  const create = useMutation({
    mutationFn: (body: CreateContactBody) => api<ContactDto>(contactsPath(accountId), { method: 'POST', body }),
    onSuccess: refresh,
  });
  const update = useMutation({
    mutationFn: ({ contactId, body }: { contactId: string; body: UpdateContactBody }) =>
      api<ContactDto>(`${contactsPath(accountId)}/${encodeURIComponent(contactId)}`, { method: 'PATCH', body }),
    onSuccess: refresh,
  });
  const remove = useMutation({
    mutationFn: (contactId: string) => api<undefined>(`${contactsPath(accountId)}/${encodeURIComponent(contactId)}`, { method: 'DELETE' }),
    onSuccess: refresh,
  });
  return { create, update, remove };
};

/** Saves a pin dragged on a map (a pin placed by hand: geocoding never moves it again), then refreshes lists and maps. */
export const useMovePin = () => {
  const client = useQueryClient();
  return useCallback(
    async (id: string, location: { lng: number; lat: number }): Promise<void> => {
      await client.cancelQueries({ queryKey: accountKeys.detail(id) });
      const account = await api<AccountDetailDto>(`/accounts/${encodeURIComponent(id)}`, { method: 'PATCH', body: { location } satisfies UpdateAccountBody });
      client.setQueryData(accountKeys.detail(id), account);
      await client.invalidateQueries({ queryKey: accountKeys.all, predicate: (q) => q.queryKey[1] !== 'detail' });
    },
    [client],
  );
};
