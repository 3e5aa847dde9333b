/**
 * Solomon VRPTW benchmark (56 instances, distance objective, double precision).
 * Usage: node --import tsx packages/optimizer/bench/solomon.ts [--fast] [--filter C1] [--seed N]
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkSolution, solve } from '../src/index.ts';
import { parseSolomon } from './solomon-lib.ts';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../../..');
const dir = resolve(repoRoot, '../shared/benchmarks/solomon');
const args = process.argv.slice(2);
const fast = args.includes('--fast');
const arg = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const filter = arg('--filter');
const seed = Number(arg('--seed') ?? '1');

interface Bks {
  readonly best_valid_double_distance: number;
  readonly best_valid_double_vehicles: number;
}
const bks = JSON.parse(readFileSync(join(dir, 'bks.json'), 'utf8')) as Record<string, Bks>;
const names = readdirSync(dir)
  .filter((f) => f.endsWith('.txt'))
  .map((f) => f.replace(/\.txt$/, ''))
  .filter((n) => filter === undefined || n.startsWith(filter))
  .sort();

const classOf = (name: string): string => name.replace(/\d{2}$/, '');
interface Row {
  name: string;
  cls: string;
  vehicles: number;
  distance: number;
  bks: number;
  gap: number;
  ms: number;
  valid: boolean;
}
const rows: Row[] = [];
const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const k = s.length >> 1;
  return s.length === 0 ? NaN : s.length % 2 === 1 ? (s[k] ?? NaN) : ((s[k - 1] ?? 0) + (s[k] ?? 0)) / 2;
};
const pct = (x: number): string => `${x >= 0 ? '+' : ''}${x.toFixed(2)}%`;

console.log(`Solomon ${fast ? '--fast' : 'default'} seed=${seed} (${names.length} instances)`);
console.log('instance  veh  distance     bks       gap      time');
for (const name of names) {
  const inst = parseSolomon(join(dir, `${name}.txt`));
  const t0 = performance.now();
  const sol = solve(inst.problem, { fast, seed });
  const ms = performance.now() - t0;
  const check = checkSolution(inst.problem, sol);
  const best = bks[name]?.best_valid_double_distance ?? NaN;
  const valid = check.ok && sol.unassigned.length === 0;
  const row: Row = { name, cls: classOf(name), vehicles: sol.routes.length, distance: check.distance, bks: best, gap: (100 * (check.distance - best)) / best, ms, valid };
  rows.push(row);
  console.log(`${name.padEnd(8)} ${String(row.vehicles).padStart(4)} ${row.distance.toFixed(2).padStart(9)} ${best.toFixed(2).padStart(9)} ${pct(row.gap).padStart(8)} ${(ms / 1000).toFixed(2).padStart(7)}s${valid ? '' : '  INVALID ' + check.violations.slice(0, 3).join('; ')}`);
}
console.log('\nclass  n  avg gap  median gap  worst gap  vehicles  median time');
for (const cls of [...new Set(rows.map((r) => r.cls))]) {
  const rs = rows.filter((r) => r.cls === cls);
  const gaps = rs.map((r) => r.gap);
  console.log(`${cls.padEnd(5)} ${String(rs.length).padStart(2)} ${pct(gaps.reduce((a, b) => a + b, 0) / rs.length).padStart(8)} ${pct(median(gaps)).padStart(10)} ${pct(Math.max(...gaps)).padStart(10)} ${String(rs.reduce((a, r) => a + r.vehicles, 0)).padStart(9)} ${(median(rs.map((r) => r.ms)) / 1000).toFixed(2).padStart(11)}s`);
}
const gaps = rows.map((r) => r.gap);
const summary = {
  mode: fast ? 'fast' : 'default',
  seed,
  instances: rows.length,
  invalid: rows.filter((r) => !r.valid).length,
  avgGapPct: Number((gaps.reduce((a, b) => a + b, 0) / Math.max(1, rows.length)).toFixed(3)),
  medianGapPct: Number(median(gaps).toFixed(3)),
  worstGapPct: Number(Math.max(...gaps).toFixed(3)),
  atBks: rows.filter((r) => r.gap <= 0.005).length,
  totalDistance: Number(rows.reduce((a, r) => a + r.distance, 0).toFixed(2)),
  vehicles: rows.reduce((a, r) => a + r.vehicles, 0),
  medianTimeS: Number((median(rows.map((r) => r.ms)) / 1000).toFixed(3)),
  maxTimeS: Number((Math.max(...rows.map((r) => r.ms)) / 1000).toFixed(3)),
};
console.log(`\naverage gap ${pct(summary.avgGapPct)}, median ${pct(summary.medianGapPct)}, worst ${pct(summary.worstGapPct)}, at BKS ${summary.atBks}/${rows.length}, median time ${summary.medianTimeS}s, max ${summary.maxTimeS}s, invalid ${summary.invalid}`);
console.log(JSON.stringify(summary));
