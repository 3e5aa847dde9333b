import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ImportJobDto, ImportJobList, ImportOptions, ImportPreview, ImportPreviewBody, ImportUploadResult } from '@geocrm/contracts';
import type { ErrorBody } from '../../api/types.ts';
import { api, ApiError, toQueryString } from '../../api/client.ts';
import { accountKeys } from '../accounts/accounts-api.ts';
import { filterParams, type AccountFilters } from '../accounts/account-filters.ts';

export const importKeys = {
  all: ['imports'] as const,
  list: ['imports', 'list'] as const,
  job: (id: string) => ['imports', 'job', id] as const,
};

const FINISHED: readonly ImportJobDto['status'][] = ['done', 'failed', 'cancelled'];
export const isFinished = (job: ImportJobDto): boolean => FINISHED.includes(job.status);

/** Sends the file itself as the request body (streamed to disk by the server, whatever its size). */
export const uploadImport = async (file: File): Promise<ImportUploadResult> => {
  let response: Response;
  try {
    response = await fetch(`/api/v1/imports${toQueryString({ filename: file.name })}`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { accept: 'application/json', 'content-type': 'application/octet-stream' },
      body: file,
    });
  } catch {
    throw new ApiError(0, { code: 'UNAVAILABLE', message: 'The server cannot be reached. Check your connection.' });
  }
  const payload: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const body = payload && typeof payload === 'object' && typeof (payload as { message?: unknown }).message === 'string' ? (payload as ErrorBody) : { code: 'INTERNAL', message: `The server answered ${response.status}` };
    throw new ApiError(response.status, body);
  }
  return payload as ImportUploadResult;
};

export const useUploadImport = () => {
  const client = useQueryClient();
  return useMutation({
    mutationFn: uploadImport,
    onSuccess: (result) => {
      client.setQueryData(importKeys.job(result.job.id), result.job);
      void client.invalidateQueries({ queryKey: importKeys.list });
    },
  });
};

export const usePreviewImport = (id: string | undefined) =>
  useMutation({ mutationFn: (body: ImportPreviewBody) => api<ImportPreview>(`/imports/${id ?? ''}/preview`, { method: 'POST', body }) });

export const useStartImport = () => {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, options }: { id: string; options: ImportOptions }) => api<ImportJobDto>(`/imports/${id}/start`, { method: 'POST', body: options }),
    onSuccess: (job) => client.setQueryData(importKeys.job(job.id), job),
  });
};

export const useCancelImport = () => {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<ImportJobDto>(`/imports/${id}/cancel`, { method: 'POST' }),
    onSuccess: (job) => client.setQueryData(importKeys.job(job.id), job),
  });
};

/** The job, polled every second while it waits or runs; accounts are refreshed when it ends. */
export const useImportJob = (id: string | undefined) => {
  const client = useQueryClient();
  return useQuery({
    queryKey: importKeys.job(id ?? ''),
    enabled: id !== undefined,
    queryFn: async ({ signal }) => {
      const job = await api<ImportJobDto>(`/imports/${id ?? ''}`, { signal });
      if (isFinished(job)) void client.invalidateQueries({ queryKey: accountKeys.all });
      return job;
    },
    refetchInterval: (query) => {
      const job = query.state.data;
      return job && (job.status === 'queued' || job.status === 'running') ? 1000 : false;
    },
  });
};

export const useImportList = () => useQuery({ queryKey: importKeys.list, queryFn: ({ signal }) => api<ImportJobList>('/imports', { signal }) });

export const reportUrl = (id: string): string => `/api/v1/imports/${id}/report`;

export type ExportFormat = 'csv' | 'xlsx' | 'geojson';
/** A download of the accounts matching the list's filters. */
export const exportUrl = (format: ExportFormat, filters: AccountFilters): string => `/api/v1/exports/accounts${toQueryString({ ...filterParams(filters), format })}`;
