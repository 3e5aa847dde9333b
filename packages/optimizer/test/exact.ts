/**
 * Exact solver for tiny instances (≤ 8 jobs, no breaks, single shift per vehicle):
 * enumerates every feasible sequence per vehicle, then a DP over job subsets assigns
 * disjoint subsets to vehicles. Objective: max served priority, then max served jobs, then
 * min cost. Written independently of the solver, for tests only.
 */
import type { Problem } from '../src/types.ts';

export interface ExactResult {
  readonly priority: number;
  readonly served: number;
  readonly cost: number;
}

const better = (a: ExactResult, b: ExactResult): boolean =>
  a.priority > b.priority + 1e-9 || (Math.abs(a.priority - b.priority) <= 1e-9 && (a.served > b.served || (a.served === b.served && a.cost < b.cost - 1e-9)));

export const solveExact = (p: Problem): ExactResult => {
  const n = p.jobs.length;
  const full = 1 << n;
  const perVehicle: Float64Array[] = p.vehicles.map((v) => {
    const best = new Float64Array(full).fill(Infinity);
    best[0] = 0;
    const mat = p.matrices[v.profile ?? 'car'];
    if (mat === undefined) return best;
    const dur = (a: number | undefined, b: number | undefined): number => (a === undefined || b === undefined ? 0 : (mat.durations[a]?.[b] ?? 0));
    const dis = (a: number | undefined, b: number | undefined): number => (a === undefined || b === undefined ? 0 : (mat.distances?.[a]?.[b] ?? 0));
    const perHour = v.costs?.perHour ?? 3600;
    const perKm = v.costs?.perKm ?? 0;
    const arc = (a: number | undefined, b: number | undefined): number => (perHour / 3600) * dur(a, b) + (perKm / 1000) * dis(a, b);
    const [ws, we] = v.timeWindow ?? [0, Infinity];
    const skills = new Set((v.skills ?? []).map(String));
    const ok = p.jobs.map((j) => (j.skills ?? []).every((s) => skills.has(String(s))) && (j.pinnedVehicle === undefined || String(j.pinnedVehicle) === String(v.id)));
    const dims = v.capacity?.length ?? 0;
    const seq: number[] = [];
    const check = (): number => {
      // returns cost or Infinity
      const load = new Array<number>(dims).fill(0);
      for (const i of seq) p.jobs[i]?.delivery?.forEach((x, d) => (load[d] = (load[d] ?? 0) + x));
      const capOk = (): boolean => load.every((x, d) => x <= (v.capacity?.[d] ?? Infinity) + 1e-9);
      if (!capOk()) return Infinity;
      let t = ws;
      let prev = v.start;
      let cost = v.costs?.fixed ?? 0;
      let travel = 0;
      let dist = 0;
      for (const i of seq) {
        const j = p.jobs[i];
        if (j === undefined) return Infinity;
        const arr = t + dur(prev, j.location);
        travel += dur(prev, j.location);
        dist += dis(prev, j.location);
        cost += arc(prev, j.location);
        const tws = j.pinnedTime !== undefined ? [[j.pinnedTime, j.pinnedTime] as const] : j.timeWindows ?? [[-Infinity, Infinity] as const];
        let start = Infinity;
        for (const [a, b] of [...tws].sort((x, y) => x[0] - y[0])) {
          if (arr <= b) {
            start = Math.max(arr, a);
            break;
          }
        }
        if (start === Infinity) return Infinity;
        t = start + (j.service ?? 0) + (prev === j.location ? 0 : (j.setup ?? 0));
        j.delivery?.forEach((x, d) => (load[d] = (load[d] ?? 0) - x));
        j.pickup?.forEach((x, d) => (load[d] = (load[d] ?? 0) + x));
        if (!capOk()) return Infinity;
        prev = j.location;
      }
      const arrEnd = t + dur(prev, v.end);
      travel += dur(prev, v.end);
      dist += dis(prev, v.end);
      cost += arc(prev, v.end);
      if (arrEnd > we + 1e-9) return Infinity;
      if (travel > (v.maxTravelTime ?? Infinity) + 1e-9 || travel > (v.maxDailyDriving ?? Infinity) + 1e-9) return Infinity;
      if (dist > (v.maxDistance ?? Infinity) + 1e-9) return Infinity;
      if (seq.length > (v.maxTasks ?? Infinity)) return Infinity;
      return cost;
    };
    const dfs = (mask: number): void => {
      for (let i = 0; i < n; i++) {
        if ((mask & (1 << i)) !== 0 || ok[i] !== true) continue;
        seq.push(i);
        const c = check();
        const nm = mask | (1 << i);
        if (c < (best[nm] ?? Infinity)) best[nm] = c;
        // no pruning: with non-metric matrices or pickups an infeasible prefix can have feasible extensions
        dfs(nm);
        seq.pop();
      }
    };
    dfs(0);
    return best;
  });
  let dp = new Float64Array(full).fill(Infinity);
  dp[0] = 0;
  for (const best of perVehicle) {
    const next = Float64Array.from(dp);
    for (let mask = 1; mask < full; mask++) {
      for (let s = mask; s > 0; s = (s - 1) & mask) {
        const c = (dp[mask ^ s] ?? Infinity) + (best[s] ?? Infinity);
        if (c < (next[mask] ?? Infinity)) next[mask] = c;
      }
    }
    dp = next;
  }
  let res: ExactResult = { priority: 0, served: 0, cost: 0 };
  for (let mask = 0; mask < full; mask++) {
    const cost = dp[mask] ?? Infinity;
    if (cost === Infinity) continue;
    let priority = 0;
    let served = 0;
    for (let i = 0; i < n; i++) {
      if ((mask & (1 << i)) !== 0) {
        priority += p.jobs[i]?.priority ?? 0;
        served++;
      }
    }
    const cand = { priority, served, cost };
    if (better(cand, res)) res = cand;
  }
  return res;
};
