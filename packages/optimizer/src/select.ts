import { earliestStart, type Model, type SlotModel } from './model.ts';
import { LEG, legBreaks, travel } from './route.ts';

/** Value of a route for the lexicographic objective: served priority, served jobs, cost. */
export interface SelectionValue {
  readonly priority: number;
  readonly count: number;
  readonly cost: number;
}

/** > 0 when a is better than b (more priority, then more jobs, then less cost). */
export const compareValue = (a: SelectionValue, b: SelectionValue): number => {
  if (Math.abs(a.priority - b.priority) > 1e-9) return a.priority - b.priority;
  if (a.count !== b.count) return a.count - b.count;
  return b.cost - a.cost;
};

/** (p1, c1, k1) strictly better than (p2, c2, k2): more priority, then more jobs, then less cost. */
const better = (p1: number, c1: number, k1: number, p2: number, c2: number, k2: number): boolean => {
  if (p1 > p2 + 1e-9) return true;
  if (p1 < p2 - 1e-9) return false;
  if (c1 !== c2) return c1 > c2;
  return k1 < k2 - 1e-9;
};

export interface Selection extends SelectionValue {
  readonly jobs: number[];
}

/**
 * Best subsequence of a job sequence on one slot (the "selection" step of route-first
 * orienteering heuristics): keeps the order of `seq` and chooses which jobs to serve so that
 * served priority, then served jobs, then cost are optimal — exactly, for that order, with the
 * default `maxSkip` / `costFactor` of `select`.
 * Label-setting DP over positions with Pareto labels (finish time, breaks taken, value); every
 * label replays the schedule simulation of `simulate` (route.ts) leg by leg, breaks included,
 * so the chosen sequence is feasible for the solver's own checks (the caller still confirms it
 * with `RouteState.update`). Finite capacities are not modelled (`supports` is false); the
 * start/end locations to use (overnight stays) are the caller's.
 */
export class SubsequenceSelector {
  private size = 0;
  private t: Float64Array = new Float64Array(0);
  private pend: Int32Array = new Int32Array(0);
  private prio: Float64Array = new Float64Array(0);
  private cnt: Int32Array = new Int32Array(0);
  private cost: Float64Array = new Float64Array(0);
  private trav: Float64Array = new Float64Array(0);
  private dist: Float64Array = new Float64Array(0);
  private pos: Int32Array = new Int32Array(0);
  private parent: Int32Array = new Int32Array(0);
  private tmpF = new Float64Array(0);
  private tmpI = new Int32Array(0);
  /** Labels kept per position: [first[k], last[k]) of the pool. */
  private first = new Int32Array(0);
  private last = new Int32Array(0);
  private readonly keep: number[] = [];
  private keys = new Float64Array(0);
  private bestAtLeast = new Float64Array(0);
  private remPrio = new Float64Array(0);

  /** True when the DP models every constraint of the slot. */
  static supports(md: Model, slot: SlotModel): boolean {
    for (let d = 0; d < md.dims; d++) if ((slot.capacity[d] ?? Infinity) !== Infinity) return false;
    return true;
  }

  private grow(need: number): void {
    if (need <= this.t.length) return;
    const cap = Math.max(need, 2 * this.t.length, 256);
    const f = (a: Float64Array): Float64Array => {
      const b = new Float64Array(cap);
      b.set(a.subarray(0, this.size));
      return b;
    };
    const i = (a: Int32Array): Int32Array => {
      const b = new Int32Array(cap);
      b.set(a.subarray(0, this.size));
      return b;
    };
    this.t = f(this.t);
    this.prio = f(this.prio);
    this.cost = f(this.cost);
    this.trav = f(this.trav);
    this.dist = f(this.dist);
    this.pend = i(this.pend);
    this.cnt = i(this.cnt);
    this.pos = i(this.pos);
    this.parent = i(this.parent);
  }

