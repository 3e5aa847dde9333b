import { describe, expect, it } from 'vitest';
import { balanceOf, moveArea } from './balance.ts';

describe('balanceOf', () => {
  const areas = [
    { code: 'a', load: 10, territory: 0 },
    { code: 'b', load: 10, territory: 1 },
    { code: 'c', load: 5, territory: 1 },
    { code: 'd', load: 15, territory: 0 },
  ];
  it('sums loads per territory and measures deviations from the mean', () => {
    const b = balanceOf(areas, 2);
    expect(b.loads).toEqual([25, 15]);
    expect(b.mean).toBe(20);
    expect(b.deviations).toEqual([0.25, -0.25]);
    expect(b.maxDeviation).toBe(0.25);
    expect(b.outside).toEqual({ pct5: 2, pct10: 2, pct20: 2 });
  });
  it('rebalances after a move, and an empty territory is −100 %', () => {
    const moved = moveArea(areas, 'c', 0);
    expect(balanceOf(moveArea(moved, 'd', 1), 2).loads).toEqual([15, 25]);
    expect(moveArea(areas, 'a', 0)).toBe(areas);
    expect(balanceOf(areas, 3).deviations[2]).toBeCloseTo(-1);
  });
});
