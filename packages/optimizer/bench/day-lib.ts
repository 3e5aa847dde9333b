/** The rep's-day instances of `day.ts` (shared with `day-quality.ts`). */
import { Rng } from '../src/rng.ts';
import type { Problem } from '../src/types.ts';

const H = 3600;
export const dayInstance = (n: number, seed: number, lunch: boolean): Problem => {
  const rng = new Rng(seed);
  const pts: [number, number][] = [[0, 0]];
  for (let i = 0; i < n; i++) pts.push([(rng.next() - 0.5) * 60_000, (rng.next() - 0.5) * 60_000]);
  const distances = pts.map((a) => pts.map((b) => Math.round(1.3 * Math.hypot(a[0] - b[0], a[1] - b[1]))));
  const durations = distances.map((row) => row.map((d) => Math.round(d / 13.9)));
  const service = n <= 12 ? [1800, 2700] : n <= 20 ? [900, 1500] : [600, 900];
  return {
    vehicles: [{ id: 'rep', start: 0, end: 0, timeWindow: [8 * H, 19 * H], ...(lunch ? { breaks: [{ id: 'lunch', timeWindows: [[12 * H, 14 * H]] as const, service: H }] } : {}) }],
    jobs: Array.from({ length: n }, (_, i) => {
      const kind = rng.int(3);
      const tws = kind === 0 ? [[9 * H, 12 * H], [14 * H, 18 * H]] as const : kind === 1 ? [[8 * H, 18 * H]] as const : [[10 * H, 17 * H]] as const;
      return { id: i + 1, location: i + 1, service: (service[0] ?? 0) + rng.int(((service[1] ?? 0) - (service[0] ?? 0)) / 60) * 60, timeWindows: tws, priority: rng.int(3) };
    }),
    matrices: { car: { durations, distances } },
  };
};

