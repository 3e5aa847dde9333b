import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import { ErrorBody, GeocodeJobBody, GeocodeJobDto, GeocodeJobItemList, GeocodeJobItemsQuery, GeocodeJobList, IdParams, NoContent } from '@geocrm/contracts';
import { actorOf } from '../../http/auth-context.ts';
import type { GeocodeJobsService } from './geocode-jobs.service.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

/** `/geocode/jobs`: geocode many accounts again in the background (progress, cancel, result per account). */
export const geocodeJobsRoutes: FastifyPluginCallbackTypebox<{ jobs: GeocodeJobsService }> = (app, { jobs }, done) => {
  const tags = ['geo'];
  app.post(
    '/',
    {
      schema: {
        tags,
        summary:
          'Geocode accounts again in the background (all, those below a precision, a selection of ids, or a list filter) with a provider; 202 with the job to poll. Pins placed by hand and addresses changed meanwhile are kept; one job at a time per organisation (409)',
        body: GeocodeJobBody,
        response: { 202: GeocodeJobDto, ...errors },
      },
    },
    async (request, reply) => reply.status(202).send(await jobs.start(actorOf(request), request.body)),
  );
  app.get('/', { schema: { tags, summary: 'The latest geocoding jobs', response: { 200: GeocodeJobList, ...errors } } }, async (request) => jobs.list(actorOf(request)));
  app.get(
    '/:id',
    { schema: { tags, summary: 'A geocoding job: status, progress, counts by outcome, placed by precision, estimated time left', params: IdParams, response: { 200: GeocodeJobDto, ...errors } } },
    async (request) => jobs.get(actorOf(request), request.params.id),
  );
  app.get(
    '/:id/items',
    {
      schema: {
        tags,
        summary: 'The result per account (new precision and score, or why not), in order; `outcome=problems` for not found and failed',
        params: IdParams,
        querystring: GeocodeJobItemsQuery,
        response: { 200: GeocodeJobItemList, ...errors },
      },
    },
    async (request) => jobs.items(actorOf(request), request.params.id, request.query),
  );
  app.delete('/:id', { schema: { tags, summary: 'Cancel a job (what is done stays done)', params: IdParams, response: { 204: NoContent, ...errors } } }, async (request, reply) => {
    await jobs.cancel(actorOf(request), request.params.id);
    return reply.status(204).send(null);
  });
  done();
};
