import { describe, expect, it } from 'vitest';
import { boundsOfPositions, circleRing, closeRing, formatDistance, formatDuration } from './search-area.ts';

const haversine = ([lng1, lat1]: [number, number], [lng2, lat2]: [number, number]): number => {
  const rad = Math.PI / 180;
  const a = Math.sin(((lat2 - lat1) * rad) / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(((lng2 - lng1) * rad) / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.sqrt(a));
};

describe('search area geometry', () => {
  it('draws a closed circle whose every vertex lies at the radius', () => {
    const ring = circleRing([3.0573, 50.6292], 25_000, 64);
    expect(ring).toHaveLength(65);
    expect(ring[0]).toEqual(ring[64]);
    for (const p of ring) expect(haversine([3.0573, 50.6292], p)).toBeCloseTo(25_000, -1);
  });

  it('closes a lasso only when it has three points', () => {
    expect(closeRing([[0, 0], [1, 0]])).toBeNull();
    expect(closeRing([[0, 0], [1, 0], [1, 1]])).toEqual([[0, 0], [1, 0], [1, 1], [0, 0]]);
    expect(closeRing([[0, 0], [1, 0], [1, 1], [0, 0]])).toHaveLength(4);
    expect(boundsOfPositions([[0, 1], [2, -1]])).toEqual([0, -1, 2, 1]);
  });

  it('formats distances and durations for people', () => {
    expect(formatDistance(347)).toBe('350 m');
    expect(formatDistance(4_240)).toBe('4.2 km');
    expect(formatDistance(38_400)).toBe('38 km');
    expect(formatDuration(12 * 60 + 10)).toBe('12 min');
    expect(formatDuration(65 * 60)).toBe('1 h 05');
  });
});
