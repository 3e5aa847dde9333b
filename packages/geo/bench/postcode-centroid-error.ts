// Leave-one-out estimate of the error of the postcode-centroid fallback: for every commune that
// has its own GeoNames point, compare that point with the centre of the OTHER GeoNames-located
// communes sharing one of its postcodes. Run: node --import tsx packages/geo/bench/postcode-centroid-error.ts
import { haversineMeters } from '@geocrm/domain';
import { loadFrenchCommunes } from '../src/communes.ts';

const located = loadFrenchCommunes().filter((c) => c.kind === 'commune' && c.locationSource === 'geonames');
const byPostcode = new Map<string, typeof located>();
for (const c of located) for (const p of c.postcodes) byPostcode.set(p, [...(byPostcode.get(p) ?? []), c]);

const errors: number[] = [];
for (const c of located) {
  const others = new Set(c.postcodes.flatMap((p) => byPostcode.get(p) ?? []).filter((o) => o !== c));
  if (others.size === 0 || !c.location) continue;
  let lng = 0;
  let lat = 0;
  for (const o of others) {
    lng += o.location?.[0] ?? 0;
    lat += o.location?.[1] ?? 0;
  }
  errors.push(haversineMeters(c.location, [lng / others.size, lat / others.size]));
}
errors.sort((a, b) => a - b);
const q = (p: number): string => `${((errors[Math.floor(p * (errors.length - 1))] ?? 0) / 1000).toFixed(1)} km`;
console.log(`postcode-centroid leave-one-out error over ${errors.length} communes: median ${q(0.5)}, p75 ${q(0.75)}, p90 ${q(0.9)}, p99 ${q(0.99)}`);
