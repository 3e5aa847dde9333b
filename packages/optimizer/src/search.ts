import type { Model } from './model.ts';
import { Rng } from './rng.ts';
import { RouteState, travel } from './route.ts';
import { earliestStart } from './model.ts';
import { compareValue, type Selection, SubsequenceSelector } from './select.ts';

/** Lexicographic objective: lost priority, then lost jobs, then cost. */
export interface Score {
  lostPriority: number;
  lost: number;
  cost: number;
}

export const compareScore = (a: Score, b: Score): number =>
  a.lostPriority - b.lostPriority || a.lost - b.lost || a.cost - b.cost;

export interface SearchParams {
  iterations: number;
  deadline: number;
  shouldStop: () => boolean;
  seed: number;
  now: () => number;
}

export class Search {
  readonly md: Model;
  readonly routes: RouteState[];
  readonly routeOf: Int32Array;
  unassigned: number[] = [];
  readonly rng: Rng;
  /** K nearest jobs of each job (by cost of the first slot), flat n × K. */
  readonly neighbours: Int32Array;
  readonly K: number;
  readonly R: number;
  /** Jobs no slot accepts (skills, pinning): never inserted. */
  readonly servable: Uint8Array;
  interrupted = false;
  /** Jobs the construction skipped because the search was stopped (never tried): 1 = untried. */
  readonly untried: Uint8Array;
  /** Checked during construction and local search on large instances (time limit / abort). */
  stop: () => boolean = () => false;
  private stopCheck = 0;
  private shouldStopNow(): boolean {
    if (this.md.n <= 200 || (++this.stopCheck & 63) !== 0) return false;
    if (this.stop()) this.interrupted = true;
    return this.interrupted;
  }
  private stamp = 0;
  private readonly emptySeen: Int32Array;
  private readonly routeMark: Int32Array;
  /** Scratch for the insertion candidates of one route (relaxed delta, position). */
  private readonly candD: Float64Array;
  private readonly candP: Int32Array;
  /** Vehicles that may stay overnight: their consecutive slots. */
  private readonly overnight: { first: number; count: number; costPerNight: number }[] = [];
  /** Large instances: insertions only near the job's neighbours. */
  readonly granular: boolean;
  private readonly selector = new SubsequenceSelector();

  constructor(md: Model, seed: number) {
    this.md = md;
    this.rng = new Rng(seed);
    this.R = md.slots.length;
    this.routes = md.slots.map((s) => {
      const r = new RouteState(s);
      r.update(md);
      return r;
    });
    this.routeOf = new Int32Array(md.n).fill(-1);
    this.servable = new Uint8Array(md.n);
    this.untried = new Uint8Array(md.n);
    for (let i = 0; i < md.n; i++) {
      for (let r = 0; r < this.R; r++) {
        if (md.compat[i * this.R + r] === 1) {
          this.servable[i] = 1;
          break;
        }
      }
    }
    this.emptySeen = new Int32Array(this.R + 1);
    this.routeMark = new Int32Array(this.R);
    this.candD = new Float64Array(md.n + 2);
    this.candP = new Int32Array(md.n + 2);
    this.granular = md.n > 400;
    md.problem.vehicles.forEach((v, vi) => {
      if (v.overnight === undefined) return;
      const slots = md.slots.filter((sl) => sl.vehicle === vi);
      const first = slots[0];
      if (first === undefined || slots.length < 2 || (first.start < 0 && first.end < 0)) return;
      this.overnight.push({ first: first.index, count: slots.length, costPerNight: v.overnight.costPerNight });
    });
    this.K = Math.min(Math.max(md.n - 1, 0), 64);
    this.neighbours = this.buildNeighbours();
  }

  private buildNeighbours(): Int32Array {
    const { md, K } = this;
    const n = md.n;
    const out = new Int32Array(n * K);
    const slot = md.slots[0];
    if (slot === undefined || K === 0) return out;
    // top-K selection by insertion into a small sorted buffer: O(n · K) worst case, ~O(n) typical
    const bestD = new Float64Array(K);
    for (let i = 0; i < n; i++) {
      const li = md.loc[i] ?? 0;
      let size = 0;
      for (let j = 0; j < n; j++) {
        if (j === i) continue;
        const lj = md.loc[j] ?? 0;
        const d = Math.min(travel(slot.cost, md.m, li, lj), travel(slot.cost, md.m, lj, li));
        if (size === K && d >= (bestD[K - 1] ?? 0)) continue;
        let pos = size < K ? size++ : K - 1;
        while (pos > 0 && (bestD[pos - 1] ?? 0) > d) {
          bestD[pos] = bestD[pos - 1] ?? 0;
          out[i * K + pos] = out[i * K + pos - 1] ?? 0;
          pos--;
        }
        bestD[pos] = d;
        out[i * K + pos] = j;
      }
    }
    return out;
  }

