import { haversineMeters } from '@geocrm/domain';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createPointIndex } from './point-index.ts';

const point = fc.tuple(fc.double({ min: -10, max: 10, noNaN: true }), fc.double({ min: 40, max: 52, noNaN: true }));

describe('createPointIndex', () => {
  it('agrees with a linear scan', () => {
    fc.assert(
      fc.property(fc.array(point, { minLength: 1, maxLength: 60 }), point, (points, [lng, lat]) => {
        const hit = createPointIndex(points, 0.5).nearest(lng, lat, Infinity);
        const brute = Math.min(...points.map((p) => haversineMeters([lng, lat], p)));
        return hit !== null && Math.abs(hit.distanceMeters - brute) < 1e-6;
      }),
      { seed: 7, numRuns: 300 },
    );
  });

  it('respects maxMeters, skips null points and breaks ties by input order', () => {
    const index = createPointIndex([null, [2, 48], [2, 48], [3, 48]]);
    expect(index.nearest(2, 48, 10)).toEqual({ index: 1, distanceMeters: 0 });
    expect(index.nearest(2.5, 49, 1_000)).toBeNull();
    expect(createPointIndex([]).nearest(0, 0, 1e7)).toBeNull();
  });
});
