import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { LoginBody, SessionDto } from '../../api/types.ts';
import { ApiError, api } from '../../api/client.ts';

export const SESSION_KEY = ['session'] as const;

/** The current session, or null when signed out (a 401 from /auth/me is not an error here). */
export const useSession = () =>
  useQuery({
    queryKey: SESSION_KEY,
    queryFn: async ({ signal }) => {
      try {
        return await api<SessionDto>('/auth/me', { signal, quiet401: true });
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }
    },
    staleTime: 5 * 60_000,
    retry: false,
  });

export const useLogin = () => {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: LoginBody) => api<SessionDto>('/auth/login', { method: 'POST', body, quiet401: true }),
    onSuccess: (session) => {
      client.clear();
      client.setQueryData(SESSION_KEY, session);
    },
  });
};

export const useLogout = () => {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api<undefined>('/auth/logout', { method: 'POST', quiet401: true }),
    onSettled: () => {
      client.clear();
      client.setQueryData(SESSION_KEY, null);
    },
  });
};