  score(): Score {
    let lostPriority = 0;
    let cost = 0;
    for (const j of this.unassigned) lostPriority += this.md.priority[j] ?? 0;
    for (const r of this.routes) cost += r.cost;
    return { lostPriority, lost: this.unassigned.length, cost };
  }

  /** Best insertion of j over all compatible routes (with optional blinks). */
  bestInsertion(j: number, blink: number): { route: number; pos: number; delta: number } {
    if (this.granular) {
      // granular: only routes holding one of j's nearest neighbours (and empty routes)
      const stamp = ++this.stamp;
      const K = Math.min(this.K, 24);
      for (let k = 0; k < K; k++) {
        const r = this.routeOf[this.neighbours[j * this.K + k] ?? 0] ?? -1;
        if (r >= 0) this.routeMark[r] = stamp;
      }
      const res = this.scanInsertion(j, blink, stamp);
      if (res.route >= 0) return res;
    }
    return this.scanInsertion(j, blink, -1);
  }

  private scanInsertion(j: number, blink: number, only: number): { route: number; pos: number; delta: number } {
    const { md, R } = this;
    let bestR = -1;
    let bestP = -1;
    let best = Infinity;
    const stamp = ++this.stamp;
    for (let r = 0; r < R; r++) {
      if (md.compat[j * R + r] !== 1) continue;
      const route = this.routes[r];
      if (route === undefined) continue;
      const len = route.length;
      if (only >= 0 && len > 0 && this.routeMark[r] !== only) continue;
      if (len === 0) {
        const sig = route.slot.signature;
        if (this.emptySeen[sig] === stamp) continue;
        this.emptySeen[sig] = stamp;
      }
      if (len > 0 && route.slot.breaks.length > 0) {
        // relaxed deltas first; the schedule simulation only in increasing delta order, until one passes
        const { candD, candP } = this;
        let nc = 0;
        for (let p = 0; p <= len; p++) {
          if (blink > 0 && this.rng.next() < blink) continue;
          const d = route.insertionDelta(md, j, p, best, true);
          if (d < best) {
            candD[nc] = d;
            candP[nc] = p;
            nc++;
          }
        }
        while (nc > 0) {
          let k = 0;
          for (let q = 1; q < nc; q++) if ((candD[q] ?? 0) < (candD[k] ?? 0)) k = q;
          const d = candD[k] ?? Infinity;
          const p = candP[k] ?? 0;
          if (d >= best) break;
          if (route.breaksAllow(md, j, p)) {
            best = d;
            bestR = r;
            bestP = p;
            break;
          }
          nc--;
          candD[k] = candD[nc] ?? Infinity;
          candP[k] = candP[nc] ?? 0;
        }
        continue;
      }
      for (let p = 0; p <= len; p++) {
        if (blink > 0 && this.rng.next() < blink) continue;
        const d = route.insertionDelta(md, j, p, best);
        if (d < best) {
          best = d;
          bestR = r;
          bestP = p;
        }
      }
    }
    return { route: bestR, pos: bestP, delta: best };
  }

  insert(j: number, r: number, p: number): void {
    const route = this.routes[r];
    if (route === undefined) return;
    route.jobs.splice(p, 0, j);
    route.update(this.md, p);
    this.routeOf[j] = r;
  }

