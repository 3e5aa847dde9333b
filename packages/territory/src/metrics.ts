import { checkContiguity } from './graph.ts';
import type { AreaGraph } from './types.ts';

export interface TerritoryMetrics {
  readonly territory: number;
  readonly areas: number;
  readonly load: number;
  /** (load − mean) / mean: signed relative deviation. */
  readonly deviation: number;
  /** Load-weighted centroid, or the anchor when the territory is anchored. */
  readonly centre: { readonly x: number; readonly y: number };
  /** Σ load × distance (km) to the centre. */
  readonly dispersion: number;
  /** Connected pieces (islands aside); 1 when contiguous. */
  readonly pieces: number;
  readonly islands: number;
  /** Adjacencies leaving the territory. */
  readonly cutEdges: number;
  /** 4π·surface / perimeter², 1 for a disc; null when the areas have no polygons. */
  readonly polsbyPopper: number | null;
}

export interface PlanMetrics {
  readonly k: number;
  readonly meanLoad: number;
  readonly territories: readonly TerritoryMetrics[];
  /** max |load − mean| / mean. */
  readonly maxDeviation: number;
  /** Number of territories whose |deviation| exceeds 5 %, 10 %, 20 %. */
  readonly outside: { readonly pct5: number; readonly pct10: number; readonly pct20: number };
  readonly dispersion: number;
  /** Adjacencies whose two areas are in different territories (each counted once). */
  readonly cutEdges: number;
  readonly polsbyPopperMean: number | null;
  /** Σ (pieces − 1) over territories: must be 0. */
  readonly contiguityViolations: number;
  readonly islands: number;
  /** Against the current plan, when one is given (areas it leaves unassigned do not count as moved). */
  readonly disruption: { readonly areasMoved: number; readonly loadMoved: number; readonly loadMovedShare: number } | null;
  /** Σ costs[i][territory(i)] when an assignment cost matrix is given (fixed-centre mode). */
  readonly assignmentCost: number | null;
}

export interface MetricsOptions {
  /** Load of each area (see `areaLoads`). */
  readonly loads: ArrayLike<number>;
  /** Fixed centre per territory (anchors); null → load-weighted centroid. */
  readonly centres?: readonly ({ readonly x: number; readonly y: number } | null)[];
  readonly current?: ArrayLike<number>;
  /** n×k assignment costs, row-major (cost of area i in territory t at i·k + t). */
  readonly costs?: ArrayLike<number>;
}

/**
 * Every metric of a plan: balance, compactness, contiguity, disruption.
 * @example planMetrics(graph, plan.assignment, 8, { loads: areaLoads(graph.areas, 'workload') }).maxDeviation
 */
