import { geocode } from '../geocode.ts';
import { nearestCommune } from '../reverse.ts';
import { frenchContext } from './common.ts';
import type { GeocoderProvider } from './types.ts';

/** The offline gazetteer geocoder (`geocode()`, `nearestCommune()`) behind the provider interface. */
export const createEmbeddedProvider = (): GeocoderProvider => ({
  name: 'embedded',
  geocode(query, options = {}) {
    options.signal?.throwIfAborted();
    return Promise.resolve(geocode(query, { limit: options.limit ?? 5 }));
  },
  reverse(point, options = {}) {
    options.signal?.throwIfAborted();
    const near = nearestCommune(point);
    if (!near) return Promise.resolve({ type: 'FeatureCollection', features: [] });
    const c = near.arrondissement ?? near.commune;
    const location = c.location ?? near.commune.location;
    if (!location) return Promise.resolve({ type: 'FeatureCollection', features: [] });
    return Promise.resolve({
      type: 'FeatureCollection',
      features: [{
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [location[0], location[1]] },
        properties: {
          label: `${near.postcode} ${c.name}`.trim(),
          // Nearest town centre: sure near it, less so towards a border.
          score: Math.round(Math.max(0.3, 1 - near.distanceMeters / 20_000) * 1000) / 1000,
          precision: 'municipality',
          name: c.name,
          postcode: near.postcode,
          city: near.commune.name,
          citycode: c.insee,
          ...(near.arrondissement ? { district: near.arrondissement.name } : {}),
          context: frenchContext(near.commune.departement) ?? near.commune.departement,
          source: 'gazetteer',
        },
      }],
    });
  },
});
