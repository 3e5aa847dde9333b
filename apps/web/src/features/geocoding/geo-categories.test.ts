import { describe, expect, it } from 'vitest';
import type { GeoQualityDto } from '../../api/types.ts';
import { canGeocode, categoryCount, categoryOfPrecision, headline, precisionBars, readCategory, resultMessage } from './geo-categories.ts';

const quality: GeoQualityDto = {
  total: 100,
  withoutLocation: 7,
  manual: 3,
  byPrecision: [
    { precision: 'street', count: 80 },
    { precision: 'municipality', count: 6 },
    { precision: 'postcode', count: 2 },
    { precision: 'region', count: 4 },
    { precision: 'none', count: 7 },
    { precision: 'country', count: 1 },
  ],
  bySource: [{ source: 'demo', count: 93 }],
  scoreBuckets: [
    { below: 0.5, count: 4 },
    { below: 0.7, count: 5 },
    { below: 0.9, count: 12 },
  ],
};

describe('geocoding categories', () => {
  it('reads the category from the URL, defaulting to accounts without location', () => {
    expect(readCategory(new URLSearchParams('category=manual'))).toBe('manual');
    expect(readCategory(new URLSearchParams('category=rooftop'))).toBe('unplaced');
    expect(readCategory(new URLSearchParams(''))).toBe('unplaced');
    expect(readCategory(new URLSearchParams(''), { ...quality, withoutLocation: 0 })).toBe('low-score');
    expect(readCategory(new URLSearchParams('category=manual'), { ...quality, manual: 0 })).toBe('manual');
    expect(readCategory(new URLSearchParams(''), { ...quality, withoutLocation: 0, manual: 0, byPrecision: [], scoreBuckets: [] })).toBe('unplaced');
  });

  it('counts each category from the quality figures', () => {
    expect(categoryCount(quality, 'unplaced')).toBe(7);
    expect(categoryCount(quality, 'low-score')).toBe(5);
    expect(categoryCount(quality, 'coarse')).toBe(7);
    expect(categoryCount(quality, 'manual')).toBe(3);
    expect(headline(quality)).toEqual({ total: 100, placed: 93, withoutLocation: 7, manual: 3, lowScore: 5 });
  });

  it('gives one bar per precision, finest first, with its share', () => {
    const bars = precisionBars(quality);
    expect(bars.map((b) => b.precision)).toEqual(['housenumber', 'street', 'locality', 'municipality', 'postcode', 'region', 'country', 'none']);
    expect(bars.find((b) => b.precision === 'street')).toMatchObject({ count: 80, share: 0.8, tone: 'good', label: 'Street' });
    expect(bars.find((b) => b.precision === 'none')).toMatchObject({ count: 7, tone: 'none', label: 'No location' });
    expect(bars.reduce((s, b) => s + b.count, 0)).toBe(100);
    expect(precisionBars({ ...quality, total: 0, byPrecision: [] }).every((b) => b.share === 0)).toBe(true);
    expect(['none', 'street', 'postcode', 'country'].map((p) => categoryOfPrecision(p as 'none'))).toEqual(['unplaced', null, 'coarse', 'coarse']);
  });

  it('describes a re-geocoding result', () => {
    expect(resultMessage({ placed: 1, unplaced: 0, skippedManual: 0, skipped: 0 })).toBe('1 account placed, 0 without a confident place.');
    expect(resultMessage({ placed: 2, unplaced: 1, skippedManual: 1, skipped: 3 })).toBe(
      '2 accounts placed, 1 without a confident place, 1 pin placed by hand kept, 3 skipped (not yours to change or no longer there).',
    );
  });

  it('lets field roles act only on their own accounts', () => {
    expect(canGeocode({ id: 'u1', role: 'manager' }, null)).toBe(true);
    expect(canGeocode({ id: 'u1', role: 'backoffice' }, 'u2')).toBe(true);
    expect(canGeocode({ id: 'u1', role: 'rep' }, 'u2')).toBe(false);
    expect(canGeocode({ id: 'u1', role: 'technician' }, 'u1')).toBe(true);
  });
});