  /** Regret-2 construction (Potvin & Rousseau), higher priority first; cheapest insertion above 1,000 jobs. */
  construct(): void {
    const { md, R } = this;
    if (md.n > 1000) {
      const jobs: number[] = [];
      for (let j = 0; j < md.n; j++) {
        if (this.servable[j] === 1) jobs.push(j);
        else this.unassigned.push(j);
      }
      this.recreate(jobs, new Map(), 0);
      return;
    }
    const pending: number[] = [];
    for (let j = 0; j < md.n; j++) if (this.servable[j] === 1) pending.push(j);
    for (let j = 0; j < md.n; j++) if (this.servable[j] !== 1) this.unassigned.push(j);
    const n = md.n;
    const bestDelta = new Float64Array(n * R).fill(Infinity);
    const bestPos = new Int32Array(n * R);
    const evalRoute = (j: number, r: number): void => {
      const route = this.routes[r];
      let best = Infinity;
      let bp = -1;
      if (route !== undefined && md.compat[j * R + r] === 1) {
        for (let p = 0; p <= route.length; p++) {
          const d = route.insertionDelta(md, j, p);
          if (d < best) {
            best = d;
            bp = p;
          }
        }
      }
      bestDelta[j * R + r] = best;
      bestPos[j * R + r] = bp;
    };
    for (const j of pending) for (let r = 0; r < R; r++) evalRoute(j, r);
    while (pending.length > 0 && !this.shouldStopNow()) {
      let pick = -1;
      let pickKey1 = -Infinity;
      let pickKey2 = -Infinity;
      let pickR = -1;
      for (let k = 0; k < pending.length; k++) {
        const j = pending[k] ?? 0;
        let b1 = Infinity;
        let b2 = Infinity;
        let br = -1;
        for (let r = 0; r < R; r++) {
          const d = bestDelta[j * R + r] ?? Infinity;
          if (d < b1) {
            b2 = b1;
            b1 = d;
            br = r;
          } else if (d < b2) b2 = d;
        }
        if (br < 0) continue;
        const key1 = md.priority[j] ?? 0;
        const key2 = (b2 === Infinity ? 1e15 : b2 - b1) - 1e-6 * b1;
        if (key1 > pickKey1 || (key1 === pickKey1 && key2 > pickKey2)) {
          pick = k;
          pickKey1 = key1;
          pickKey2 = key2;
          pickR = br;
        }
      }
      if (pick < 0) break;
      const j = pending[pick] ?? 0;
      pending[pick] = pending[pending.length - 1] ?? 0;
      pending.pop();
      this.insert(j, pickR, bestPos[j * R + pickR] ?? 0);
      for (const q of pending) evalRoute(q, pickR);
    }
    for (const j of pending) this.unassigned.push(j);
  }

  /** Removes jobs from infeasible routes (possible with non-triangular matrices) until all are feasible. */
  private repair(r: number, removed: number[]): void {
    const route = this.routes[r];
    if (route === undefined) return;
    while (!route.feasible && route.length > 0) {
      // drop the first job whose earliest start is impossible, else the last one
      let k = -1;
      for (let i = 1; i <= route.length && k < 0; i++) if (route.early[i] === Infinity) k = i;
      k = k < 0 ? route.length - 1 : k - 1;
      const [j] = route.jobs.splice(k, 1);
      if (j !== undefined) {
        this.routeOf[j] = -1;
        removed.push(j);
      }
      route.update(this.md);
    }
  }

  /** SISR ruin (Christiaens & Vanden Berghe 2020): removes adjacent strings from a few routes. */
  private ruin(saved: Map<number, number[]>, removed: number[]): void {
    const { md, rng, K } = this;
    const cbar = 10;
    const Lmax = 10;
    let used = 0;
    let total = 0;
    for (const r of this.routes) {
      if (r.length > 0) {
        used++;
        total += r.length;
      }
    }
    if (used === 0) return;
    const lsMax = Math.min(Lmax, total / used);
    const ksMax = (4 * cbar) / (1 + lsMax) - 1;
    const ks = Math.floor(rng.next() * ksMax) + 1;
    let seed = rng.int(md.n);
    for (let tries = 0; tries < 10 && this.routeOf[seed] === -1; tries++) seed = rng.int(md.n);
    const ruined = new Set<number>();
    const touched: number[] = [];
    for (let k = -1; k < K && ruined.size < ks; k++) {
      const c = k < 0 ? seed : (this.neighbours[seed * K + k] ?? 0);
      const r = this.routeOf[c] ?? -1;
      if (r < 0 || ruined.has(r)) continue;
      const route = this.routes[r];
      if (route === undefined) continue;
      if (!saved.has(r)) saved.set(r, route.jobs.slice());
      ruined.add(r);
      touched.push(r);
      const len = route.length;
      const lmaxT = Math.min(len, lsMax);
      const l = Math.floor(rng.next() * lmaxT) + 1;
      const pos = route.jobs.indexOf(c);
      if (rng.next() < 0.5 || l >= len) {
        // string of length l containing c
        const first = Math.max(0, Math.min(pos - rng.int(l), len - l));
        const out = route.jobs.splice(first, l);
        for (const j of out) {
          this.routeOf[j] = -1;
          removed.push(j);
        }
      } else {
        // split string: a string of length l + mKeep, keeping mKeep consecutive jobs
        let mKeep = 1;
        while (l + mKeep < len && rng.next() < 0.5) mKeep++;
        const size = l + mKeep;
        const first = Math.max(0, Math.min(pos - rng.int(size), len - size));
        const keepAt = first + rng.int(l + 1);
        const newJobs: number[] = [];
        for (let i = 0; i < len; i++) {
          const j = route.jobs[i] ?? 0;
          if (i >= first && i < first + size && (i < keepAt || i >= keepAt + mKeep)) {
            this.routeOf[j] = -1;
            removed.push(j);
          } else newJobs.push(j);
        }
        route.jobs = newJobs;
      }
    }
    for (const r of touched) {
      this.routes[r]?.update(md);
      this.repair(r, removed);
    }
  }

