import type { Readable } from 'node:stream';
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import { AppError } from '@geocrm/domain';
import {
  AccountExportQuery,
  ErrorBody,
  IdParams,
  ImportJobDto,
  ImportJobList,
  ImportOptions,
  ImportPreview,
  ImportPreviewBody,
  ImportUploadQuery,
  ImportUploadResult,
} from '@geocrm/contracts';
import { actorOf } from '../../http/auth-context.ts';
import type { AccountExporter } from './account-export.ts';
import type { ImportsService } from './imports.service.ts';

/** Content types an upload may be sent with: the file is the raw body, streamed to disk. */
const UPLOAD_TYPES = [
  'application/octet-stream',
  'text/csv',
  'application/csv',
  'application/vnd.ms-excel',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
];

const contentDisposition = (fileName: string): string => {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replaceAll('"', '');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
};

/** `/imports`: upload a CSV or XLSX file, map its columns, run it as a background job, read its report. */
export const importsRoutes: FastifyPluginCallbackTypebox<{ imports: ImportsService }> = (app, { imports }, done) => {
  const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
  const tags = ['imports'];
  // The upload is not buffered: the handler receives the request stream (no body size limit but the disk).
  app.addContentTypeParser(UPLOAD_TYPES, (_request, payload, parsed) => {
    parsed(null, payload);
  });

  app.post(
    '/',
    {
      schema: {
        tags,
        summary: 'Upload a CSV or XLSX file (the raw file as the body); answers the detected layout, column suggestions and a preview',
        querystring: ImportUploadQuery,
        response: { 201: ImportUploadResult, ...errors },
      },
      // no schema for the body: it is the file itself
      validatorCompiler: () => () => true,
    },
    async (request, reply) => {
      const body = request.body as Readable | undefined;
      if (!body || typeof body.pipe !== 'function') {
        throw new AppError('VALIDATION', 'Send the file as the request body with Content-Type application/octet-stream (or text/csv, or the XLSX type).');
      }
      return reply.status(201).send(await imports.upload(actorOf(request), request.query.filename, body));
    },
  );
  app.get('/', { schema: { tags, summary: 'Recent imports of the organisation', response: { 200: ImportJobList, ...errors } } }, async (request) => imports.list(actorOf(request)));
  app.get('/:id', { schema: { tags, summary: 'An import: status, progress, counts', params: IdParams, response: { 200: ImportJobDto, ...errors } } }, async (request) =>
    imports.get(actorOf(request), request.params.id),
  );
  app.post(
    '/:id/preview',
    { schema: { tags, summary: 'The first rows read with a mapping, with their errors', params: IdParams, body: ImportPreviewBody, response: { 200: ImportPreview, ...errors } } },
    async (request) => imports.preview(actorOf(request), request.params.id, request.body),
  );
  app.post(
    '/:id/start',
    { schema: { tags, summary: 'Start the import in the background with a mapping and options', params: IdParams, body: ImportOptions, response: { 202: ImportJobDto, ...errors } } },
    async (request, reply) => reply.status(202).send(await imports.start(actorOf(request), request.params.id, request.body)),
  );
  app.post('/:id/cancel', { schema: { tags, summary: 'Cancel an import (rows already committed stay)', params: IdParams, response: { 200: ImportJobDto, ...errors } } }, async (request) =>
    imports.cancel(actorOf(request), request.params.id),
  );
  app.get(
    '/:id/report',
    { schema: { tags, summary: 'The report as CSV: one line per row of the file (created, updated, skipped and why)', params: IdParams } },
    async (request, reply) => {
      const report = await imports.report(actorOf(request), request.params.id);
      return reply.type('text/csv; charset=utf-8').header('content-disposition', contentDisposition(report.fileName)).send(report.body);
    },
  );
  done();
};

/** `/exports/accounts?format=csv|xlsx|geojson&…filters`: the accounts list's filters, as a download. */
export const exportsRoutes: FastifyPluginCallbackTypebox<{ exporter: AccountExporter }> = (app, { exporter }, done) => {
  app.get(
    '/accounts',
    {
      schema: {
        tags: ['imports'],
        summary: 'Export the accounts matching the filters as CSV, XLSX or GeoJSON (streamed)',
        querystring: AccountExportQuery,
      },
    },
    async (request, reply) => {
      const file = exporter.export(actorOf(request), request.query);
      return reply.type(file.contentType).header('content-disposition', contentDisposition(file.fileName)).send(file.body);
    },
  );
  done();
};
