import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import { ErrorBody, LoginBody, NoContent, SessionDto } from '@geocrm/contracts';
import { AppError } from '@geocrm/domain';
import type { UsersRepository } from '@geocrm/db';
import { SESSION_COOKIE, actorOf, requireSession } from '../../http/auth-context.ts';
import type { AuthService } from './auth.service.ts';

export interface AuthRoutesOptions {
  readonly auth: AuthService;
  readonly users: UsersRepository;
  readonly cookieSecure: boolean;
  readonly loginRateLimit: number;
}

export const authRoutes: FastifyPluginCallbackTypebox<AuthRoutesOptions> = (app, { auth, users, cookieSecure, loginRateLimit }, done) => {
  const errors = { 400: ErrorBody, 401: ErrorBody, 429: ErrorBody };

  app.post(
    '/login',
    {
      schema: { tags: ['auth'], summary: 'Log in with e-mail and password; sets the session cookie', body: LoginBody, response: { 200: SessionDto, ...errors } },
      config: { rateLimit: { max: loginRateLimit, timeWindow: '1 minute' } },
    },
    async (request, reply) => {
      const { token, expiresAt, session } = await auth.login(request.body.email, request.body.password);
      void reply.setCookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure: cookieSecure, path: '/', expires: expiresAt });
      return session;
    },
  );

  app.post('/logout', { schema: { tags: ['auth'], summary: 'Close the session', response: { 204: NoContent } } }, async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE];
    if (token) await auth.logout(token);
    void reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.status(204).send(null);
  });

  app.get(
    '/me',
    { onRequest: requireSession(auth), schema: { tags: ['auth'], summary: 'The logged-in user and organisation', response: { 200: SessionDto, 401: ErrorBody } } },
    async (request) => {
      const actor = actorOf(request);
      const user = await users.get(actor.orgId, actor.userId);
      if (!user) throw new AppError('UNAUTHENTICATED', 'Log in first');
      return auth.sessionOf(user);
    },
  );
  done();
};
