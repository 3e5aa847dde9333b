/**
 * A sales rep's day: 8–30 visits around home, opening hours (some with a lunch closure),
 * a lunch break 12:00–14:00, travel by road (circuity 1.3, 50 km/h).
 * Usage: node --import tsx packages/optimizer/bench/day.ts [--count 20]
 * CPU time (process.cpuUsage, all threads) is printed beside wall time: steadier on a loaded machine.
 * For ≤ 8 visits the same day without the break is also compared with an exact enumeration.
 */
import { checkSolution, solve } from '../src/index.ts';
import { dayInstance } from './day-lib.ts';
import { solveExact } from '../test/exact.ts';

const args = process.argv.slice(2);
const count = Number(args[args.indexOf('--count') + 1] ?? '20') || 20;

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1] ?? NaN;
};

const sizesArg = args.indexOf('--sizes');
const sizes = sizesArg >= 0 ? (args[sizesArg + 1] ?? '').split(',').map(Number) : [8, 12, 16, 20, 25, 30];
const rows: { n: number; ms: number; cpuMs: number; served: number; valid: boolean }[] = [];
const exactGaps: number[] = [];
let exactMismatch = 0;
for (const n of sizes) {
  for (let k = 0; k < count; k++) {
    const p = dayInstance(n, 1000 * n + k, true);
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const s = solve(p, { seed: 1 });
    const ms = performance.now() - t0;
    const cu = process.cpuUsage(c0);
    const cpuMs = (cu.user + cu.system) / 1000;
    const c = checkSolution(p, s);
    rows.push({ n, ms, cpuMs, served: c.served, valid: c.ok });
    if (n <= 8) {
      const q = dayInstance(n, 1000 * n + k, false);
      const sq = solve(q, { seed: 1 });
      const cq = checkSolution(q, sq);
      const ex = solveExact(q);
      if (cq.served !== ex.served) exactMismatch++;
      else exactGaps.push((100 * (cq.cost - ex.cost)) / Math.max(1e-9, ex.cost));
    }
  }
  const rs = rows.filter((r) => r.n === n);
  console.log(`n=${String(n).padStart(2)}  median ${median(rs.map((r) => r.ms)).toFixed(1)} ms  max ${Math.max(...rs.map((r) => r.ms)).toFixed(1)} ms  cpu median ${median(rs.map((r) => r.cpuMs)).toFixed(1)} ms  served ${(rs.reduce((a, r) => a + r.served, 0) / rs.length).toFixed(1)}/${n}  invalid ${rs.filter((r) => !r.valid).length}`);
}
const summary = {
  instances: rows.length,
  medianMs: Number(median(rows.map((r) => r.ms)).toFixed(1)),
  maxMs: Number(Math.max(...rows.map((r) => r.ms)).toFixed(1)),
  medianCpuMs: Number(median(rows.map((r) => r.cpuMs)).toFixed(1)),
  invalid: rows.filter((r) => !r.valid).length,
  exactCompared: exactGaps.length + exactMismatch,
  exactServedMismatch: exactMismatch,
  exactAvgGapPct: Number((exactGaps.reduce((a, b) => a + b, 0) / Math.max(1, exactGaps.length)).toFixed(4)),
  exactMaxGapPct: Number(Math.max(0, ...exactGaps).toFixed(4)),
};
console.log(JSON.stringify(summary));
