import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import { ErrorBody, IdParams, TeamPlanBody, TeamPlanJobDto, TeamPlanJobList, TeamPlanSaved } from '@geocrm/contracts';
import { actorOf } from '../../http/auth-context.ts';
import type { TeamPlanningService } from './team-planning.service.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 422: ErrorBody };

/** `/tours/team-plans`: plan a whole team at once (a job: poll it, cancel it, save all of it). */
export const teamPlanRoutes: FastifyPluginCallbackTypebox<{ team: TeamPlanningService }> = (app, { team }, done) => {
  const tags = ['tours'];
  app.post(
    '/',
    {
      schema: {
        tags,
        summary:
          'Plan several reps (default: every rep and technician) over 1–5 days at once; answers 202 with a job to poll. Each rep keeps to their territory unless allowCrossTerritory; appointments stay with their rep',
        body: TeamPlanBody,
        response: { 202: TeamPlanJobDto, ...errors },
      },
    },
    async (request, reply) => reply.status(202).send(await team.start(actorOf(request), request.body)),
  );
  app.get('/', { schema: { tags, summary: 'The latest team plans (without their results)', response: { 200: TeamPlanJobList, ...errors } } }, async (request) => team.list(actorOf(request)));
  app.get(
    '/:id',
    {
      schema: {
        tags,
        summary: 'A team plan: status and progress (phase, %, counts, best cost so far); when done, each rep’s plan, the team totals and the unassigned visits with why',
        params: IdParams,
        response: { 200: TeamPlanJobDto, ...errors },
      },
    },
    async (request) => team.get(actorOf(request), request.params.id),
  );
  app.delete('/:id', { schema: { tags, summary: 'Cancel a running team plan', params: IdParams, response: { 200: TeamPlanJobDto, ...errors } } }, async (request) =>
    team.cancel(actorOf(request), request.params.id),
  );
  app.post(
    '/:id/save',
    { schema: { tags, summary: "Save every rep's tour of a finished team plan in one transaction (all or nothing; 409 when a visit or a rep's day is booked meanwhile)", params: IdParams, response: { 201: TeamPlanSaved, ...errors } } },
    async (request, reply) => reply.status(201).send(await team.save(actorOf(request), request.params.id)),
  );
  done();
};
