import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import {
  AnnounceSettingsBody,
  ContactOptOutDto,
  ContactOptOutParams,
  CreateEquipmentBody,
  DirectionsDto,
  EmergencyBody,
  EmergencyDto,
  EquipmentDto,
  EquipmentList,
  EquipmentListQuery,
  ErrorBody,
  FileBody,
  IdParams,
  NoticesOptOutBody,
  NoticesOptOutDto,
  PresenceBody,
  PresencePreviewDto,
  PresenceResultDto,
  SendAppointmentsBody,
  SendResultDto,
  SentLogDto,
  TourDayParams,
} from '@geocrm/contracts';
import { actorOf } from '../../http/auth-context.ts';
import type { AnnounceService } from './announce.service.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 422: ErrorBody };


/** `/tours/:id/days/:date/…`: prepare and announce one day of a saved tour (F-TOUR-5, presence notices of F-TOUR-6). */
export const tourDayAnnounceRoutes: FastifyPluginCallbackTypebox<{ announce: AnnounceService }> = (app, { announce }, done) => {
  const tags = ['announce'];
  app.get(
    '/:id/days/:date/sheet.pdf',
    { schema: { tags, summary: "The day's printable tour sheet (PDF): times, addresses, contacts, objectives, a drawing of the route", params: TourDayParams, produces: ['application/pdf'], response: { 200: FileBody, ...errors } } },
    async (request, reply) => {
      const { pdf, filename } = await announce.sheet(actorOf(request), request.params.id, request.params.date);
      return reply.type('application/pdf').header('content-disposition', `attachment; filename="${filename}"`).send(pdf);
    },
  );
  app.get(
    '/:id/days/:date/calendar.ics',
    { schema: { tags, summary: "The day as an iCalendar file (RFC 5545): one event per stop with its place", params: TourDayParams, produces: ['text/calendar'], response: { 200: FileBody, ...errors } } },
    async (request, reply) => {
      const { ics, filename } = await announce.calendar(actorOf(request), request.params.id, request.params.date);
      return reply.type('text/calendar; charset=utf-8').header('content-disposition', `attachment; filename="${filename}"`).send(ics);
    },
  );
  app.get(
    '/:id/days/:date/directions',
    { schema: { tags, summary: 'Google Maps directions for the day (legs of at most 9 waypoints) and one Waze link per stop', params: TourDayParams, response: { 200: DirectionsDto, ...errors } } },
    async (request) => announce.directions(actorOf(request), request.params.id, request.params.date),
  );
  app.post(
    '/:id/days/:date/appointment-emails',
    {
      schema: {
        tags,
        summary: 'Send each visited account with an e-mail its appointment time (logged; sending twice sends nothing new unless resend)',
        params: TourDayParams,
        body: SendAppointmentsBody,
        response: { 200: SendResultDto, ...errors },
      },
    },
    async (request) => announce.sendAppointments(actorOf(request), request.params.id, request.params.date, request.body),
  );
  app.post(
    '/:id/days/:date/presence-notices/preview',
    { schema: { tags, summary: "Who a presence notice would reach: accounts within widthKm of the day's route, opt-outs and missing e-mails counted", params: TourDayParams, body: PresenceBody, response: { 200: PresencePreviewDto, ...errors } } },
    async (request) => announce.presencePreview(actorOf(request), request.params.id, request.params.date, request.body),
  );
  app.post(
    '/:id/days/:date/presence-notices',
    { schema: { tags, summary: "Tell the accounts near the day's route that someone will be nearby (each at most once per day; opt-outs respected)", params: TourDayParams, body: PresenceBody, response: { 200: PresenceResultDto, ...errors } } },
    async (request) => announce.presenceSend(actorOf(request), request.params.id, request.params.date, request.body),
  );
  app.get(
    '/:id/days/:date/messages',
    { schema: { tags, summary: 'Messages sent for the day (appointment times, presence notices)', params: TourDayParams, response: { 200: SentLogDto, ...errors } } },
    async (request) => announce.sentLog(actorOf(request), request.params.id, request.params.date),
  );
  done();
};

/** `/announce`: the urgent-call proposals, equipment under maintenance, notice opt-outs. */
export const announceRoutes: FastifyPluginCallbackTypebox<{ announce: AnnounceService }> = (app, { announce }, done) => {
  const tags = ['announce'];
  app.post(
    '/emergency',
    { schema: { tags, summary: "Equipment due for preventive maintenance along a technician's way to an urgent call, ranked by detour", body: EmergencyBody, response: { 200: EmergencyDto, ...errors } } },
    async (request) => announce.emergency(actorOf(request), request.body),
  );
  app.get('/equipment', { schema: { tags, summary: 'Equipment and its next preventive maintenance', querystring: EquipmentListQuery, response: { 200: EquipmentList, ...errors } } }, async (request) => ({
    items: await announce.listEquipment(actorOf(request), request.query),
  }));
  app.post('/equipment', { schema: { tags, summary: 'Register equipment at an account', body: CreateEquipmentBody, response: { 201: EquipmentDto, ...errors } } }, async (request, reply) =>
    reply.status(201).send(await announce.createEquipment(actorOf(request), request.body)),
  );
  app.put(
    '/settings',
    { schema: { tags, summary: "The organisation's language for customer messages and tour sheets (manager, admin)", body: AnnounceSettingsBody, response: { 200: AnnounceSettingsBody, ...errors } } },
    async (request) => announce.setLocale(actorOf(request), request.body.locale),
  );
  app.put(
    '/opt-outs/:id',
    { schema: { tags, summary: 'An account opts out of (or back into) presence notices', params: IdParams, body: NoticesOptOutBody, response: { 200: NoticesOptOutDto, ...errors } } },
    async (request) => announce.setOptOut(actorOf(request), request.params.id, request.body.optOut),
  );
  app.put(
    '/opt-outs/:id/contacts/:contactId',
    { schema: { tags, summary: "One of the account's contacts opts out of (or back into) presence notices", params: ContactOptOutParams, body: NoticesOptOutBody, response: { 200: ContactOptOutDto, ...errors } } },
    async (request) => announce.setContactOptOut(actorOf(request), request.params.id, request.params.contactId, request.body.optOut),
  );
  done();
};
