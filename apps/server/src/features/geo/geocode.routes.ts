import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import { ErrorBody, GeocodeCollection, GeocodeQuery, GeocoderList, ReverseGeocodeQuery } from '@geocrm/contracts';
import { AppError, lngLat } from '@geocrm/domain';
import { nearestCommune, type ProviderGeocodeFeature } from '@geocrm/geo';
import { actorOf } from '../../http/auth-context.ts';
import type { Geocoding } from './geocoding.ts';

const VERSION = '0.1.0';

const toDto = (f: ProviderGeocodeFeature): GeocodeCollection['features'][number] => ({
  type: 'Feature',
  geometry: { type: 'Point', coordinates: [f.geometry.coordinates[0], f.geometry.coordinates[1]] },
  properties: { ...f.properties, type: f.properties.precision },
});

/** `GET /geocode` (forward, free text or fields) and `GET /geocode/reverse` (point → commune, postcode). */
export const geocodeRoutes: FastifyPluginCallbackTypebox<{ geocoding: Geocoding }> = (app, { geocoding }, done) => {
  const errors = { 400: ErrorBody, 401: ErrorBody };
  app.get(
    '/',
    { schema: { tags: ['geo'], summary: 'Geocode an address (free text q, or street/postcode/city/country): GeocodeJSON, best first', querystring: GeocodeQuery, response: { 200: GeocodeCollection, ...errors } } },
    async (request) => {
      const { q, street, postcode, city, country, limit = 5, provider } = request.query;
      const fields = { ...(street ? { street } : {}), ...(postcode ? { postcode } : {}), ...(city ? { city } : {}), ...(country ? { country } : {}) };
      const hasFields = Object.keys(fields).length > 0;
      if ((q === undefined) === !hasFields) {
        throw new AppError('VALIDATION', 'Give either q (free text) or the fields street, postcode, city, country', { details: { field: 'q' } });
      }
      const result = await geocoding.search(actorOf(request).orgId, q ?? fields, { limit, ...(provider ? { provider } : {}) });
      const query = q ?? [street, postcode, city, country].filter(Boolean).join(', ');
      const answeredBy = result.features[0]?.properties.source ?? provider ?? geocoding.providers.at(-1) ?? 'embedded';
      return { type: 'FeatureCollection' as const, geocoding: { version: VERSION, query, provider: answeredBy }, features: result.features.map(toDto) };
    },
  );
  app.get('/providers', { schema: { tags: ['geo'], summary: 'The geocoders that can be chosen (embedded, and the configured online one)', response: { 200: GeocoderList, ...errors } } }, () => ({
    items: geocoding.providers,
    default: geocoding.providers.at(-1) ?? 'embedded',
  }));
  app.get(
    '/reverse',
    { schema: { tags: ['geo'], summary: 'Reverse geocoding: the commune (or nearest place) and postcode of a point', querystring: ReverseGeocodeQuery, response: { 200: GeocodeCollection, ...errors } } },
    (request) => {
      const { lng, lat } = request.query;
      const hit = nearestCommune(lngLat(lng, lat));
      const features: GeocodeCollection['features'] = hit?.commune.location
        ? [
            {
              type: 'Feature',
              geometry: { type: 'Point', coordinates: [(hit.arrondissement ?? hit.commune).location?.[0] ?? lng, (hit.arrondissement ?? hit.commune).location?.[1] ?? lat] },
              properties: {
                label: `${hit.postcode} ${hit.commune.name}`.trim(),
                score: hit.approximate ? 0.6 : 0.9,
                precision: 'municipality',
                type: 'municipality',
                source: 'gazetteer',
                name: hit.commune.name,
                city: hit.commune.name,
                postcode: hit.postcode,
                citycode: (hit.arrondissement ?? hit.commune).insee,
                ...(hit.arrondissement ? { district: hit.arrondissement.name } : {}),
                distance: hit.distanceMeters,
              },
            },
          ]
        : [];
      return { type: 'FeatureCollection' as const, geocoding: { version: VERSION, query: `${lng},${lat}`, provider: 'gazetteer' }, features };
    },
  );
  done();
};
