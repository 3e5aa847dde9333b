/**
 * Territory design benchmark (`npm run bench:territory [-- --runs 3] [-- --skip-communes]`).
 * 1. Pfizer Turkey (22 bricks, 4 reps, offices fixed): exact MILP (HiGHS) vs our heuristic in
 *    fixed-centre assignment mode, for the three published workload bands; gap per band.
 * 2. The 96 metropolitan départements into 8 territories (target < 2 s).
 * 3. France's communes (Voronoi cells) into 50 territories (target < 60 s).
 * Times: median of the runs, wall clock and process CPU (user + system). Prints a table, then one JSON line.
 */
import os from 'node:os';
import { buildAreaGraph, communeAreas, departementAreas, designTerritories, solveAssignmentExact, type AreaGraph, type DesignOptions, type TerritoryPlan } from '../src/index.ts';
import { hasPfizer, PFIZER_OPTIMA, readPfizer } from './pfizer.ts';

const args = process.argv.slice(2);
const runsArg = args.indexOf('--runs');
const runs = Math.max(2, runsArg >= 0 ? Number(args[runsArg + 1] ?? 2) : 2);
const skipCommunes = args.includes('--skip-communes');

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
};

const timed = <T>(f: () => T): { value: T; wallMs: number; cpuMs: number } => {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = f();
  const wallMs = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { value, wallMs, cpuMs: (c.user + c.system) / 1000 };
};

const rows: string[][] = [];
const json: Record<string, unknown> = { date: new Date().toISOString(), node: process.version, cpus: os.cpus().length, runs };

// 1. Pfizer.
if (hasPfizer()) {
  const p = readPfizer();
  const areas = p.bricks.map((id, i) => ({ id, x: 0, y: 0, measures: { count: 1, revenue: 0, potential: 0, workload: p.loads[i] ?? 0 } }));
  const graph = buildAreaGraph(areas, []);
  const locked = new Map([...p.offices].map(([i, rep]) => [p.bricks[i] ?? '', rep]));
  const current = p.current.reduce((s, rep, i) => s + (p.costs[i]?.[rep] ?? 0), 0);
  const pfizer: Record<string, unknown>[] = [];
  for (const { tolerance, optimum } of PFIZER_OPTIMA) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const exact = await solveAssignmentExact({ costs: p.costs, loads: p.loads, minLoad: 1 - tolerance, maxLoad: 1 + tolerance, fixed: p.offices });
    const exactMs = performance.now() - t0;
    const exactCpu = process.cpuUsage(c0);
    const heur = Array.from({ length: runs }, () => timed(() => designTerritories(graph, { k: 4, costs: p.costs, contiguity: false, tolerance, locked, seed: 1 })));
    const plan = heur[0]?.value;
    const cost = plan?.metrics.assignmentCost ?? Number.NaN;
    const gap = (cost - exact.cost) / exact.cost;
    const moved = p.current.filter((rep, i) => plan?.assignment[i] !== rep).length;
    rows.push([
      `Pfizer [${(1 - tolerance).toFixed(2)}, ${(1 + tolerance).toFixed(2)}]`,
      `exact ${exact.cost.toFixed(2)} km (published ${optimum.toFixed(2)}) in ${exactMs.toFixed(0)} ms`,
      `heuristic ${cost.toFixed(2)} km, gap ${(gap * 100).toFixed(2)} %, ${String(moved)} bricks moved, max dev ${((plan?.metrics.maxDeviation ?? 0) * 100).toFixed(1)} %`,
      `${median(heur.map((h) => h.wallMs)).toFixed(0)} ms wall / ${median(heur.map((h) => h.cpuMs)).toFixed(0)} ms CPU`,
    ]);
    pfizer.push({ band: [1 - tolerance, 1 + tolerance], published: optimum, exact: Number(exact.cost.toFixed(2)), exactMs: Math.round(exactMs), exactCpuMs: Math.round((exactCpu.user + exactCpu.system) / 1000), heuristic: Number(cost.toFixed(2)), gap: Number(gap.toFixed(5)), moved, heuristicWallMs: Math.round(median(heur.map((h) => h.wallMs))), heuristicCpuMs: Math.round(median(heur.map((h) => h.cpuMs))) });
  }
  rows.push(['Pfizer current plan', `${current.toFixed(2)} km`, '', '']);
  json['pfizer'] = { current: Number(current.toFixed(2)), bands: pfizer };
} else {
  rows.push(['Pfizer', 'data not found (shared/benchmarks/territory/pfizer_22x4.csv): skipped', '', '']);
}

