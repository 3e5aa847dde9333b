import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CreateUserBody, UpdateUserBody, UserDto, UserList } from '../../api/types.ts';
import { api } from '../../api/client.ts';

const USERS_KEY = ['users'] as const;

export const useUsers = () =>
  useQuery({ queryKey: USERS_KEY, queryFn: ({ signal }) => api<UserList>('/users', { signal }), staleTime: 60_000 });

export const useCreateUser = () => {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateUserBody) => api<UserDto>('/users', { method: 'POST', body }),
    onSuccess: () => client.invalidateQueries({ queryKey: USERS_KEY }),
  });
};

export const useUpdateUser = () => {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: UpdateUserBody }) =>
      api<UserDto>(`/users/${encodeURIComponent(id)}`, { method: 'PATCH', body }),
    onSuccess: () => client.invalidateQueries({ queryKey: USERS_KEY }),
  });
};
