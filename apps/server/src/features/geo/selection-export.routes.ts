import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import { SelectionExportBody } from '@geocrm/contracts';
import { actorOf } from '../../http/auth-context.ts';
import type { AccountExporter } from '../imports/account-export.ts';

/** RFC 6266 file name: ASCII fallback plus the UTF-8 name. */
const contentDisposition = (name: string): string => `attachment; filename="${name.replace(/[^\x20-\x7e]|"/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`;

/** `POST /exports/accounts/selection`: the accounts of a lasso or a corridor, as the Nearby list shows them, as a file. */
export const selectionExportRoutes: FastifyPluginCallbackTypebox<{ exporter: AccountExporter }> = (app, { exporter }, done) => {
  app.post(
    '/',
    {
      schema: {
        tags: ['geo'],
        summary: 'Export the accounts inside a drawn polygon or along a line (corridor) — the same search, filters and limit as POST /accounts/within — as CSV, XLSX or GeoJSON',
        body: SelectionExportBody,
      },
    },
    async (request, reply) => {
      const file = await exporter.exportSelection(actorOf(request), request.body);
      return reply.type(file.contentType).header('content-disposition', contentDisposition(file.fileName)).send(file.body);
    },
  );
  done();
};
