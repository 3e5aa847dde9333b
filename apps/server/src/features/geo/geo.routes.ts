import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import { Attribution, BoundaryParams, ErrorBody, type BoundaryLayer } from '@geocrm/contracts';
import { ATTRIBUTION, loadBoundaries } from '@geocrm/geo';

const serialized = new Map<BoundaryLayer, string>();
const boundariesJson = (layer: BoundaryLayer): string => {
  let text = serialized.get(layer);
  if (text === undefined) {
    text = JSON.stringify(loadBoundaries(layer));
    serialized.set(layer, text);
  }
  return text;
};

/** Offline base-map layers (shipped simplified boundaries) and the attribution of the shipped data. */
export const geoRoutes: FastifyPluginCallbackTypebox = (app, _options, done) => {
  app.get(
    '/boundaries/:layer',
    {
      schema: {
        tags: ['geo'],
        summary: 'Simplified boundaries as GeoJSON: countries, French régions or départements (features carry { code, name })',
        params: BoundaryParams,
        response: { 400: ErrorBody, 401: ErrorBody },
      },
    },
    async (request, reply) => {
      // Pre-serialized once: the raw GeoJSON text goes out as is (no response schema for 200).
      const body: unknown = boundariesJson(request.params.layer);
      return reply.header('content-type', 'application/geo+json; charset=utf-8').header('cache-control', 'private, max-age=86400').send(body as ErrorBody);
    },
  );
  app.get('/attribution', { schema: { tags: ['geo'], summary: 'Sources and licences of the shipped reference data', response: { 200: Attribution } } }, () => ({
    items: ATTRIBUTION.map((a) => ({ name: `${a.data}: ${a.source}`, licence: a.license, url: a.url })),
  }));
  done();
};
