import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { TeamPlanBody, TeamPlanJobDto, TeamPlanSaved } from '@geocrm/contracts';
import { api } from '../../api/client.ts';

export type { TeamPlanBody, TeamPlanJobDto, TeamPlanResult, TeamPlanSaved, TeamRepPlan } from '@geocrm/contracts';

const key = (id: string) => ['team-plans', id] as const;

export const isRunning = (job: TeamPlanJobDto | undefined): boolean => job?.status === 'running' || job?.status === 'queued';

/** Starts a team plan (the server answers at once with the job). */
export const useStartTeamPlan = () => {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: TeamPlanBody) => api<TeamPlanJobDto>('/tours/team-plans', { method: 'POST', body }),
    onSuccess: (job) => client.setQueryData(key(job.id), job),
  });
};

/** A team plan, polled every second while it runs. */
export const useTeamPlan = (id: string | null) =>
  useQuery({
    queryKey: key(id ?? ''),
    queryFn: ({ signal }) => api<TeamPlanJobDto>(`/tours/team-plans/${encodeURIComponent(id ?? '')}`, { signal }),
    enabled: id !== null,
    refetchInterval: (query) => (isRunning(query.state.data) ? 1_000 : false),
  });

export const useCancelTeamPlan = () => {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<TeamPlanJobDto>(`/tours/team-plans/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    onSuccess: (job) => client.setQueryData(key(job.id), job),
  });
};

/** Saves every rep's tour of a finished plan at once (all or nothing). */
export const useSaveTeamPlan = () => {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<TeamPlanSaved>(`/tours/team-plans/${encodeURIComponent(id)}/save`, { method: 'POST' }),
    onSuccess: async (_saved, id) => {
      await client.invalidateQueries({ queryKey: key(id) });
      await client.invalidateQueries({ queryKey: ['tours'] });
    },
  });
};
