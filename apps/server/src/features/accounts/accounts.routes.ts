import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import {
  AccountAround,
  AccountAroundQuery,
  AccountWithin,
  AccountWithinBody,
  BulkAccountsBody,
  BulkAccountsResult,
  AccountDetailDto,
  AccountList,
  AccountListQuery,
  AccountMap,
  AccountMapQuery,
  ContactDto,
  ContactParams,
  CreateAccountBody,
  CreateContactBody,
  ErrorBody,
  GeoQualityDto,
  RegeocodeBody,
  RegeocodeResult,
  NoContent,
  IdParams,
  TagList,
  UpdateAccountBody,
  UpdateContactBody,
} from '@geocrm/contracts';
import { actorOf } from '../../http/auth-context.ts';
import type { AccountsService } from './accounts.service.ts';
import type { AroundService } from './around.service.ts';

export const accountsRoutes: FastifyPluginCallbackTypebox<{ accounts: AccountsService; around: AroundService }> = (app, { accounts, around }, done) => {
  const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };
  const tags = ['accounts'];

  app.get('/', { schema: { tags, summary: 'List accounts with filters, sort and cursor paging', querystring: AccountListQuery, response: { 200: AccountList, ...errors } } }, async (request) =>
    accounts.list(actorOf(request), request.query),
  );
  app.get(
    '/map',
    { schema: { tags, summary: 'Every matching account as a compact map point [id, name, kind, status, lng, lat]', querystring: AccountMapQuery, response: { 200: AccountMap, ...errors } } },
    async (request, reply) => {
      // Already JSON text (shape AccountMap), built by the database: sent as is, not re-serialized.
      const body: unknown = await accounts.mapJson(actorOf(request), request.query);
      return reply.serializer((payload) => payload as string).type('application/json; charset=utf-8').send(body as AccountMap);
    },
  );
  app.get(
    '/around',
    {
      schema: {
        tags,
        summary: 'Accounts around a point, an account or an address: within radiusKm, or within minutes of estimated driving; nearest first, with the distance',
        querystring: AccountAroundQuery,
        response: { 200: AccountAround, ...errors },
      },
    },
    async (request) => around.around(actorOf(request), request.query),
  );
  app.post(
    '/within',
    {
      schema: {
        tags,
        summary: 'Accounts inside a GeoJSON polygon (lasso), or within widthKm of a line (a route corridor, in order along it), with their distance',
        body: AccountWithinBody,
        response: { 200: AccountWithin, ...errors },
      },
    },
    async (request) => around.within(actorOf(request), request.body),
  );
  app.post(
    '/bulk',
    { schema: { tags, summary: 'Change the owner and/or tags of a selection of accounts', body: BulkAccountsBody, response: { 200: BulkAccountsResult, ...errors } } },
    async (request) => {
      const actor = actorOf(request);
      return around.bulk(actor, request.body, (ownerId) => accounts.checkOwner(actor, ownerId));
    },
  );
  app.get('/geo-quality', { schema: { tags, summary: 'Geocoding quality: counts by precision, source and score', response: { 200: GeoQualityDto, ...errors } } }, async (request) =>
    accounts.geoQuality(actorOf(request)),
  );
  app.post(
    '/geocode',
    { schema: { tags, summary: 'Geocode a selection of accounts again (pins placed by hand are kept)', body: RegeocodeBody, response: { 200: RegeocodeResult, ...errors } } },
    async (request) => accounts.regeocode(actorOf(request), request.body),
  );
  app.get('/tags', { schema: { tags, summary: 'Tags in use, with counts', response: { 200: TagList, ...errors } } }, async (request) => accounts.tags(actorOf(request)));
  app.get('/:id', { schema: { tags, summary: 'One account with its contacts', params: IdParams, response: { 200: AccountDetailDto, ...errors } } }, async (request) =>
    accounts.get(actorOf(request), request.params.id),
  );
  app.post('/', { schema: { tags, summary: 'Create an account (with contacts)', body: CreateAccountBody, response: { 201: AccountDetailDto, ...errors } } }, async (request, reply) =>
    reply.status(201).send(await accounts.create(actorOf(request), request.body)),
  );
  app.patch(
    '/:id',
    { schema: { tags, summary: 'Change an account; setting location places the pin by hand', params: IdParams, body: UpdateAccountBody, response: { 200: AccountDetailDto, ...errors } } },
    async (request) => accounts.update(actorOf(request), request.params.id, request.body),
  );
  app.delete('/:id', { schema: { tags, summary: 'Delete an account (manager, admin)', params: IdParams, response: { 204: NoContent, ...errors } } }, async (request, reply) => {
    await accounts.delete(actorOf(request), request.params.id);
    return reply.status(204).send(null);
  });

  app.post(
    '/:id/contacts',
    { schema: { tags, summary: 'Add a contact', params: IdParams, body: CreateContactBody, response: { 201: ContactDto, ...errors } } },
    async (request, reply) => reply.status(201).send(await accounts.addContact(actorOf(request), request.params.id, request.body)),
  );
  app.patch(
    '/:id/contacts/:contactId',
    { schema: { tags, summary: 'Change a contact', params: ContactParams, body: UpdateContactBody, response: { 200: ContactDto, ...errors } } },
    async (request) => accounts.updateContact(actorOf(request), request.params.id, request.params.contactId, request.body),
  );
  app.delete('/:id/contacts/:contactId', { schema: { tags, summary: 'Delete a contact', params: ContactParams, response: { 204: NoContent, ...errors } } }, async (request, reply) => {
    await accounts.deleteContact(actorOf(request), request.params.id, request.params.contactId);
    return reply.status(204).send(null);
  });
  done();
};
