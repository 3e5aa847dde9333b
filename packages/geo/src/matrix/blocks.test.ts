import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planLocationBlocks, planPairBlocks, type MatrixBlock } from './blocks.ts';

/** Every cell of the rows × cols matrix is covered by at least one block. */
const covers = (blocks: readonly MatrixBlock[], rows: number, cols: number): boolean => {
  const seen = new Uint8Array(rows * cols);
  for (const b of blocks) for (const i of b.rows) for (const j of b.cols) seen[i * cols + j] = 1;
  return seen.every((v) => v === 1);
};

describe('block planning', () => {
  it('covers the square matrix with ≤ maxLocations coordinates per request', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 400 }), fc.integer({ min: 2, max: 120 }), (n, max) => {
        const blocks = planLocationBlocks(n, undefined, max);
        return covers(blocks, n, n) && blocks.every((b) => b.rows.length <= max && b.rows === b.cols);
      }),
      { seed: 1, numRuns: 150 },
    );
    expect(planLocationBlocks(250, undefined, 100)).toHaveLength(10);
    expect(planLocationBlocks(100, undefined, 100)).toHaveLength(1);
  });

  it('covers a rectangular matrix with ≤ maxLocations sources + destinations per request', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 300 }), fc.integer({ min: 2, max: 120 }), (s, d, max) => {
        const blocks = planLocationBlocks(s, d, max);
        return covers(blocks, s, d) && blocks.every((b) => b.rows.length + b.cols.length <= max && b.rows.length > 0 && b.cols.length > 0);
      }),
      { seed: 2, numRuns: 150 },
    );
    // A few sources: whole rows with wide column blocks.
    expect(planLocationBlocks(3, 500, 100).map((b) => b.cols.length)).toEqual([97, 97, 97, 97, 97, 15]);
  });

  it('covers any matrix with ≤ maxPairs cells per request', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 300 }), fc.integer({ min: 1, max: 3000 }), (s, d, max) => {
        const blocks = planPairBlocks(s, d, max);
        return covers(blocks, s, d) && blocks.every((b) => b.rows.length * b.cols.length <= max);
      }),
      { seed: 3, numRuns: 150 },
    );
    expect(planPairBlocks(120, 120, 2500)).toHaveLength(9);
  });
});