  private push(t: number, pend: number, prio: number, cnt: number, cost: number, trav: number, dist: number, pos: number, parent: number): void {
    this.grow(this.size + 1);
    const k = this.size++;
    this.t[k] = t;
    this.pend[k] = pend;
    this.prio[k] = prio;
    this.cnt[k] = cnt;
    this.cost[k] = cost;
    this.trav[k] = trav;
    this.dist[k] = dist;
    this.pos[k] = pos;
    this.parent[k] = parent;
  }

  /** a better than or equal to b on the value (lexicographic). */
  private valueGe(a: number, b: number): boolean {
    const dp = (this.prio[a] ?? 0) - (this.prio[b] ?? 0);
    if (Math.abs(dp) > 1e-9) return dp > 0;
    const dc = (this.cnt[a] ?? 0) - (this.cnt[b] ?? 0);
    if (dc !== 0) return dc > 0;
    return (this.cost[a] ?? 0) <= (this.cost[b] ?? 0) + 1e-9;
  }

  /**
   * Best subsequence of `seq` on `slot` from `startLoc` to `endLoc` (-1 = none), or undefined
   * when the slot has constraints the DP does not model or when nothing beats `bound` (labels
   * that cannot reach it are pruned). Exact with the defaults; `maxSkip` (at most that many
   * consecutive jobs of `seq` left out) and `costFactor` > 1 (a label of the same priority and
   * jobs survives only when its cost is that factor lower) bound the work: still exact on
   * priority and jobs for `maxSkip` = ∞, heuristic on cost.
   */
  select(md: Model, slot: SlotModel, seq: readonly number[], startLoc: number, endLoc: number, bound?: SelectionValue, maxSkip = Infinity, costFactor = 1): Selection | undefined {
    if (!SubsequenceSelector.supports(md, slot)) return undefined;
    const { m } = md;
    const N = seq.length;
    const breaks = slot.breaks;
    const nb = breaks.length;
    const limTravel = slot.maxTravel !== Infinity;
    const limDist = slot.maxDistance !== Infinity;
    const limTasks = slot.maxTasks !== Infinity;
    const limited = limTravel || limDist || limTasks;
    if (this.first.length < N) {
      this.first = new Int32Array(N);
      this.last = new Int32Array(N);
    }
    this.size = 0;
    // root label (position -1): at the start location at the shift start
    this.push(slot.twStart, 0, 0, 0, 0, 0, 0, -1, -1);
    let bestLabel = -1;
    let bestPrio = 0;
    let bestCnt = 0;
    let bestCost = 0;
    if (bound !== undefined) {
      // only strictly better subsequences are of interest: prune labels that cannot reach the bound
      bestLabel = -2;
      bestPrio = bound.priority;
      bestCnt = bound.count;
      bestCost = bound.cost;
    }
    // priority of the jobs after each position (upper bound of what a label can still add)
    if (this.remPrio.length < N + 1) this.remPrio = new Float64Array(2 * N + 2);
    const remPrio = this.remPrio;
    remPrio[N] = 0;
    for (let k = N - 1; k >= 0; k--) remPrio[k] = (remPrio[k + 1] ?? 0) + (md.priority[seq[k] ?? 0] ?? 0);
    for (let k = 0; k < N; k++) {
      const j = seq[k] ?? 0;
      const l = md.loc[j] ?? 0;
      const pj = md.priority[j] ?? 0;
      const service = md.service[j] ?? 0;
      const setupJ = md.setup[j] ?? 0;
      const from = this.size;
      // candidates: extend the root and every label of the positions before k
      for (let i = k - 1 - maxSkip < -1 ? -1 : k - 1 - maxSkip; i < k; i++) {
        const a = i < 0 ? 0 : (this.first[i] ?? 0);
        const b = i < 0 ? 1 : (this.last[i] ?? 0);
        for (let q = a; q < b; q++) {
          const prevLoc = i < 0 ? startLoc : (md.loc[seq[i] ?? 0] ?? 0);
          const tt = travel(slot.dur, m, prevLoc, l);
          let pend = this.pend[q] ?? 0;
          let arr = (this.t[q] ?? 0) + tt;
          if (pend < nb) {
            arr = legBreaks(md, slot, this.t[q] ?? 0, pend, tt, j, service + (prevLoc !== l ? setupJ : 0));
            if (arr === Infinity) continue;
            pend = LEG.pending;
          }
          const s = earliestStart(md, j, arr);
          if (s === Infinity) continue;
          const tEnd = s + (prevLoc !== l ? setupJ : 0) + service;
          // cannot get home in time (extensions neither, with the triangle inequality)
          if (tEnd + travel(slot.dur, m, l, endLoc) > slot.twEnd + 1e-9) continue;
          const trav = (this.trav[q] ?? 0) + tt;
          const dist = (this.dist[q] ?? 0) + travel(slot.dist, m, prevLoc, l);
          const cnt = (this.cnt[q] ?? 0) + 1;
          if ((limTravel && trav > slot.maxTravel) || (limDist && dist > slot.maxDistance) || (limTasks && cnt > slot.maxTasks)) continue;
          const prio = (this.prio[q] ?? 0) + pj;
          const reach = prio + (remPrio[k + 1] ?? 0);
          if (reach < bestPrio - 1e-9 || (reach <= bestPrio + 1e-9 && cnt + (N - k - 1) < bestCnt)) continue;
          this.push(tEnd, pend, (this.prio[q] ?? 0) + pj, cnt, (this.cost[q] ?? 0) + travel(slot.cost, m, prevLoc, l), trav, dist, k, q);
        }
      }
      if (this.bestAtLeast.length < 3 * (nb + 1)) this.bestAtLeast = new Float64Array(3 * (nb + 1));
      const kept = this.filter(from, limited, slot.twStart, nb, costFactor);
      this.first[k] = from;
      this.last[k] = from + kept;
      this.size = from + kept;
      // close the route after each kept label
      for (let q = from; q < from + kept; q++) {
        const tt = travel(slot.dur, m, l, endLoc);
        const pend = this.pend[q] ?? 0;
        const arr = pend < nb ? legBreaks(md, slot, this.t[q] ?? 0, pend, tt, -1, 0) : (this.t[q] ?? 0) + tt;
        if (arr > slot.twEnd + 1e-9) continue;
        if (limTravel && (this.trav[q] ?? 0) + tt > slot.maxTravel + 1e-9) continue;
        if (limDist && (this.dist[q] ?? 0) + travel(slot.dist, m, l, endLoc) > slot.maxDistance + 1e-9) continue;
        const prio = this.prio[q] ?? 0;
        const cnt = this.cnt[q] ?? 0;
        const cost = (this.cost[q] ?? 0) + travel(slot.cost, m, l, endLoc) + slot.fixed;
        if (compareValue({ priority: prio, count: cnt, cost }, { priority: bestPrio, count: bestCnt, cost: bestCost }) > 1e-9) {
          bestLabel = q;
          bestPrio = prio;
          bestCnt = cnt;
          bestCost = cost;
        }
      }
    }
    if (bestLabel === -2) return undefined;
    const jobs: number[] = [];
    for (let q = bestLabel; q > 0; q = this.parent[q] ?? 0) jobs.push(seq[this.pos[q] ?? 0] ?? 0);
    jobs.reverse();
    return { jobs, priority: bestPrio, count: bestCnt, cost: bestCost };
  }