  /** Greedy insertion with blinks, in one of SISR's orders. */
  recreate(jobs: number[], saved: Map<number, number[]>, blink: number): void {
    const { md, rng } = this;
    const u = rng.next();
    const depot = md.slots[0]?.start ?? -1;
    if (u < 4 / 11 || depot < 0) rng.shuffle(jobs);
    else if (u < 8 / 11) {
      const dims = md.dims;
      const demand = (j: number): number => {
        let s = 0;
        for (let d = 0; d < dims; d++) s += (md.delivery[j * dims + d] ?? 0) + (md.pickup[j * dims + d] ?? 0);
        return s;
      };
      rng.shuffle(jobs).sort((a, b) => demand(b) - demand(a));
    } else {
      const slot = md.slots[0];
      const far = (j: number): number => (slot === undefined ? 0 : travel(slot.cost, md.m, depot, md.loc[j] ?? 0));
      if (u < 10 / 11) jobs.sort((a, b) => far(b) - far(a));
      else jobs.sort((a, b) => far(a) - far(b));
    }
    // priorities first, half of the time (always would lock high-priority jobs in place)
    if (rng.next() < 0.5) jobs.sort((a, b) => (md.priority[b] ?? 0) - (md.priority[a] ?? 0));
    for (const j of jobs) {
      if (blink === 0 && this.interrupted) {
        this.unassigned.push(j);
        this.untried[j] = 1;
        continue;
      }
      if (blink === 0) this.shouldStopNow();
      const ins = this.bestInsertion(j, blink);
      if (ins.route < 0) {
        this.unassigned.push(j);
        continue;
      }
      const route = this.routes[ins.route];
      if (route !== undefined && !saved.has(ins.route)) saved.set(ins.route, route.jobs.slice());
      this.insert(j, ins.route, ins.pos);
    }
  }

  /**
   * Decides every night of the vehicles that may stay out: near the last visit when
   * cost_per_night + drive(last → next first) < drive(last → home) + drive(home → next first) and
   * the next day is feasible from there. Routes made infeasible by a moved overnight location are
   * repaired (jobs removed → `removed`). `saved` receives the routes before they change.
   */
  replanNights(saved: Map<number, number[]> | undefined, removed: number[]): void {
    const { md } = this;
    for (const ov of this.overnight) {
      if (saved !== undefined) {
        let touched = false;
        for (let r = ov.first; r < ov.first + ov.count; r++) if (saved.has(r)) touched = true;
        if (!touched) continue;
        for (let r = ov.first; r < ov.first + ov.count; r++) {
          const route = this.routes[r];
          if (route !== undefined && !saved.has(r)) saved.set(r, route.jobs.slice());
        }
      }
      const first = this.routes[ov.first];
      if (first !== undefined) first.startLoc = first.slot.start;
      for (let r = ov.first; r < ov.first + ov.count; r++) {
        const a = this.routes[r];
        if (a === undefined) continue;
        a.endLoc = a.slot.end;
        a.nightCost = 0;
        a.overnightAfter = false;
        const b = r + 1 < ov.first + ov.count ? this.routes[r + 1] : undefined;
        if (b !== undefined) {
          b.startLoc = b.slot.start;
          const lastJob = a.jobs[a.jobs.length - 1];
          const firstJob = b.jobs[0];
          if (lastJob !== undefined && firstJob !== undefined) {
            const last = md.loc[lastJob] ?? 0;
            const next = md.loc[firstJob] ?? 0;
            const home = travel(a.slot.cost, md.m, last, a.slot.end) + travel(b.slot.cost, md.m, b.slot.start, next);
            const away = ov.costPerNight + travel(b.slot.cost, md.m, last, next);
            if (away < home) {
              b.startLoc = last;
              b.update(md);
              if (b.feasible) {
                a.endLoc = -1;
                a.nightCost = ov.costPerNight;
                a.overnightAfter = true;
              } else b.startLoc = b.slot.start;
            }
          }
        }
        a.update(md);
        if (!a.feasible) this.repair(r, removed);
        // the night before a: if a became empty, the previous shift goes home after all
        const prev = r > ov.first ? this.routes[r - 1] : undefined;
        if (prev !== undefined && prev.overnightAfter && a.length === 0) {
          prev.endLoc = prev.slot.end;
          prev.nightCost = 0;
          prev.overnightAfter = false;
          prev.update(md);
          a.startLoc = a.slot.start;
          a.update(md);
        }
      }
    }
  }

