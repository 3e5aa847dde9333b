import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { corridorBoxes } from '../src/repositories/corridor-boxes.ts';

const inBox = ([x, y]: [number, number], [a, b, c, d]: [number, number, number, number]) => x >= a && x <= c && y >= b && y <= d;

describe('corridorBoxes', () => {
  it('covers every point of a line and of its corridor with about one box per 10 km', () => {
    // Lille → Paris, about 205 km
    const line = { type: 'LineString', coordinates: [[3.0573, 50.6292], [2.3522, 48.8566]] };
    const boxes = corridorBoxes(JSON.stringify(line), 5000);
    expect(boxes.length).toBeGreaterThanOrEqual(20);
    expect(boxes.length).toBeLessThanOrEqual(22);
    for (let t = 0; t <= 1; t += 0.01) {
      const x = 3.0573 + (2.3522 - 3.0573) * t;
      const y = 50.6292 + (48.8566 - 50.6292) * t;
      // on the line, and 4.9 km east and north of it
      for (const [dx, dy] of [[0, 0], [4900 / (111_320 * Math.cos((y * Math.PI) / 180)), 0], [0, 4900 / 111_320]] as const) {
        expect(boxes.some((b) => inBox([x + dx, y + dy], b))).toBe(true);
      }
    }
  });

  it('stays under 400 boxes for a long line with many vertices, and covers every vertex', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.double({ min: -5, max: 8, noNaN: true }), fc.double({ min: 42, max: 51, noNaN: true })), { minLength: 2, maxLength: 3000 }), fc.integer({ min: 100, max: 50_000 }), (points, width) => {
        const boxes = corridorBoxes(JSON.stringify({ type: 'LineString', coordinates: points }), width);
        expect(boxes.length).toBeLessThanOrEqual(401);
        for (const p of points) expect(boxes.some((b) => inBox(p, b))).toBe(true);
      }),
      { numRuns: 50 },
    );
  });
});