  /** a dominates b: finishes no later, no fewer breaks taken, value at least as good (and limits). */
  private dominates(a: number, b: number, limits: boolean): boolean {
    if ((this.t[a] ?? 0) > (this.t[b] ?? 0) || (this.pend[a] ?? 0) < (this.pend[b] ?? 0) || !this.valueGe(a, b)) return false;
    if (!limits) return true;
    return (this.trav[a] ?? 0) <= (this.trav[b] ?? 0) && (this.dist[a] ?? 0) <= (this.dist[b] ?? 0) && (this.cnt[a] ?? 0) <= (this.cnt[b] ?? 0);
  }

  /**
   * Keeps the non-dominated labels of [from, size). Without travel / distance / task limits:
   * sorted by finish time (a native numeric sort of packed keys), a label is kept when its value
   * beats every earlier label with at least as many breaks taken. With limits: pairwise, those
   * sums must not be larger either.
   */
  private filter(from: number, limits: boolean, t0: number, nb: number, costFactor: number): number {
    const keep = this.keep;
    keep.length = 0;
    const n = this.size - from;
    if (limits) {
      for (let q = from; q < this.size; q++) {
        let dominated = false;
        for (let x = 0; x < keep.length; x++) {
          if (this.dominates(keep[x] ?? 0, q, true)) {
            dominated = true;
            break;
          }
        }
        if (dominated) continue;
        let w = 0;
        for (let x = 0; x < keep.length; x++) {
          const a = keep[x] ?? 0;
          if (!this.dominates(q, a, true)) keep[w++] = a;
        }
        keep.length = w;
        keep.push(q);
      }
      return this.compact(from, keep);
    }
    // key = finish time (1/1024 s) · M + index: sorting the keys sorts the labels by time
    let M = 1;
    while (M < n) M *= 2;
    if (this.keys.length < n) this.keys = new Float64Array(2 * n);
    const keys = this.keys.subarray(0, n);
    for (let x = 0; x < n; x++) keys[x] = Math.round(((this.t[from + x] ?? 0) - t0) * 1024) * M + x;
    keys.sort();
    const best = this.bestAtLeast;
    for (let p = 0; p <= nb; p++) {
      best[3 * p] = -Infinity;
      best[3 * p + 1] = -1;
      best[3 * p + 2] = Infinity;
    }
    for (let x = 0; x < n; x++) {
      const q = from + ((keys[x] ?? 0) % M);
      const p = this.pend[q] ?? 0;
      const pr = this.prio[q] ?? 0;
      const c = this.cnt[q] ?? 0;
      const co = this.cost[q] ?? 0;
      // best[3p..] = best value among the kept labels with ≥ p breaks taken (all finish earlier)
      if (!better(pr, c, co * costFactor, best[3 * p] ?? 0, best[3 * p + 1] ?? 0, best[3 * p + 2] ?? 0)) continue;
      keep.push(q);
      for (let p2 = 0; p2 <= p; p2++) {
        if (better(pr, c, co, best[3 * p2] ?? 0, best[3 * p2 + 1] ?? 0, best[3 * p2 + 2] ?? 0)) {
          best[3 * p2] = pr;
          best[3 * p2 + 1] = c;
          best[3 * p2 + 2] = co;
        }
      }
    }
    return this.compact(from, keep);
  }

