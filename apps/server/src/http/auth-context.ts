import type {} from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '@geocrm/domain';
import type { Actor, AuthService } from '../features/auth/auth.service.ts';

export const SESSION_COOKIE = 'geocrm_session';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | undefined;
  }
}

/** The authenticated caller, or a 401. */
export const actorOf = (request: FastifyRequest): Actor => {
  if (!request.actor) throw new AppError('UNAUTHENTICATED', 'Log in first');
  return request.actor;
};

/** A hook that rejects unauthenticated calls with 401. */
export const requireSession =
  (auth: AuthService) =>
  async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const token = request.cookies[SESSION_COOKIE];
    const found = token ? await auth.authenticate(token) : undefined;
    if (!found) throw new AppError('UNAUTHENTICATED', 'Log in first');
    request.actor = { userId: found.userId, orgId: found.orgId, role: found.role, name: found.name };
  };
