import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { BookSlotBody, BookSlotResponse, SlotsBody, SlotsResponse, VisitTypeList } from '@geocrm/contracts';
import type { AccountList } from '../../api/types.ts';
import { api, toQueryString } from '../../api/client.ts';

/** The best slots for an account; refreshed on every change of the question. */
export const useSlots = (body: SlotsBody | null) =>
  useQuery({
    queryKey: ['appointments', 'slots', body],
    queryFn: ({ signal }) => api<SlotsResponse>('/appointments/slots', { method: 'POST', body, signal }),
    enabled: body !== null,
    placeholderData: keepPreviousData,
    staleTime: 0,
  });

export const useBookSlot = () => {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: BookSlotBody) => api<BookSlotResponse>('/appointments', { method: 'POST', body }),
    // the tours and slots changed (and a refused slot means they changed under us)
    onSettled: () => Promise.all([client.invalidateQueries({ queryKey: ['appointments'] }), client.invalidateQueries({ queryKey: ['tours'] }), client.invalidateQueries({ queryKey: ['visits'] })]),
  });
};

export const useVisitTypeList = () =>
  useQuery({ queryKey: ['visit-types'], queryFn: ({ signal }) => api<VisitTypeList>('/visit-types', { signal }), staleTime: 60_000 });

/** Accounts by name or city, for the search box. */
export const useAccountSearch = (text: string) =>
  useQuery({
    queryKey: ['accounts', 'search', text],
    queryFn: ({ signal }) => api<AccountList>(`/accounts${toQueryString({ q: text.trim(), sort: 'relevance', limit: 8 })}`, { signal }),
    enabled: text.trim().length >= 2,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
