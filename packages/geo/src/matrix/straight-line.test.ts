import { AppError, lngLat } from '@geocrm/domain';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { straightLineMatrix } from './straight-line.ts';

const paris = lngLat(2.3522, 48.8566);
const lyon = lngLat(4.8357, 45.764);
const lille = lngLat(3.0573, 50.6292);

describe('straightLineMatrix', () => {
  it('applies circuity and speed to the great-circle distance', () => {
    const { distances, durations } = straightLineMatrix([paris, lyon]);
    // Paris–Lyon is ≈ 392 km as the crow flies → ≈ 510 km by the 1.3 factor, ≈ 8.5 h at 60 km/h.
    expect(distances[0]?.[1]).toBeGreaterThan(505_000);
    expect(distances[0]?.[1]).toBeLessThan(515_000);
    expect(durations[0]?.[1]).toBe(Math.round((distances[0]?.[1] ?? 0) / (60 / 3.6)));
    const faster = straightLineMatrix([paris, lyon], { speedKmh: 120, circuity: 1 });
    expect(faster.distances[0]?.[1]).toBeGreaterThan(390_000);
    expect(faster.distances[0]?.[1]).toBeLessThan(395_000);
    expect(faster.durations[0]?.[1]).toBeCloseTo((faster.distances[0]?.[1] ?? 0) / (120 / 3.6), -1);
  });

  it('returns square, symmetric matrices with a zero diagonal', () => {
    const { distances, durations } = straightLineMatrix([paris, lyon, lille]);
    for (const m of [distances, durations]) {
      expect(m).toHaveLength(3);
      for (let i = 0; i < 3; i++) {
        expect(m[i]).toHaveLength(3);
        expect(m[i]?.[i]).toBe(0);
        for (let j = 0; j < 3; j++) expect(m[i]?.[j]).toBe(m[j]?.[i]);
      }
    }
    expect(straightLineMatrix([])).toEqual({ distances: [], durations: [] });
  });

  it('satisfies the triangle inequality (up to rounding)', () => {
    const point = fc.tuple(fc.double({ min: -5, max: 9, noNaN: true }), fc.double({ min: 41, max: 51, noNaN: true })).map(([a, b]) => lngLat(a, b));
    fc.assert(
      fc.property(fc.array(point, { minLength: 3, maxLength: 6 }), (points) => {
        const { distances } = straightLineMatrix(points);
        const d = (i: number, j: number): number => distances[i]?.[j] ?? NaN;
        const ids = points.map((_, i) => i);
        // +2 m: each entry is rounded to the metre.
        return ids.every((i) => ids.every((j) => ids.every((k) => d(i, j) <= d(i, k) + d(k, j) + 2)));
      }),
      { seed: 42, numRuns: 200 },
    );
  });

  it('rejects meaningless options', () => {
    expect(() => straightLineMatrix([paris], { speedKmh: 0 })).toThrow(AppError);
    expect(() => straightLineMatrix([paris], { circuity: 0.5 })).toThrow(AppError);
    expect(() => straightLineMatrix([paris], { speedKmh: Number.NaN })).toThrow(AppError);
  });
});
