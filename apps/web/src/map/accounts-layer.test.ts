import { describe, expect, it } from 'vitest';
import type { AccountMapPoint } from '../api/types.ts';
import { boundsOf, toFeatureCollection } from './accounts-layer.ts';
import { labelPoints } from './base-style.ts';

const rows: AccountMapPoint[] = [
  ['a', 'Alpha', 'client', 'active', 2.35, 48.85],
  ['b', 'Beta', 'prospect', 'lead', 4.83, 45.76],
];

describe('accounts on the map', () => {
  it('turns compact rows into GeoJSON points', () => {
    const collection = toFeatureCollection(rows);
    expect(collection.features).toHaveLength(2);
    expect(collection.features[1]).toEqual({
      type: 'Feature',
      properties: { id: 'b', name: 'Beta', kind: 'prospect', status: 'lead' },
      geometry: { type: 'Point', coordinates: [4.83, 45.76] },
    });
  });

  it('computes the bounds of the rows', () => {
    expect(boundsOf(rows)).toEqual([2.35, 45.76, 4.83, 48.85]);
    expect(boundsOf([])).toBeNull();
  });

  it('places a label inside the largest ring of a boundary', () => {
    const square = (x: number, y: number, size: number) => [
      [
        [x, y],
        [x + size, y],
        [x + size, y + size],
        [x, y + size],
        [x, y],
      ],
    ];
    const points = labelPoints({
      type: 'FeatureCollection',
      features: [{ type: 'Feature', properties: { code: '29', name: 'Finistère' }, geometry: { type: 'MultiPolygon', coordinates: [square(0, 0, 1), square(10, 10, 4)] } }],
    });
    expect(points.features[0]?.geometry.coordinates).toEqual([12, 12]);
    expect(points.features[0]?.properties).toEqual({ code: '29', name: 'Finistère' });
  });
});
