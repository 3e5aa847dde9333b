import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { InsertOpportunityBody, OpportunitiesBody, OpportunitiesResponse, TourPlan } from '@geocrm/contracts';
import { api } from '../../api/client.ts';

/** Accounts worth adding to a planned day (recomputed when the day changes). */
export const useOpportunities = (body: OpportunitiesBody | null) =>
  useQuery({
    queryKey: ['opportunities', body],
    queryFn: ({ signal }) => api<OpportunitiesResponse>('/opportunities', { method: 'POST', body, signal }),
    enabled: body !== null,
    placeholderData: keepPreviousData,
  });

/** Inserts one: the visit is created and the re-timed plan comes back (as /tours/evaluate answers it). */
export const useInsertOpportunity = () => {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: InsertOpportunityBody) => api<TourPlan>('/opportunities/insert', { method: 'POST', body }),
    onSettled: () => Promise.all([client.invalidateQueries({ queryKey: ['opportunities'] }), client.invalidateQueries({ queryKey: ['visits'] }), client.invalidateQueries({ queryKey: ['tours'] })]),
  });
};
