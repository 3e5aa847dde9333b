import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import { CreateUserBody, ErrorBody, IdParams, UpdateUserBody, UserDto, UserList } from '@geocrm/contracts';
import { actorOf } from '../../http/auth-context.ts';
import type { UsersService } from './users.service.ts';

export const usersRoutes: FastifyPluginCallbackTypebox<{ users: UsersService }> = (app, { users }, done) => {
  const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
  app.get('/', { schema: { tags: ['users'], summary: 'Users of the organisation', response: { 200: UserList, 401: ErrorBody } } }, async (request) => ({
    items: await users.list(actorOf(request)),
  }));
  app.post('/', { schema: { tags: ['users'], summary: 'Create a user (admin)', body: CreateUserBody, response: { 201: UserDto, ...errors } } }, async (request, reply) =>
    reply.status(201).send(await users.create(actorOf(request), request.body)),
  );
  app.patch(
    '/:id',
    { schema: { tags: ['users'], summary: 'Change a user: name, role, active, password (admin)', params: IdParams, body: UpdateUserBody, response: { 200: UserDto, ...errors } } },
    async (request) => users.update(actorOf(request), request.params.id, request.body),
  );
  done();
};
