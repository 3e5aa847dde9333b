import type { Readable } from 'node:stream';
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import { AddressFileList, AddressFileLoadDto, AddressFileLoadResult, AddressFileUploadQuery, ErrorBody, IdParams, NoContent } from '@geocrm/contracts';
import { AppError } from '@geocrm/domain';
import { actorOf } from '../../http/auth-context.ts';
import type { AddressFilesService } from './address-files.service.ts';

const FILE_TYPES = ['text/csv', 'application/octet-stream'];

/** `/geo/address-files`: street-level reference files (BAN, OpenAddresses) for offline geocoding. */
export const addressFilesRoutes: FastifyPluginCallbackTypebox<{ files: AddressFilesService }> = (app, { files }, done) => {
  const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
  const tags = ['geo'];
  // Streamed to the parser, never buffered whole: a département's BAN file is tens of megabytes.
  app.addContentTypeParser(FILE_TYPES, (_request, payload, parsed) => {
    parsed(null, payload);
  });
  app.get('/', { schema: { tags, summary: 'Address files loaded for offline street-level geocoding', response: { 200: AddressFileList, ...errors } } }, async (request) =>
    files.list(actorOf(request)),
  );
  app.post(
    '/',
    {
      schema: {
        tags,
        summary:
          'Load a BAN (adresses-<dept>.csv) or OpenAddresses CSV, the raw file as the body (admin); unreadable rows are reported with their line. All or nothing; with loadId, follow it at GET /geo/address-files/loads/:loadId',
        querystring: AddressFileUploadQuery,
        response: { 201: AddressFileLoadResult, ...errors },
      },
      bodyLimit: 2 * 1024 * 1024 * 1024,
    },
    async (request, reply) => {
      const body = request.body as Readable | undefined;
      if (!body || typeof body.pipe !== 'function') {
        throw new AppError('VALIDATION', 'Send the CSV file as the request body with Content-Type text/csv or application/octet-stream');
      }
      const length = Number(request.headers['content-length']);
      const options = { ...(request.query.loadId ? { loadId: request.query.loadId } : {}), ...(Number.isFinite(length) && length > 0 ? { bytesTotal: length } : {}) };
      return reply.status(201).send(await files.load(actorOf(request), request.query.name, body, options));
    },
  );
  app.get(
    '/loads/:id',
    { schema: { tags, summary: 'How far a load has gone: bytes read, addresses read, then saving, done or failed (admin)', params: IdParams, response: { 200: AddressFileLoadDto, ...errors } } },
    async (request) => files.loadStatus(actorOf(request), request.params.id),
  );
  app.delete('/:id', { schema: { tags, summary: 'Remove an address file and its points (admin)', params: IdParams, response: { 204: NoContent, ...errors } } }, async (request, reply) => {
    await files.remove(actorOf(request), request.params.id);
    return reply.status(204).send(null);
  });
  done();
};
