import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, toQueryString } from '../../api/client.ts';
import type {
  ChangeTourBody,
  CreateVisitTypeBody,
  PlanTourBody,
  RepProfileDto,
  TourDaysBody,
  TourDto,
  TourList,
  TourPlan,
  UpdateRepProfileBody,
  UpdateVisitTypeBody,
  VisitList,
  VisitTypeDto,
  VisitTypeList,
} from './tours-types.ts';

export const tourKeys = {
  all: ['tours'] as const,
  list: (userId: string, from: string, to: string) => ['tours', 'list', userId, from, to] as const,
  candidates: (userId: string, from: string, to: string) => ['visits', 'open', userId, from, to] as const,
  profile: (userId: string) => ['rep-profiles', userId] as const,
  visitTypes: ['visit-types'] as const,
};

/** The rep's open (planned) visits whose window or appointment meets the dates. */
export const useCandidateVisits = (userId: string | null, from: string, to: string) =>
  useQuery({
    queryKey: tourKeys.candidates(userId ?? '', from, to),
    queryFn: ({ signal }) => api<VisitList>(`/visits${toQueryString({ userId, status: 'planned', from, to })}`, { signal }),
    enabled: userId !== null && from !== '' && to !== '',
  });

export const usePlanTour = () => useMutation({ mutationFn: (body: PlanTourBody) => api<TourPlan>('/tours/plan', { method: 'POST', body }) });

/** Re-times a hand-made order; broken constraints come back as flags. */
export const useEvaluateTour = () => useMutation({ mutationFn: (body: TourDaysBody) => api<TourPlan>('/tours/evaluate', { method: 'POST', body }) });

export const useSaveTour = () => {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: TourDaysBody) => api<TourDto>('/tours', { method: 'POST', body }),
    onSuccess: () => client.invalidateQueries({ queryKey: tourKeys.all }),
  });
};

/** Replaces a saved tour's days (re-timed by the server; 422 on a broken constraint, 409 when booked elsewhere). */
export const useChangeTour = () => {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: ChangeTourBody }) => api<TourDto>(`/tours/${encodeURIComponent(id)}`, { method: 'PATCH', body }),
    onSuccess: () => client.invalidateQueries({ queryKey: tourKeys.all }),
  });
};

/** Cancels a saved tour: kept as cancelled, its visits open again. */
export const useCancelTour = () => {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<TourDto>(`/tours/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    onSuccess: () => client.invalidateQueries({ queryKey: tourKeys.all }),
  });
};

/** Saved tours of a rep that meet the dates. */
export const useSavedTours = (userId: string | null, from: string, to: string) =>
  useQuery({
    queryKey: tourKeys.list(userId ?? '', from, to),
    queryFn: ({ signal }) => api<TourList>(`/tours${toQueryString({ userId, from, to })}`, { signal }),
    enabled: userId !== null && from !== '' && to !== '',
  });

export const useLoadTour = () => useMutation({ mutationFn: (id: string) => api<TourDto>(`/tours/${encodeURIComponent(id)}`) });

export const useRepProfile = (userId: string | null) =>
  useQuery({
    queryKey: tourKeys.profile(userId ?? ''),
    queryFn: ({ signal }) => api<RepProfileDto>(`/rep-profiles/${encodeURIComponent(userId ?? '')}`, { signal }),
    enabled: userId !== null,
  });

export const useUpdateRepProfile = (userId: string) => {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdateRepProfileBody) => api<RepProfileDto>(`/rep-profiles/${encodeURIComponent(userId)}`, { method: 'PATCH', body }),
    onSuccess: (profile) => {
      client.setQueryData(tourKeys.profile(userId), profile);
      // the home is kept on the user: the users list shows it too
      void client.invalidateQueries({ queryKey: ['users'] });
    },
  });
};

export const useVisitTypes = () => useQuery({ queryKey: tourKeys.visitTypes, queryFn: ({ signal }) => api<VisitTypeList>('/visit-types', { signal }), staleTime: 60_000 });

export const useCreateVisitType = () => {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateVisitTypeBody) => api<VisitTypeDto>('/visit-types', { method: 'POST', body }),
    onSuccess: () => client.invalidateQueries({ queryKey: tourKeys.visitTypes }),
  });
};

export const useUpdateVisitType = () => {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: UpdateVisitTypeBody }) => api<VisitTypeDto>(`/visit-types/${encodeURIComponent(id)}`, { method: 'PATCH', body }),
    onSuccess: () => client.invalidateQueries({ queryKey: tourKeys.visitTypes }),
  });
};
