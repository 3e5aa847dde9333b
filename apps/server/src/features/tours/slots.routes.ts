import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import type { Repositories, Transactor } from '@geocrm/db';
import type { MatrixProvider } from '@geocrm/geo';
import { BookSlotBody, BookSlotResponse, ErrorBody, InsertOpportunityBody, OpportunitiesBody, OpportunitiesResponse, SlotsBody, SlotsResponse, TourPlan } from '@geocrm/contracts';
import { actorOf } from '../../http/auth-context.ts';
import { OpportunitiesService } from './opportunities.service.ts';
import { SlotsService } from './slots.service.ts';
import type { ToursService } from './tours.service.ts';
import type { VisitsService } from './visits.service.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 422: ErrorBody };

/** Wires the opportunities on the way and the appointment assistant next to the tours feature. */
export const createSlotsFeature = (deps: {
  repos: Repositories;
  transaction: Transactor;
  tours: ToursService;
  visits: VisitsService;
  matrix?: MatrixProvider;
  /** Visit type given to an inserted opportunity by default (by name); env OPPORTUNITY_VISIT_TYPE in app.ts. */
  opportunityVisitType?: string;
}) => {
  const common = { tours: deps.repos.tours, slots: deps.repos.slots, visits: deps.visits, toursService: deps.tours, transaction: deps.transaction, ...(deps.matrix ? { matrix: deps.matrix } : {}) };
  return {
    slots: new SlotsService(common),
    opportunities: new OpportunitiesService({ ...common, accounts: deps.repos.accounts, ...(deps.opportunityVisitType ? { defaultVisitType: deps.opportunityVisitType } : {}) }),
  };
};

/** `/opportunities`: accounts worth adding to a planned day, and inserting one. */
export const opportunitiesRoutes: FastifyPluginCallbackTypebox<{ opportunities: OpportunitiesService }> = (app, { opportunities }, done) => {
  const tags = ['tours'];
  app.post(
    '/',
    {
      schema: {
        tags,
        summary: "Accounts in a corridor of a planned day's route that fit the day's slack and their hours, ranked by worth per detour minute",
        body: OpportunitiesBody,
        response: { 200: OpportunitiesResponse, ...errors },
      },
    },
    async (request) => opportunities.list(actorOf(request), request.body),
  );
  app.post(
    '/insert',
    {
      schema: {
        tags,
        summary: 'Insert one: creates the visit on that day and answers the re-timed plan (as /tours/evaluate); a saved tour is rewritten; all or nothing',
        body: InsertOpportunityBody,
        response: { 200: TourPlan, ...errors },
      },
    },
    async (request) => opportunities.insert(actorOf(request), request.body),
  );
  done();
};

/** `/appointments`: the appointment assistant. */
export const appointmentsRoutes: FastifyPluginCallbackTypebox<{ slots: SlotsService }> = (app, { slots }, done) => {
  const tags = ['tours'];
  app.post(
    '/slots',
    {
      schema: {
        tags,
        summary: 'The best slots for an account and a visit type over a date range, across saved tours and free working days: rep, day, start, extra km and minutes, what moves',
        body: SlotsBody,
        response: { 200: SlotsResponse, ...errors },
      },
    },
    async (request) => slots.propose(actorOf(request), request.body),
  );
  app.post(
    '/',
    {
      schema: {
        tags,
        summary: 'Book a slot: a fixed appointment, the saved tour re-timed (or a new one-day tour); refused with 422 if no longer feasible; one transaction',
        body: BookSlotBody,
        response: { 201: BookSlotResponse, ...errors },
      },
    },
    async (request, reply) => reply.status(201).send(await slots.book(actorOf(request), request.body)),
  );
  done();
};
