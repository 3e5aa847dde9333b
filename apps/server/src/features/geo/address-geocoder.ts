import { geocodeAccountAddress } from '@geocrm/geo';
import type { AddressGeocoder } from '../accounts/accounts.service.ts';

/** Below this the gazetteer's answer is a guess: better no pin than a wrong one. */
const MIN_SCORE = 0.55;

/**
 * The default geocoder: the offline gazetteer of French communes (municipality or postcode
 * precision). Street-level providers and address-point files plug in here later (issue "Geo").
 */
export const gazetteerGeocoder: AddressGeocoder = (address) => {
  const feature = geocodeAccountAddress(address, { minScore: MIN_SCORE });
  if (!feature) return null;
  const [lng, lat] = feature.geometry.coordinates;
  return {
    location: { lng, lat },
    geo: { precision: feature.properties.precision, source: 'gazetteer', manual: false, score: Math.round(feature.properties.score * 100) / 100 },
  };
};