const describePlan = (plan: TerritoryPlan): Record<string, unknown> => ({
  maxDeviation: Number(plan.metrics.maxDeviation.toFixed(4)),
  outside5: plan.metrics.outside.pct5,
  outside10: plan.metrics.outside.pct10,
  outside20: plan.metrics.outside.pct20,
  contiguityViolations: plan.metrics.contiguityViolations,
  cutEdges: plan.metrics.cutEdges,
  polsbyPopperMean: plan.metrics.polsbyPopperMean === null ? null : Number(plan.metrics.polsbyPopperMean.toFixed(3)),
  dispersion: Number(plan.metrics.dispersion.toExponential(4)),
  islands: plan.metrics.islands,
  stoppedBy: plan.stats.stoppedBy,
  rounds: plan.stats.rounds,
});

const designCase = (name: string, build: () => AreaGraph, options: DesignOptions, targetMs: number): void => {
  const results: { buildWall: number; buildCpu: number; wall: number; cpu: number; plan: TerritoryPlan }[] = [];
  let graph: AreaGraph | undefined;
  for (let r = 0; r < runs; r++) {
    const b = timed(build);
    graph = b.value;
    const d = timed(() => designTerritories(b.value, options));
    results.push({ buildWall: b.wallMs, buildCpu: b.cpuMs, wall: d.wallMs, cpu: d.cpuMs, plan: d.value });
  }
  const plan = results[0]?.plan;
  if (!plan || !graph) return;
  const buildWall = median(results.map((r) => r.buildWall));
  const buildCpu = median(results.map((r) => r.buildCpu));
  const wall = median(results.map((r) => r.wall));
  const cpu = median(results.map((r) => r.cpu));
  const totalCpu = median(results.map((r) => r.buildCpu + r.cpu));
  const totalWall = median(results.map((r) => r.buildWall + r.wall));
  const met = totalCpu < targetMs;
  const m = plan.metrics;
  rows.push([
    name,
    `${String(graph.areas.length)} areas, ${String(graph.neighbours.length / 2)} adjacencies, ${String(graph.islands.length)} islands, ${String(graph.bridges.length)} bridges`,
    `max dev ${(m.maxDeviation * 100).toFixed(2)} %, outside ±5/10/20 %: ${String(m.outside.pct5)}/${String(m.outside.pct10)}/${String(m.outside.pct20)}, contiguity violations ${String(m.contiguityViolations)}, cut edges ${String(m.cutEdges)}, Polsby-Popper ${m.polsbyPopperMean?.toFixed(3) ?? '–'}`,
    `build ${buildWall.toFixed(0)} ms wall / ${buildCpu.toFixed(0)} ms CPU; design ${wall.toFixed(0)} ms wall / ${cpu.toFixed(0)} ms CPU; total CPU ${totalCpu.toFixed(0)} ms (target < ${String(targetMs / 1000)} s: ${met ? 'met' : 'NOT met'})`,
  ]);
  json[name] = {
    areas: graph.areas.length,
    adjacencies: graph.neighbours.length / 2,
    buildWallMs: Math.round(buildWall),
    buildCpuMs: Math.round(buildCpu),
    designWallMs: Math.round(wall),
    designCpuMs: Math.round(cpu),
    totalWallMs: Math.round(totalWall),
    totalCpuMs: Math.round(totalCpu),
    targetMs,
    met,
    runsCpuMs: results.map((r) => Math.round(r.buildCpu + r.cpu)),
    ...describePlan(plan),
  };
};

// 2. Départements into 8 (population), 3. communes into 50 (half communes, half population).
designCase('départements→8', () => departementAreas(), { k: 8, measure: 'potential', tolerance: 0.05, seed: 1 }, 2000);
if (!skipCommunes) designCase('communes→50', () => communeAreas(), { k: 50, measure: { count: 1, potential: 1 }, tolerance: 0.05, seed: 1, timeLimitMs: 50_000 }, 60_000);

for (const r of rows) console.log(r.filter((c) => c !== '').join(' | '));
console.log(JSON.stringify(json));
