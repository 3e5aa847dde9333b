import { findCommunes } from '@geocrm/geo';
import type { AddressGeocoder } from '../accounts/accounts.service.ts';

const MIN_SIMILARITY = 0.6;

/**
 * The default geocoder: the offline gazetteer of French communes (municipality precision).
 * Street-level providers and address-point files plug in here later (issue "Geo").
 */
export const gazetteerGeocoder: AddressGeocoder = (address) => {
  if (address.country !== 'FR') return null;
  const city = address.city.trim();
  const postcode = address.postcode.trim();
  if (!city && !postcode) return null;
  const [best] = findCommunes(city || postcode, { ...(/^\d{5}$/.test(postcode) ? { postcode } : {}), limit: 1 });
  if (!best?.commune.location) return null;
  if (city && best.similarity < MIN_SIMILARITY) return null;
  if (!city && best.postcodeMatch !== 'postcode') return null;
  const [lng, lat] = best.commune.location;
  const byCentroid = best.commune.locationSource === 'postcode-centroid';
  const agrees = postcode === '' || best.postcodeMatch === 'postcode';
  const score = Math.round(Math.min(1, (city ? best.similarity : 0.8) * (agrees ? 1 : 0.7) * (byCentroid ? 0.8 : 1)) * 100) / 100;
  return {
    location: { lng, lat },
    geo: { precision: byCentroid || !city ? 'postcode' : 'municipality', source: 'gazetteer', manual: false, score },
  };
};