  /** Can tails be exchanged between these routes with the O(1) checks below? */
  private tailCompatible(a: RouteState, b: RouteState): boolean {
    return (
      a.slot.signature === b.slot.signature &&
      a.slot.breaks.length === 0 &&
      a.startLoc === b.startLoc &&
      a.endLoc === b.endLoc &&
      a.endLoc === a.slot.end &&
      a.startLoc === a.slot.start &&
      a.nightCost === 0 &&
      b.nightCost === 0
    );
  }

  /**
   * 2-opt* (Potvin & Rousseau 1995) on granular neighbours: for a job a and one of its nearest
   * jobs b on another route, exchange the tails so that b follows a. Feasibility in O(dims)
   * from the cached earliest starts, latest departures, cumulated amounts and load maxima.
   * Returns true when something improved.
   */
  twoOptStar(maxPasses = 20): boolean {
    const { md } = this;
    const { m, dims } = md;
    const KK = Math.min(this.K, 12);
    let improvedAny = false;
    for (let pass = 0; pass < maxPasses && !this.interrupted; pass++) {
      let improved = false;
      for (let a = 0; a < md.n; a++) {
        const r1 = this.routeOf[a] ?? -1;
        if (r1 < 0 || this.shouldStopNow()) continue;
        for (let kk = 0; kk < KK; kk++) {
          const b = this.neighbours[a * this.K + kk] ?? 0;
          const r2 = this.routeOf[b] ?? -1;
          const A = this.routes[r1];
          const B = r2 < 0 || r2 === r1 ? undefined : this.routes[r2];
          if (A === undefined || B === undefined || !this.tailCompatible(A, B)) continue;
          const slot = A.slot;
          const len1 = A.length;
          const len2 = B.length;
          const i = A.jobs.indexOf(a) + 1;
          const k = B.jobs.indexOf(b) + 1;
          if (k === 1 && i === len1) continue; // would empty B
          const la = A.locs[i] ?? -1;
          const lb = B.locs[k] ?? -1;
          const lpred = B.locs[k - 1] ?? -1;
          const lsucc = A.locs[i + 1] ?? -1;
          const delta =
            travel(slot.cost, m, la, lb) + travel(slot.cost, m, lpred, lsucc) - travel(slot.cost, m, la, lsucc) - travel(slot.cost, m, lpred, lb);
          if (delta > -1e-9) continue;
          // tasks
          const lenA = i + (len2 - k + 1);
          const lenB = k - 1 + (len1 - i);
          if (lenA > slot.maxTasks || lenB > slot.maxTasks) continue;
          // time: a → b
          const sB = earliestStart(md, b, (A.early[i] ?? 0) + (A.work[i] ?? 0) + travel(slot.dur, m, la, lb));
          if (sB + (md.service[b] ?? 0) + (la !== lb ? (md.setup[b] ?? 0) : 0) > (B.lateDep[k] ?? 0)) continue;
          // time: pred(b) → succ(a)
          const depP = (B.early[k - 1] ?? 0) + (B.work[k - 1] ?? 0) + travel(slot.dur, m, lpred, lsucc);
          if (i === len1) {
            if (depP > slot.twEnd) continue;
          } else {
            const succ = A.jobs[i] ?? 0;
            const s = earliestStart(md, succ, depP);
            if (s + (md.service[succ] ?? 0) + (lpred !== lsucc ? (md.setup[succ] ?? 0) : 0) > (A.lateDep[i + 1] ?? 0)) continue;
          }
          // travel and distance limits
          const t1 = A.cumTravel[len1 + 1] ?? 0;
          const t2 = B.cumTravel[len2 + 1] ?? 0;
          if ((A.cumTravel[i] ?? 0) + travel(slot.dur, m, la, lb) + t2 - (B.cumTravel[k] ?? 0) > slot.maxTravel) continue;
          if ((B.cumTravel[k - 1] ?? 0) + travel(slot.dur, m, lpred, lsucc) + t1 - (A.cumTravel[i + 1] ?? 0) > slot.maxTravel) continue;
          if (slot.maxDistance !== Infinity) {
            const d1 = A.cumDist[len1 + 1] ?? 0;
            const d2 = B.cumDist[len2 + 1] ?? 0;
            if ((A.cumDist[i] ?? 0) + travel(slot.dist, m, la, lb) + d2 - (B.cumDist[k] ?? 0) > slot.maxDistance) continue;
            if ((B.cumDist[k - 1] ?? 0) + travel(slot.dist, m, lpred, lsucc) + d1 - (A.cumDist[i + 1] ?? 0) > slot.maxDistance) continue;
          }
          // capacity
          let capOk = true;
          for (let d = 0; d < dims && capOk; d++) {
            const cap = slot.capacity[d] ?? Infinity;
            if (cap === Infinity) continue;
            const D1after = (A.cumDel[len1 * dims + d] ?? 0) - (A.cumDel[i * dims + d] ?? 0);
            const D2from = (B.cumDel[len2 * dims + d] ?? 0) - (B.cumDel[(k - 1) * dims + d] ?? 0);
            const P1upto = A.cumPick[i * dims + d] ?? 0;
            const P2before = B.cumPick[(k - 1) * dims + d] ?? 0;
            if ((A.prefMax[i * dims + d] ?? 0) - D1after + D2from > cap) capOk = false;
            else if ((B.sufMax[k * dims + d] ?? 0) - P2before + P1upto > cap) capOk = false;
            else if ((B.prefMax[(k - 1) * dims + d] ?? 0) - D2from + D1after > cap) capOk = false;
            else if (i < len1 && (A.sufMax[(i + 1) * dims + d] ?? 0) - P1upto + P2before > cap) capOk = false;
          }
          if (!capOk) continue;
          // pinned jobs must stay on their vehicle
          const tailA = A.jobs.slice(i);
          const tailB = B.jobs.slice(k - 1);
          const R = this.R;
          if (tailA.some((j) => md.compat[j * R + r2] !== 1) || tailB.some((j) => md.compat[j * R + r1] !== 1)) continue;
          const oldA = A.jobs;
          const oldB = B.jobs;
          A.jobs = oldA.slice(0, i).concat(tailB);
          B.jobs = oldB.slice(0, k - 1).concat(tailA);
          A.update(md);
          B.update(md);
          if (!A.feasible || !B.feasible) {
            // safety net: never keep an infeasible exchange
            A.jobs = oldA;
            B.jobs = oldB;
            A.update(md);
            B.update(md);
            continue;
          }
          for (const j of tailB) this.routeOf[j] = r1;
          for (const j of tailA) this.routeOf[j] = r2;
          improved = true;
          improvedAny = true;
        }
      }
      if (!improved) break;
    }
    return improvedAny;
  }