export const planMetrics = (graph: AreaGraph, assignment: ArrayLike<number>, k: number, options: MetricsOptions): PlanMetrics => {
  const { areas, offsets, neighbours, edgeLengths } = graph;
  const n = areas.length;
  const loads = options.loads;
  const W = new Float64Array(k);
  const cnt = new Int32Array(k);
  const sx = new Float64Array(k);
  const sy = new Float64Array(k);
  const sw = new Float64Array(k);
  const ux = new Float64Array(k);
  const uy = new Float64Array(k);
  const surface = new Float64Array(k);
  const perimeter = new Float64Array(k);
  let hasPolygons = n > 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const t = assignment[i] ?? 0;
    const a = areas[i];
    if (!a) continue;
    const l = loads[i] ?? 0;
    total += l;
    W[t] = (W[t] ?? 0) + l;
    cnt[t] = (cnt[t] ?? 0) + 1;
    sx[t] = (sx[t] ?? 0) + l * a.x;
    sy[t] = (sy[t] ?? 0) + l * a.y;
    sw[t] = (sw[t] ?? 0) + l;
    ux[t] = (ux[t] ?? 0) + a.x;
    uy[t] = (uy[t] ?? 0) + a.y;
    if (a.areaKm2 === undefined || a.perimeterKm === undefined) hasPolygons = false;
    else {
      surface[t] = (surface[t] ?? 0) + a.areaKm2;
      perimeter[t] = (perimeter[t] ?? 0) + a.perimeterKm;
    }
  }
  if (!edgeLengths) hasPolygons = false;
  const mean = total / k;
  const cx = new Float64Array(k);
  const cy = new Float64Array(k);
  for (let t = 0; t < k; t++) {
    const fixed = options.centres?.[t];
    if (fixed) {
      cx[t] = fixed.x;
      cy[t] = fixed.y;
    } else if ((sw[t] ?? 0) > 0) {
      cx[t] = (sx[t] ?? 0) / (sw[t] ?? 1);
      cy[t] = (sy[t] ?? 0) / (sw[t] ?? 1);
    } else if ((cnt[t] ?? 0) > 0) {
      cx[t] = (ux[t] ?? 0) / (cnt[t] ?? 1);
      cy[t] = (uy[t] ?? 0) / (cnt[t] ?? 1);
    }
  }
  const disp = new Float64Array(k);
  const cut = new Int32Array(k);
  let cutTotal = 0;
  let assignmentCost = 0;
  for (let i = 0; i < n; i++) {
    const t = assignment[i] ?? 0;
    const a = areas[i];
    if (!a) continue;
    disp[t] = (disp[t] ?? 0) + (loads[i] ?? 0) * Math.hypot(a.x - (cx[t] ?? 0), a.y - (cy[t] ?? 0));
    if (options.costs) assignmentCost += options.costs[i * k + t] ?? 0;
    for (let p = offsets[i] ?? 0; p < (offsets[i + 1] ?? 0); p++) {
      const j = neighbours[p] ?? 0;
      const u = assignment[j] ?? 0;
      if (u !== t) {
        cut[t] = (cut[t] ?? 0) + 1;
        if (j > i) cutTotal++;
      } else if (hasPolygons && edgeLengths) {
        perimeter[t] = (perimeter[t] ?? 0) - (edgeLengths[p] ?? 0);
      }
    }
  }
  const contiguity = checkContiguity(graph, assignment, k);
  const territories: TerritoryMetrics[] = [];
  let maxDeviation = 0;
  let pct5 = 0;
  let pct10 = 0;
  let pct20 = 0;
  let dispersion = 0;
  let ppSum = 0;
  for (let t = 0; t < k; t++) {
    const load = W[t] ?? 0;
    const deviation = mean > 0 ? (load - mean) / mean : 0;
    const abs = Math.abs(deviation);
    maxDeviation = Math.max(maxDeviation, abs);
    if (abs > 0.05 + 1e-9) pct5++;
    if (abs > 0.1 + 1e-9) pct10++;
    if (abs > 0.2 + 1e-9) pct20++;
    dispersion += disp[t] ?? 0;
    const per = perimeter[t] ?? 0;
    const pp = hasPolygons && per > 0 ? (4 * Math.PI * (surface[t] ?? 0)) / (per * per) : null;
    if (pp !== null) ppSum += pp;
    const c = contiguity.territories[t];
    territories.push({
      territory: t,
      areas: cnt[t] ?? 0,
      load,
      deviation,
      centre: { x: cx[t] ?? 0, y: cy[t] ?? 0 },
      dispersion: disp[t] ?? 0,
      pieces: c?.components ?? 0,
      islands: c?.islands ?? 0,
      cutEdges: cut[t] ?? 0,
      polsbyPopper: pp,
    });
  }
  let disruption: PlanMetrics['disruption'] = null;
  if (options.current) {
    let areasMoved = 0;
    let loadMoved = 0;
    for (let i = 0; i < n; i++) {
      const was = options.current[i] ?? -1;
      if (was >= 0 && was !== (assignment[i] ?? -1)) {
        areasMoved++;
        loadMoved += loads[i] ?? 0;
      }
    }
    disruption = { areasMoved, loadMoved, loadMovedShare: total > 0 ? loadMoved / total : 0 };
  }
  return {
    k,
    meanLoad: mean,
    territories,
    maxDeviation,
    outside: { pct5, pct10, pct20 },
    dispersion,
    cutEdges: cutTotal,
    polsbyPopperMean: hasPolygons ? ppSum / k : null,
    contiguityViolations: contiguity.violations,
    islands: graph.islands.length,
    disruption,
    assignmentCost: options.costs ? assignmentCost : null,
  };
};
