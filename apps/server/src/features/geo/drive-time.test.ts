import { describe, expect, it } from 'vitest';
import { lngLat } from '@geocrm/domain';
import { estimateTrip } from '@geocrm/geo';
import { estimatedDriveSeconds, radiusForDriveSeconds } from './drive-time.ts';

/** Deterministic pseudo-random numbers (mulberry32), so that a failure can be replayed. */
const random = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

describe('estimated drive seconds for a list', () => {
  it('gives exactly what one estimate per point gave, rounded as the search rounds them', () => {
    const next = random(42);
    for (let round = 0; round < 20; round++) {
      // a centre in metropolitan France and points from a few metres to ~1,000 km away
      const centre = { lng: -4 + next() * 12, lat: 42.5 + next() * 8 };
      const points = Array.from({ length: 2000 }, () => {
        const spread = [0.001, 0.05, 0.5, 3, 9][Math.floor(next() * 5)] ?? 1;
        return { lng: centre.lng + (next() - 0.5) * spread, lat: centre.lat + (next() - 0.5) * spread };
      });
      points.push({ ...centre });
      const before = points.map((p) => Math.round(estimateTrip(lngLat(centre.lng, centre.lat), lngLat(p.lng, p.lat)).durationS));
      expect(estimatedDriveSeconds(centre, points)).toEqual(before);
    }
    expect(estimatedDriveSeconds({ lng: 3, lat: 50 }, [])).toEqual([]);
  });

  it('keeps every point of a "within N minutes" search within N minutes', () => {
    const centre = { lng: 3.0573, lat: 50.6292 };
    const radius = radiusForDriveSeconds(55 * 60);
    const edge = { lng: centre.lng + radius / (111_195 * Math.cos((centre.lat * Math.PI) / 180)), lat: centre.lat };
    expect(estimatedDriveSeconds(centre, [edge])[0]).toBeLessThanOrEqual(55 * 60);
  });
});
