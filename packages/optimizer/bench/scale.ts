/**
 * Scale benchmark: random clustered instances with time windows and capacities.
 * Usage: node --import tsx packages/optimizer/bench/scale.ts [--sizes 1000x50,5000x100] [--time-limit S]
 */
import { checkSolution, solve } from '../src/index.ts';
import type { Problem } from '../src/types.ts';
import { Rng } from '../src/rng.ts';

const args = process.argv.slice(2);
const arg = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const sizes = (arg('--sizes') ?? '1000x50,5000x100').split(',').map((s) => s.split('x').map(Number) as [number, number]);
const limitArg = arg('--time-limit');

export const randomInstance = (n: number, k: number, seed: number): Problem => {
  const rng = new Rng(seed);
  const centres = Array.from({ length: Math.max(3, Math.round(n / 60)) }, () => [rng.next() * 100_000, rng.next() * 100_000] as const);
  const pts: [number, number][] = [[50_000, 50_000]];
  for (let i = 0; i < n; i++) {
    const c = centres[rng.int(centres.length)] ?? [0, 0];
    pts.push(rng.next() < 0.1 ? [rng.next() * 100_000, rng.next() * 100_000] : [c[0] + (rng.next() - 0.5) * 8000, c[1] + (rng.next() - 0.5) * 8000]);
  }
  const m = pts.length;
  const distances: number[][] = [];
  const durations: number[][] = [];
  for (let i = 0; i < m; i++) {
    const dr: number[] = [];
    const tr: number[] = [];
    for (let j = 0; j < m; j++) {
      const a = pts[i] ?? [0, 0];
      const b = pts[j] ?? [0, 0];
      const d = Math.round(1.3 * Math.hypot(a[0] - b[0], a[1] - b[1]));
      dr.push(d);
      tr.push(Math.round(d / 13.9));
    }
    distances.push(dr);
    durations.push(tr);
  }
  const day = [7 * 3600, 19 * 3600] as const;
  const perVehicle = Math.ceil(n / k);
  return {
    vehicles: Array.from({ length: k }, (_, v) => ({ id: v + 1, start: 0, end: 0, capacity: [perVehicle + 5], timeWindow: day, breaks: [{ id: 1, timeWindows: [[12 * 3600, 14 * 3600]] as const, service: 1800 }] })),
    jobs: Array.from({ length: n }, (_, i) => {
      const open = 8 * 3600 + rng.int(6) * 1800;
      return { id: i + 1, location: i + 1, service: 120 + rng.int(4) * 60, delivery: [1], ...(rng.next() < 0.5 ? { timeWindows: [[open, open + 4 * 3600]] as const } : {}) };
    }),
    matrices: { car: { durations, distances } },
  };
};

if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  for (const [n, k] of sizes) {
    const p = randomInstance(n, k, n);
    const c0 = performance.now();
    const first = solve(p, { seed: 1, iterations: 0 });
    const constructionS = Number(((performance.now() - c0) / 1000).toFixed(1));
    const firstValid = checkSolution(p, first).ok;
    const limit = limitArg === undefined ? (n <= 1000 ? 50 : 240) : Number(limitArg);
    const t0 = performance.now();
    const s = solve(p, { seed: 1, timeLimitMs: limit * 1000 });
    const ms = performance.now() - t0;
    const c = checkSolution(p, s);
    const line = { n, vehicles: k, constructionS, constructionValid: firstValid, constructionKm: Number((first.summary.distance / 1000).toFixed(1)), timeLimitS: limit, timeS: Number((ms / 1000).toFixed(1)), routes: s.routes.length, unassigned: s.unassigned.length, distanceKm: Number((c.distance / 1000).toFixed(1)), valid: c.ok, violations: c.violations.slice(0, 3) };
    console.log(JSON.stringify(line));
  }
}