  /** Moves the kept labels to [from, from + keep.length), in order. */
  private compact(from: number, keep: readonly number[]): number {
    const n = keep.length;
    if (this.tmpF.length < 6 * n) this.tmpF = new Float64Array(12 * n + 12);
    if (this.tmpI.length < 4 * n) this.tmpI = new Int32Array(8 * n + 8);
    const F = this.tmpF;
    const I = this.tmpI;
    keep.forEach((q, x) => {
      F[6 * x] = this.t[q] ?? 0;
      F[6 * x + 1] = this.prio[q] ?? 0;
      F[6 * x + 2] = this.cost[q] ?? 0;
      F[6 * x + 3] = this.trav[q] ?? 0;
      F[6 * x + 4] = this.dist[q] ?? 0;
      I[4 * x] = this.pend[q] ?? 0;
      I[4 * x + 1] = this.cnt[q] ?? 0;
      I[4 * x + 2] = this.pos[q] ?? 0;
      I[4 * x + 3] = this.parent[q] ?? 0;
    });
    for (let x = 0; x < n; x++) {
      const q = from + x;
      this.t[q] = F[6 * x] ?? 0;
      this.prio[q] = F[6 * x + 1] ?? 0;
      this.cost[q] = F[6 * x + 2] ?? 0;
      this.trav[q] = F[6 * x + 3] ?? 0;
      this.dist[q] = F[6 * x + 4] ?? 0;
      this.pend[q] = I[4 * x] ?? 0;
      this.cnt[q] = I[4 * x + 1] ?? 0;
      this.pos[q] = I[4 * x + 2] ?? 0;
      this.parent[q] = I[4 * x + 3] ?? 0;
    }
    return n;
  }
}
