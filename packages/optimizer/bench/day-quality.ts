/**
 * Quality and time of the rep's day (`day.ts` instances, with the lunch break) against a reference:
 * the exact optimum (`day-exact.ts`) up to 12 visits, above that the best of 3 seeds × 20 times the
 * default iteration budget (or more with --strengthen), cached in bench/day-refs.json (`--refs FILE` for another cache).
 * Usage: node --import tsx packages/optimizer/bench/day-quality.ts [--count 20] [--sizes 8,12,...]
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { checkSolution, solve } from '../src/index.ts';
import type { Problem, Solution } from '../src/types.ts';
import { dayInstance } from './day-lib.ts';
import { solveDayExact, type DayOptimum } from './day-exact.ts';

const args = process.argv.slice(2);
const opt = (name: string, def: string): string => {
  const i = args.indexOf(name);
  return i >= 0 ? (args[i + 1] ?? def) : def;
};
const count = Number(opt('--count', '20'));
const sizes = opt('--sizes', '8,12,16,20,25,30').split(',').map(Number);
const seeds = opt('--seeds', '1').split(',').map(Number);
const itersPerN = Number(opt('--iters-per-n', '0'));
// --strengthen: rerun the long reference (--ref-mult × the default budget, --ref-seeds) and keep the better one
const strengthen = args.includes('--strengthen');
const refMult = Number(opt('--ref-mult', '20'));
const refSeeds = opt('--ref-seeds', '11,12,13').split(',').map(Number);
// references are kept in the repository (bench/day-refs.json) so that runs compare against the same ones
const CACHE = opt('--refs', fileURLToPath(new URL('./day-refs.json', import.meta.url)));
const cache: Record<string, DayOptimum> = existsSync(CACHE) ? (JSON.parse(readFileSync(CACHE, 'utf8')) as Record<string, DayOptimum>) : {};

const scoreOf = (p: Problem, s: Solution): DayOptimum => {
  const c = checkSolution(p, s);
  if (!c.ok) throw new Error(`invalid: ${c.violations.join('; ')}`);
  return { priority: s.summary.priority, served: c.served, cost: c.cost };
};
const better = (a: DayOptimum, b: DayOptimum): boolean =>
  a.priority > b.priority || (a.priority === b.priority && (a.served > b.served || (a.served === b.served && a.cost < b.cost - 1e-6)));

const reference = (n: number, seed: number, p: Problem): DayOptimum => {
  const key = `${n}-${seed}`;
  const hit = cache[key];
  if (hit !== undefined && !strengthen) return hit;
  let ref: DayOptimum;
  if (n <= 12) ref = hit ?? solveDayExact(p);
  else {
    ref = hit ?? { priority: -1, served: 0, cost: Infinity };
    for (const s of refSeeds) {
      const r = scoreOf(p, solve(p, { seed: s, iterations: refMult * 100 * n }));
      if (better(r, ref)) ref = r;
    }
  }
  cache[key] = ref;
  writeFileSync(CACHE, JSON.stringify(cache));
  return ref;
};

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1] ?? NaN;
const all: number[] = [];
for (const n of sizes) {
  const ms: number[] = [];
  const cpus: number[] = [];
  const gaps: number[] = [];
  let lexWorse = 0;
  let beatRef = 0;
  for (let k = 0; k < count; k++) {
    const p = dayInstance(n, 1000 * n + k, true);
    const ref = reference(n, 1000 * n + k, p);
    for (const seed of seeds) {
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      const s = solve(p, itersPerN > 0 ? { seed, iterations: itersPerN * n } : { seed });
      const t = performance.now() - t0;
      const cu = process.cpuUsage(c0);
      cpus.push((cu.user + cu.system) / 1000);
      ms.push(t);
      all.push(t);
      const got = scoreOf(p, s);
      if (better(ref, got) && (got.priority < ref.priority || got.served < ref.served)) lexWorse++;
      else if (better(got, ref)) beatRef++;
      else gaps.push((100 * (got.cost - ref.cost)) / ref.cost);
    }
  }
  const runs = count * seeds.length;
  const within = gaps.filter((g) => g <= 0.5).length;
  const cpu = median(cpus);
  const atRef = gaps.filter((g) => g <= 1e-6).length;
  console.log(
    `n=${String(n).padStart(2)} (${n <= 12 ? 'exact' : 'long run'})  median ${median(ms).toFixed(1)} ms  max ${Math.max(...ms).toFixed(1)} ms  ` +
      `target met (≤0.5% or better) ${within + beatRef}/${runs}  cpu median ${cpu.toFixed(1)} ms  at ref ${atRef}/${runs}  ≤0.5% ${within}/${runs}  avg gap ${(gaps.reduce((a, b) => a + b, 0) / Math.max(1, gaps.length)).toFixed(3)}%  ` +
      `max gap ${Math.max(0, ...gaps).toFixed(3)}%  fewer served/priority ${lexWorse}  better than ref ${beatRef}`,
  );
}
console.log(`all: median ${median(all).toFixed(1)} ms  max ${Math.max(...all).toFixed(1)} ms`);
