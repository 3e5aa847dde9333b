import { geocode } from '@geocrm/geo';
import type { TextLocator } from '../accounts/around.service.ts';

const MIN_SCORE = 0.5;

/** A centre for searches from an address or a town name: the best candidate finer than a département. */
export const gazetteerLocator: TextLocator = (text) => {
  const best = geocode(text, { limit: 1 }).features[0];
  if (!best || best.properties.score < MIN_SCORE || best.properties.precision === 'region' || best.properties.precision === 'country') return null;
  const [lng, lat] = best.geometry.coordinates;
  return { lng, lat, label: best.properties.label };
};
