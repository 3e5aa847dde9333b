import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import {
  ChangeTourBody,
  CreateVisitBody,
  CreateVisitTypeBody,
  ErrorBody,
  IdParams,
  PlanTourBody,
  RepProfileDto,
  TourDaysBody,
  TourDto,
  TourList,
  TourListQuery,
  TourPlan,
  UpdateRepProfileBody,
  UpdateVisitBody,
  UpdateVisitTypeBody,
  UserIdParams,
  VisitDto,
  VisitList,
  VisitListQuery,
  VisitTypeDto,
  VisitTypeList,
} from '@geocrm/contracts';
import { actorOf } from '../../http/auth-context.ts';
import type { ToursService } from './tours.service.ts';
import type { VisitsService } from './visits.service.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 422: ErrorBody };

/** `/tours`: plan (optimise), evaluate a hand-made order, save, read. */
export const toursRoutes: FastifyPluginCallbackTypebox<{ tours: ToursService }> = (app, { tours }, done) => {
  const tags = ['tours'];
  app.post(
    '/plan',
    {
      schema: {
        tags,
        summary: "Optimise one rep's 1–5 days: ordered stops with times, lunch, nights (home or hotel), totals, and the visits that could not be placed with why",
        body: PlanTourBody,
        response: { 200: TourPlan, ...errors },
      },
    },
    async (request) => tours.plan(actorOf(request), request.body),
  );
  app.post(
    '/evaluate',
    { schema: { tags, summary: 'Re-time a hand-made order of visits; broken constraints are flagged (closed, late, over driving or working hours)', body: TourDaysBody, response: { 200: TourPlan, ...errors } } },
    async (request) => tours.evaluate(actorOf(request), request.body),
  );
  app.post(
    '/',
    { schema: { tags, summary: 'Save a tour (re-timed by the server; refused with 422 when a constraint is broken); all or nothing', body: TourDaysBody, response: { 201: TourDto, ...errors } } },
    async (request, reply) => reply.status(201).send(await tours.save(actorOf(request), request.body)),
  );
  app.get('/', { schema: { tags, summary: 'Saved tours, by rep and dates', querystring: TourListQuery, response: { 200: TourList, ...errors } } }, async (request) =>
    tours.list(actorOf(request), request.query),
  );
  app.get('/:id', { schema: { tags, summary: 'One saved tour with its days and stops', params: IdParams, response: { 200: TourDto, ...errors } } }, async (request) =>
    tours.get(actorOf(request), request.params.id),
  );
  app.patch(
    '/:id',
    {
      schema: {
        tags,
        summary: "Change a planned tour's days (re-timed by the server; 422 naming every broken constraint; 409 when a visit or the rep's day is booked elsewhere)",
        params: IdParams,
        body: ChangeTourBody,
        response: { 200: TourDto, ...errors },
      },
    },
    async (request) => tours.change(actorOf(request), request.params.id, request.body),
  );
  app.delete(
    '/:id',
    { schema: { tags, summary: 'Cancel a planned tour: kept with status cancelled and its planned totals; its visits can be planned again', params: IdParams, response: { 200: TourDto, ...errors } } },
    async (request) => tours.cancel(actorOf(request), request.params.id),
  );
  done();
};

/** `/rep-profiles/:userId`: a rep's home, office, hours, lunch, limits, costs and skills. */
export const repProfilesRoutes: FastifyPluginCallbackTypebox<{ visits: VisitsService }> = (app, { visits }, done) => {
  const tags = ['tours'];
  app.get('/:userId', { schema: { tags, summary: 'A rep profile (the rep reads their own; managers, admins, back-office any)', params: UserIdParams, response: { 200: RepProfileDto, ...errors } } }, async (request) =>
    visits.getProfile(actorOf(request), request.params.userId),
  );
  app.patch(
    '/:userId',
    { schema: { tags, summary: 'Change a rep profile (manager, admin); home is kept on the user', params: UserIdParams, body: UpdateRepProfileBody, response: { 200: RepProfileDto, ...errors } } },
    async (request) => visits.updateProfile(actorOf(request), request.params.userId, request.body),
  );
  done();
};

/** `/visit-types`. */
export const visitTypesRoutes: FastifyPluginCallbackTypebox<{ visits: VisitsService }> = (app, { visits }, done) => {
  const tags = ['tours'];
  app.get('/', { schema: { tags, summary: 'Visit types', response: { 200: VisitTypeList, ...errors } } }, async (request) => ({ items: await visits.listVisitTypes(actorOf(request)) }));
  app.post('/', { schema: { tags, summary: 'Create a visit type (manager, admin)', body: CreateVisitTypeBody, response: { 201: VisitTypeDto, ...errors } } }, async (request, reply) =>
    reply.status(201).send(await visits.createVisitType(actorOf(request), request.body)),
  );
  app.patch('/:id', { schema: { tags, summary: 'Change a visit type (manager, admin)', params: IdParams, body: UpdateVisitTypeBody, response: { 200: VisitTypeDto, ...errors } } }, async (request) =>
    visits.updateVisitType(actorOf(request), request.params.id, request.body),
  );
  done();
};

/** `/visits`. */
export const visitsRoutes: FastifyPluginCallbackTypebox<{ visits: VisitsService }> = (app, { visits }, done) => {
  const tags = ['tours'];
  app.get('/', { schema: { tags, summary: 'Visits (field roles: their own)', querystring: VisitListQuery, response: { 200: VisitList, ...errors } } }, async (request) => ({
    items: await visits.listVisits(actorOf(request), request.query),
  }));
  app.get('/:id', { schema: { tags, summary: 'One visit', params: IdParams, response: { 200: VisitDto, ...errors } } }, async (request) => visits.getVisit(actorOf(request), request.params.id));
  app.post(
    '/',
    { schema: { tags, summary: 'Create a visit: a booked appointment or a window of dates (optional time of day)', body: CreateVisitBody, response: { 201: VisitDto, ...errors } } },
    async (request, reply) => reply.status(201).send(await visits.createVisit(actorOf(request), request.body)),
  );
  app.patch('/:id', { schema: { tags, summary: 'Change status, assignee, priority or notes', params: IdParams, body: UpdateVisitBody, response: { 200: VisitDto, ...errors } } }, async (request) =>
    visits.updateVisit(actorOf(request), request.params.id, request.body),
  );
  done();
};

