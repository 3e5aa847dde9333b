import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import {
  type TerritoryAreaCollection as TerritoryAreaCollectionType,
  DesignTerritoriesBody,
  ErrorBody,
  EvaluateTerritoryPlanBody,
  IdParams,
  MoveTerritoryAreasBody,
  NoContent,
  PublishTerritoryPlanBody,
  PublishTerritoryPlanResult,
  SaveTerritoryPlanBody,
  TerritoryCoverageDto,
  TerritoryCoverageQuery,
  TerritoryAreaCollection,
  TerritoryAreasQuery,
  TerritoryPlanDto,
  TerritoryPlanList,
  UpdateTerritoryPlanBody,
} from '@geocrm/contracts';
import { actorOf } from '../../http/auth-context.ts';
import type { TerritoriesService } from './territories.service.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 422: ErrorBody };

/** `/territories`: design balanced contiguous territories, save plans, edit them by hand. */
export const territoriesRoutes: FastifyPluginCallbackTypebox<{ territories: TerritoriesService }> = (app, { territories }, done) => {
  const tags = ['territories'];
  app.get(
    '/areas',
    { schema: { tags, summary: 'Basic areas as GeoJSON (départements) with their measures: accounts inside, population', querystring: TerritoryAreasQuery, response: { 200: TerritoryAreaCollection, ...errors } } },
    async (request, reply) => {
      const body = await territories.areasJson(actorOf(request), request.query.level ?? 'departement');
      // Already JSON text, sent as is.
      return reply.serializer((payload) => payload as string).type('application/json; charset=utf-8').send(body as unknown as TerritoryAreaCollectionType);
    },
  );
  app.post(
    '/design',
    {
      schema: {
        tags,
        summary: 'Design k territories balanced on a measure (±tolerance), compact and contiguous, optionally anchored at reps’ homes, with locked areas and close to a current plan (manager, admin; at most 20 s)',
        body: DesignTerritoriesBody,
        response: { 200: TerritoryPlanDto, ...errors },
      },
    },
    async (request, reply) => {
      // The design yields to the event loop; a client that goes away stops it (best plan so far, discarded).
      // The response's 'close' before it has finished means the connection went away (the request's own
      // 'close' fires as soon as its body has been read: not a disconnection).
      const controller = new AbortController();
      const onClose = (): void => {
        if (!reply.raw.writableFinished) controller.abort();
      };
      reply.raw.once('close', onClose);
      try {
        return await territories.design(actorOf(request), request.body, controller.signal);
      } finally {
        reply.raw.off('close', onClose);
      }
    },
  );
  app.post(
    '/evaluate',
    { schema: { tags, summary: 'Metrics and violations (balance, contiguity) of a hand-edited plan, without saving it', body: EvaluateTerritoryPlanBody, response: { 200: TerritoryPlanDto, ...errors } } },
    async (request) => territories.evaluate(actorOf(request), request.body),
  );
  app.post('/plans', { schema: { tags, summary: 'Save a plan (manager, admin); metrics computed by the server', body: SaveTerritoryPlanBody, response: { 201: TerritoryPlanDto, ...errors } } }, async (request, reply) =>
    reply.status(201).send(await territories.save(actorOf(request), request.body)),
  );
  app.get('/plans', { schema: { tags, summary: 'Saved plans, newest first (manager, admin)', response: { 200: TerritoryPlanList, ...errors } } }, async (request) => territories.list(actorOf(request)));
  app.get('/plans/:id', { schema: { tags, summary: 'One saved plan with its metrics on today’s accounts', params: IdParams, response: { 200: TerritoryPlanDto, ...errors } } }, async (request) =>
    territories.get(actorOf(request), request.params.id),
  );
  app.patch(
    '/plans/:id',
    { schema: { tags, summary: 'Rename a plan; rename, recolour or give reps to its territories', params: IdParams, body: UpdateTerritoryPlanBody, response: { 200: TerritoryPlanDto, ...errors } } },
    async (request) => territories.update(actorOf(request), request.params.id, request.body),
  );
  app.patch(
    '/plans/:id/areas',
    { schema: { tags, summary: 'Move areas between territories by hand; metrics recomputed, violations (balance, contiguity) named', params: IdParams, body: MoveTerritoryAreasBody, response: { 200: TerritoryPlanDto, ...errors } } },
    async (request) => territories.moveAreas(actorOf(request), request.params.id, request.body),
  );
  app.post(
    '/plans/:id/publish',
    {
      schema: {
        tags,
        summary: 'Publish a plan (the only published one): every account gets the territory its area lies in, and optionally its rep as owner; visibility follows (all or nothing)',
        params: IdParams,
        body: PublishTerritoryPlanBody,
        response: { 200: PublishTerritoryPlanResult, ...errors },
      },
    },
    async (request) => territories.publish(actorOf(request), request.params.id, request.body),
  );
  app.delete(
    '/plans/:id/publish',
    { schema: { tags, summary: 'Withdraw a plan’s publication (accounts lose their territory; visibility falls back to the rule without territories)', params: IdParams, response: { 200: TerritoryPlanDto, ...errors } } },
    async (request) => territories.unpublish(actorOf(request), request.params.id),
  );
  app.get(
    '/coverage',
    {
      schema: {
        tags,
        summary: 'Coverage of the published plan (or planId): areas with no territory or no rep, accounts nobody visited in `days` days (default 90) with their territory',
        querystring: TerritoryCoverageQuery,
        response: { 200: TerritoryCoverageDto, ...errors },
      },
    },
    async (request) => territories.coverage(actorOf(request), request.query),
  );
  app.delete('/plans/:id', { schema: { tags, summary: 'Delete a saved plan', params: IdParams, response: { 204: NoContent, ...errors } } }, async (request, reply) => {
    await territories.delete(actorOf(request), request.params.id);
    return reply.status(204).send(null);
  });
  done();
};