  /**
   * Set improvement of one route (no overnight stays): the unassigned jobs the route may serve are
   * placed into its sequence at their cheapest gap (a "giant" sequence), then the best
   * subsequence is chosen exactly (served priority, served jobs, cost; `select.ts`). Exchanges
   * k served jobs for m unserved ones anywhere in the route at once. Returns true when improved.
   */
  improveSelection(r: number, reversed: boolean, maxCandidates = 40): boolean {
    const { md, R } = this;
    const route = this.routes[r];
    if (route === undefined || md.n > 400 || this.overnight.length > 0 || !SubsequenceSelector.supports(md, route.slot)) return false;
    const { m } = md;
    const slot = route.slot;
    const len = route.length;
    // candidates: compatible unassigned jobs, with their best gap (cost + waiting, window open)
    const cand: { j: number; gap: number; key: number }[] = [];
    for (const j of this.unassigned) {
      if (this.servable[j] !== 1 || md.compat[j * R + r] !== 1) continue;
      const lj = md.loc[j] ?? 0;
      let bestKey = Infinity;
      let bestGap = 0;
      for (let p = 0; p <= len; p++) {
        const la = route.locs[p] ?? -1;
        const lb = route.locs[p + 1] ?? -1;
        let key = travel(slot.cost, m, la, lj) + travel(slot.cost, m, lj, lb) - (len === 0 ? 0 : travel(slot.cost, m, la, lb));
        const arr = (route.early[p] ?? 0) + (route.work[p] ?? 0) + travel(slot.dur, m, la, lj);
        const s = earliestStart(md, j, arr);
        key += s === Infinity ? 1e12 : s - arr;
        if (key < bestKey) {
          bestKey = key;
          bestGap = p;
        }
      }
      cand.push({ j, gap: bestGap, key: bestKey - 1e6 * (md.priority[j] ?? 0) });
    }
    if (cand.length === 0) return false;
    cand.sort((a, b) => a.key - b.key || a.j - b.j);
    if (cand.length > maxCandidates) cand.length = maxCandidates;
    // giant sequence: route jobs with the candidates of each gap, chained by cheapest insertion
    const seq: number[] = [];
    const byGap: number[][] = Array.from({ length: len + 1 }, () => []);
    for (const c of cand) byGap[c.gap]?.push(c.j);
    for (let p = 0; p <= len; p++) {
      const group = byGap[p] ?? [];
      const chain: number[] = [];
      const la = route.locs[p] ?? -1;
      const lb = route.locs[p + 1] ?? -1;
      for (const j of group) {
        const lj = md.loc[j] ?? 0;
        let bestAt = 0;
        let bestD = Infinity;
        for (let x = 0; x <= chain.length; x++) {
          const a = x === 0 ? la : (md.loc[chain[x - 1] ?? 0] ?? 0);
          const b = x === chain.length ? lb : (md.loc[chain[x] ?? 0] ?? 0);
          const d = travel(slot.cost, m, a, lj) + travel(slot.cost, m, lj, b) - travel(slot.cost, m, a, b);
          if (d < bestD) {
            bestD = d;
            bestAt = x;
          }
        }
        chain.splice(bestAt, 0, j);
      }
      seq.push(...chain);
      const next = route.jobs[p];
      if (p < len && next !== undefined) seq.push(next);
    }
    let prio = 0;
    for (const j of route.jobs) prio += md.priority[j] ?? 0;
    let best: Selection = { jobs: route.jobs, priority: prio, count: len, cost: route.cost };
    const current = best;
    // the same loop driven the other way round, or with a block of it moved elsewhere, can fit
    // other visits (opening hours, the break): the second order is one of those
    for (let v = 0; v < (reversed ? 2 : 1); v++) {
      let order = seq;
      if (v === 1 && seq.length >= 4 && this.rng.next() < this.selection.blockMove) {
        // A B C → A C B, B reversed half of the time
        const i = 1 + this.rng.int(seq.length - 2);
        const j = i + 1 + this.rng.int(seq.length - i - 1);
        const A = seq.slice(0, i);
        const B = seq.slice(i, j);
        const C = seq.slice(j);
        order = this.rng.next() < 0.5 ? A.concat(C, B) : A.concat(C, B.reverse());
      } else if (v === 1) order = seq.slice().reverse();
      const sel = this.selector.select(md, slot, order, route.startLoc, route.endLoc, best, this.selection.maxSkip, this.selection.costFactor);
      if (sel !== undefined && compareValue(sel, best) > 1e-6) best = sel;
    }
    if (best === current) return false;
    const sel = best;
    const old = route.jobs;
    route.jobs = sel.jobs;
    route.update(md);
    if (!route.feasible) {
      route.jobs = old;
      route.update(md);
      return false;
    }
    for (const j of old) this.routeOf[j] = -1;
    for (const j of sel.jobs) this.routeOf[j] = r;
    const nextUnassigned: number[] = [];
    for (const j of this.unassigned) if (this.routeOf[j] === -1) nextUnassigned.push(j);
    for (const j of old) if (this.routeOf[j] === -1) nextUnassigned.push(j);
    this.unassigned = nextUnassigned;
    return true;
  }

