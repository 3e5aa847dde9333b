import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import {
  AbsenceDto,
  AbsenceList,
  AbsenceListQuery,
  AccountOwnersBody,
  AccountOwnersPreview,
  AppliedCount,
  ApplyAccountOwnersBody,
  ApplyTaskAssignmentsBody,
  AutoAssignBody,
  AutoAssignPreview,
  CreateAbsenceBody,
  CreateServiceTaskBody,
  ErrorBody,
  IdParams,
  NoContent,
  ServiceTaskDto,
  ServiceTaskList,
  ServiceTaskListQuery,
  TechnicianList,
  UpdateServiceTaskBody,
} from '@geocrm/contracts';
import { actorOf } from '../../http/auth-context.ts';
import type { AssignmentFeature } from './assignment.feature.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 422: ErrorBody };

/** `/assignment`: service tasks, absences, automatic assignment of tasks to technicians and of accounts to owners. */
export const assignmentRoutes: FastifyPluginCallbackTypebox<{ feature: AssignmentFeature }> = (app, { feature }, done) => {
  const { tasks, auto, owners } = feature;
  const tags = ['assignment'];

  app.get('/tasks', { schema: { tags, summary: 'Service tasks (filters: status, technician, skill, due before, text)', querystring: ServiceTaskListQuery, response: { 200: ServiceTaskList, ...errors } } }, async (request) =>
    tasks.list(actorOf(request), request.query),
  );
  app.post(
    '/tasks',
    { schema: { tags, summary: 'Create a service task at an account (placed on the map; known skills; due today or later)', body: CreateServiceTaskBody, response: { 201: ServiceTaskDto, ...errors } } },
    async (request, reply) => reply.status(201).send(await tasks.create(actorOf(request), request.body)),
  );
  app.get('/tasks/:id', { schema: { tags, summary: 'A service task', params: IdParams, response: { 200: ServiceTaskDto, ...errors } } }, async (request) => tasks.get(actorOf(request), request.params.id));
  app.patch(
    '/tasks/:id',
    { schema: { tags, summary: "Change a task; status 'open' takes it back from its technician, 'done' closes it (its technician may do that)", params: IdParams, body: UpdateServiceTaskBody, response: { 200: ServiceTaskDto, ...errors } } },
    async (request) => tasks.update(actorOf(request), request.params.id, request.body),
  );
  app.post('/tasks/:id/cancel', { schema: { tags, summary: 'Cancel a task', params: IdParams, response: { 200: ServiceTaskDto, ...errors } } }, async (request) => tasks.cancel(actorOf(request), request.params.id));

  app.get('/technicians', { schema: { tags, summary: 'Active technicians (then reps) with skills, home and colour; the known skills', response: { 200: TechnicianList, ...errors } } }, async (request) =>
    tasks.technicians(actorOf(request)),
  );

  app.get('/absences', { schema: { tags, summary: 'Absences (days off) meeting the dates', querystring: AbsenceListQuery, response: { 200: AbsenceList, ...errors } } }, async (request) =>
    tasks.absences(actorOf(request), request.query),
  );
  app.post('/absences', { schema: { tags, summary: 'Record an absence (own, or anyone for a dispatcher)', body: CreateAbsenceBody, response: { 201: AbsenceDto, ...errors } } }, async (request, reply) =>
    reply.status(201).send(await tasks.addAbsence(actorOf(request), request.body)),
  );
  app.delete('/absences/:id', { schema: { tags, summary: 'Delete an absence', params: IdParams, response: { 204: NoContent, ...errors } } }, async (request, reply) => {
    await tasks.deleteAbsence(actorOf(request), request.params.id);
    return reply.status(204).send(null);
  });

  app.post(
    '/tasks/auto/preview',
    {
      schema: {
        tags,
        summary:
          'Assign open tasks to technicians over 1–10 days (one optimisation in a worker thread): per technician the tasks per day, km and hours; the workload spread; the tasks left out with why. Writes nothing',
        body: AutoAssignBody,
        response: { 200: AutoAssignPreview, ...errors },
      },
    },
    async (request) => {
      // a client that goes away stops the search (the worker returns its best so far)
      const abort = new AbortController();
      const onClose = (): void => {
        if (!request.raw.complete || request.raw.destroyed) abort.abort();
      };
      request.raw.socket.once('close', onClose);
      try {
        return await auto.preview(actorOf(request), request.body, abort.signal);
      } finally {
        request.raw.socket.off('close', onClose);
      }
    },
  );
  app.post(
    '/tasks/auto/apply',
    { schema: { tags, summary: "Write a preview's assignments: all or nothing (409 when a task is no longer open)", body: ApplyTaskAssignmentsBody, response: { 200: AppliedCount, ...errors } } },
    async (request) => auto.apply(actorOf(request), request.body),
  );

  app.post(
    '/accounts/preview',
    {
      schema: {
        tags,
        summary: "Owners for a batch of accounts (an import's, a selection, or all without owner): by territory, or the nearest rep with spare capacity. Writes nothing",
        body: AccountOwnersBody,
        response: { 200: AccountOwnersPreview, ...errors },
      },
    },
    async (request) => owners.preview(actorOf(request), request.body),
  );
  app.post(
    '/accounts/apply',
    { schema: { tags, summary: 'Write account owners: all or nothing', body: ApplyAccountOwnersBody, response: { 200: AppliedCount, ...errors } } },
    async (request) => owners.apply(actorOf(request), request.body),
  );
  done();
};
