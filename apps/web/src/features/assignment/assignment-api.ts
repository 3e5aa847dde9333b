import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  AccountOwnersBody,
  AccountOwnersPreview,
  AppliedCount,
  ApplyAccountOwnersBody,
  ApplyTaskAssignmentsBody,
  AutoAssignBody,
  AutoAssignPreview,
  ServiceTaskDto,
  ServiceTaskList,
  ServiceTaskListQuery,
  TechnicianList,
} from '@geocrm/contracts';
import { api } from '../../api/client.ts';

export type { AccountOwnersPreview, AutoAssignPreview, ServiceTaskDto, TechnicianList };

const keys = {
  tasks: (q: ServiceTaskListQuery) => ['assignment', 'tasks', q] as const,
  technicians: ['assignment', 'technicians'] as const,
};

const queryString = (q: Record<string, string | number | undefined>): string => {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== '') params.set(k, String(v));
  const s = params.toString();
  return s ? `?${s}` : '';
};

export const useServiceTasks = (q: ServiceTaskListQuery) =>
  useQuery({ queryKey: keys.tasks(q), queryFn: ({ signal }) => api<ServiceTaskList>(`/assignment/tasks${queryString({ ...q })}`, { signal }) });

export const useTechnicians = () => useQuery({ queryKey: keys.technicians, queryFn: ({ signal }) => api<TechnicianList>('/assignment/technicians', { signal }), staleTime: 60_000 });

export const useCancelTask = () => {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<ServiceTaskDto>(`/assignment/tasks/${encodeURIComponent(id)}/cancel`, { method: 'POST', body: {} }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['assignment', 'tasks'] }),
  });
};

export const useAutoAssignPreview = () => useMutation({ mutationFn: (body: AutoAssignBody) => api<AutoAssignPreview>('/assignment/tasks/auto/preview', { method: 'POST', body }) });

export const useApplyTaskAssignments = () => {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: ApplyTaskAssignmentsBody) => api<AppliedCount>('/assignment/tasks/auto/apply', { method: 'POST', body }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['assignment', 'tasks'] }),
  });
};

export const useOwnersPreview = () => useMutation({ mutationFn: (body: AccountOwnersBody) => api<AccountOwnersPreview>('/assignment/accounts/preview', { method: 'POST', body }) });

export const useApplyOwners = () => {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: ApplyAccountOwnersBody) => api<AppliedCount>('/assignment/accounts/apply', { method: 'POST', body }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['accounts'] }),
  });
};