  snapshot(): number[][] {
    return this.routes.map((r) => r.jobs.slice());
  }

  load(snap: readonly (readonly number[])[]): void {
    this.routeOf.fill(-1);
    const seen = new Uint8Array(this.md.n);
    snap.forEach((jobs, r) => {
      const route = this.routes[r];
      if (route === undefined) return;
      route.jobs = jobs.slice();
      route.update(this.md);
      for (const j of jobs) {
        this.routeOf[j] = r;
        seen[j] = 1;
      }
    });
    this.unassigned = [];
    const removed: number[] = [];
    this.replanNights(undefined, removed);
    for (let j = 0; j < this.md.n; j++) if (seen[j] !== 1 || this.routeOf[j] === -1) this.unassigned.push(j);
  }

  /**
   * Set improvement (`improveSelection`): `onBest` = on the start solution, on the routes changed
   * by each new best and at the end; `every` > 0 = also on the candidate of every `every`-th
   * iteration before its acceptance test; `maxSkip` = at most that many consecutive jobs of the
   * sequence left out, `costFactor` = cost tolerance of the DP's dominance (both bound its work;
   * see `SubsequenceSelector.select`); `blockMove` = probability that the second order tried is
   * the sequence with a random block moved instead of the reversed sequence.
   */
  selection = { onBest: true, every: 0, maxSkip: 6, costFactor: 1.01, blockMove: 0.5 };

