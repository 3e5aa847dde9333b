import type { Problem } from '../src/types.ts';

/** Random points in a square → Euclidean matrix (seconds = metres / 10). */
export const euclid = (pts: readonly (readonly [number, number])[]): { durations: number[][]; distances: number[][] } => {
  const distances = pts.map((a) => pts.map((b) => Math.round(Math.hypot(a[0] - b[0], a[1] - b[1]))));
  return { distances, durations: distances.map((row) => row.map((x) => Math.round(x / 10))) };
};

export const lineProblem = (n: number): Problem => {
  const pts = Array.from({ length: n + 1 }, (_, i) => [i * 1000, 0] as const);
  return {
    vehicles: [{ id: 'v1', start: 0, end: 0, timeWindow: [0, 36000] }],
    jobs: Array.from({ length: n }, (_, i) => ({ id: `j${i + 1}`, location: i + 1, service: 300 })),
    matrices: { car: euclid(pts) },
  };
};