  /** Ruin & recreate with simulated-annealing acceptance; leaves the best solution loaded. */
  run(p: SearchParams): void {
    const { md } = this;
    if (this.selection.onBest) for (let r = 0; r < this.R; r++) this.improveSelection(r, true);
    let current = this.score();
    let best = current;
    let bestSnap = this.snapshot();
    const assigned = Math.max(1, md.n - this.unassigned.length);
    const perJob = current.cost / assigned;
    const T0 = Math.max(1e-9, 10 * perJob);
    const Tf = Math.max(1e-10, 0.01 * perJob);
    const saved = new Map<number, number[]>();
    for (let it = 0; it < p.iterations; it++) {
      if ((it & 31) === 0) {
        if (p.shouldStop() || p.now() > p.deadline) {
          this.interrupted = true;
          break;
        }
      }
      const T = T0 * Math.pow(Tf / T0, it / p.iterations);
      saved.clear();
      const savedUnassigned = this.unassigned.slice();
      const removed: number[] = [];
      this.ruin(saved, removed);
      // unassigned jobs get another chance: all of them when few, else about 4 per iteration
      const retry = this.unassigned;
      this.unassigned = [];
      let servableCount = 0;
      for (const j of retry) if (this.servable[j] === 1) servableCount++;
      const pRetry = servableCount <= 4 ? 1 : 4 / servableCount;
      for (const j of retry) {
        if (this.servable[j] === 1 && (pRetry === 1 || this.rng.next() < pRetry)) removed.push(j);
        else this.unassigned.push(j);
      }
      this.recreate(removed, saved, 0.01);
      if (this.overnight.length > 0) {
        const dropped: number[] = [];
        this.replanNights(saved, dropped);
        for (const j of dropped) this.unassigned.push(j);
      }
      const every = this.selection.every;
      if (every > 0 && it % every === every - 1) {
        // exact choice of the served set along the candidate's order: rescues candidates whose
        // greedy recreate left out jobs that fit, or that fit in place of lower-priority ones
        for (let r = 0; r < this.R; r++) {
          const route = this.routes[r];
          if (route === undefined || !saved.has(r)) continue;
          this.improveSelection(r, true);
        }
      }
      const cand = this.score();
      const c = compareScore(cand, current);
      let accept: boolean;
      if (cand.lostPriority !== current.lostPriority || cand.lost !== current.lost) accept = c < 0;
      else accept = cand.cost < current.cost - T * Math.log(this.rng.next());
      if (accept) {
        current = cand;
        if (compareScore(cand, best) < -1e-9) {
          if (this.twoOptStar(3)) current = this.score();
          if (this.selection.onBest) {
            let changed = false;
            for (const r of saved.keys()) if (this.improveSelection(r, true)) changed = true;
            if (changed) current = this.score();
          }
          best = current;
          bestSnap = this.snapshot();
        }
      } else {
        for (const r of saved.keys()) {
          const route = this.routes[r];
          if (route === undefined) continue;
          for (const j of route.jobs) this.routeOf[j] = -1;
        }
        for (const [r, jobs] of saved) {
          const route = this.routes[r];
          if (route === undefined) continue;
          route.jobs = jobs;
          route.update(md);
          for (const j of jobs) this.routeOf[j] = r;
        }
        if (this.overnight.length > 0) this.replanNights(new Map([...saved.keys()].map((r) => [r, []])), []);
        this.unassigned = savedUnassigned;
      }
    }
    this.load(bestSnap);
    if (this.selection.onBest) for (let r = 0; r < this.R; r++) this.improveSelection(r, true);
  }
}
