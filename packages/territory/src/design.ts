import { AppError } from '@geocrm/domain';
import { areaLoads, type MeasureSpec } from './measures.ts';
import { planMetrics, type PlanMetrics } from './metrics.ts';
import type { AreaGraph } from './types.ts';

/** A territory's anchor: a rep's home point (plane km, or lng/lat when the graph has a projection) or a seed area id. */
export type Anchor = { readonly area: string } | { readonly x: number; readonly y: number } | { readonly lng: number; readonly lat: number };

export interface DesignOptions {
  /** Number of territories (1 ≤ k ≤ number of areas). */
  readonly k: number;
  /** Measure to balance, or a weighted mix. Default 'workload'. */
  readonly measure?: MeasureSpec;
  /** Balance tolerance τ: each territory's load within ±τ of the mean. Default 0.05. */
  readonly tolerance?: number;
  /**
   * One anchor per territory (length k, null for a free territory). The anchor's area is locked to its
   * territory and dispersion is measured to the anchor point instead of the territory's centroid.
   */
  readonly anchors?: readonly (Anchor | null)[];
  /** Areas whose territory is fixed: area id → territory (0..k−1). */
  readonly locked?: ReadonlyMap<string, number> | Readonly<Record<string, number>>;
  /** Current plan: area id → territory; areas not listed count as unassigned. */
  readonly current?: ReadonlyMap<string, number> | Readonly<Record<string, number>>;
  /**
   * Limit disruption of the current plan: `weight` makes moving all the load cost as much as the whole
   * dispersion (1 = as much, 10 = ten times…); `maxMoved` caps the number of areas that change territory.
   */
  readonly disruption?: { readonly weight?: number; readonly maxMoved?: number };
  /** Require contiguous territories (on the adjacency graph). Default true. */
  readonly contiguity?: boolean;
  /**
   * Weight of boundary length: each cut edge (adjacency between two territories) costs this fraction
   * of the average area's dispersion. Default 0.07 (fewer, smoother borders for ~1 % more dispersion);
   * 0 optimises dispersion alone.
   */
  readonly shapeWeight?: number;
  /**
   * Fixed-centre assignment mode: costs[i][t] of giving area i to territory t (e.g. km from rep t's
   * office). The objective is then Σ costs instead of the load-weighted dispersion.
   */
  readonly costs?: readonly (readonly number[])[];
  /** Seed of the pseudo-random generator: same seed, same input → same plan. Default 1. */
  readonly seed?: number;
  /** Wall-clock limit in ms (default 20,000); the best plan so far is returned when it is reached. */
  readonly timeLimitMs?: number;
  /** Aborting returns the best plan found so far (`stats.stoppedBy: 'cancelled'`). */
  readonly signal?: AbortSignal;
  /** Number of constructions (multi-start). Default: 4 up to 500 areas, 3 up to 5,000, else 1. */
  readonly starts?: number;
  /** Iterated local search rounds without improvement before a start stops. Default 200 (60 above 5,000 areas). */
  readonly patience?: number;
}

export type Violation =
  | { readonly kind: 'balance'; readonly territory: number; readonly deviation: number; readonly message: string }
  | { readonly kind: 'contiguity'; readonly territory: number; readonly pieces: number; readonly message: string };

export interface TerritoryPlan {
  readonly k: number;
  /** Territory (0..k−1) of each area, parallel to `graph.areas`. */
  readonly assignment: Int32Array;
  readonly metrics: PlanMetrics;
  /** Constraints the plan could not meet, in words (empty when balanced and contiguous). */
  readonly violations: readonly Violation[];
  readonly stats: {
    readonly starts: number;
    readonly rounds: number;
    readonly moves: number;
    readonly timeMs: number;
    readonly cpuMs: number;
    readonly stoppedBy: 'converged' | 'time' | 'cancelled';
  };
}

/** Deterministic PRNG (mulberry32). */
const rng = (seed: number): (() => number) => {
  let s = seed >>> 0 || 0x9e3779b9;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

const toMap = (m: ReadonlyMap<string, number> | Readonly<Record<string, number>> | undefined): ReadonlyMap<string, number> =>
  m === undefined ? new Map() : m instanceof Map ? (m as ReadonlyMap<string, number>) : new Map(Object.entries(m));

/** Min-heap of (key, value) pairs. */
class Heap {
  private keys: number[] = [];
  private vals: number[] = [];
  get size(): number {
    return this.keys.length;
  }
  push(key: number, val: number): void {
    const { keys, vals } = this;
    let i = keys.length;
    keys.push(key);
    vals.push(val);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if ((keys[p] ?? 0) <= key) break;
      keys[i] = keys[p] ?? 0;
      vals[i] = vals[p] ?? 0;
      i = p;
    }
    keys[i] = key;
    vals[i] = val;
  }
  peek(): number {
    return this.vals[0] ?? -1;
  }
  pop(): number {
    const { keys, vals } = this;
    const top = vals[0] ?? -1;
    const lk = keys.pop() ?? 0;
    const lv = vals.pop() ?? 0;
    const n = keys.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const c = r < n && (keys[r] ?? 0) < (keys[l] ?? 0) ? r : l;
        if ((keys[c] ?? 0) >= lk) break;
        keys[i] = keys[c] ?? 0;
        vals[i] = vals[c] ?? 0;
        i = c;
      }
      keys[i] = lk;
      vals[i] = lv;
    }
    return top;
  }
}

interface Snapshot {
  readonly terr: Int32Array;
  readonly V: number;
  readonly f: number;
}

/** The search state: one plan being improved, with incremental loads, centres and costs. */
class Search {
  readonly n: number;
  readonly k: number;
  readonly off: Int32Array;
  readonly nb: Int32Array;
  readonly px: Float64Array;
  readonly py: Float64Array;
  readonly load: Float64Array;
  /** Dispersion weight: load plus a small floor so that empty areas still stay close. */
  readonly wd: Float64Array;
  readonly wdTotal: number;
  readonly costs: Float64Array | null;
  readonly lockedT: Int32Array;
  readonly cur: Int32Array | null;
  readonly contiguity: boolean;
  readonly island: Uint8Array;
  readonly fixedC: Uint8Array;
  readonly terr: Int32Array;
  readonly W: Float64Array;
  readonly size: Int32Array;
  readonly cx: Float64Array;
  readonly cy: Float64Array;
  readonly mean: number;
  readonly lo: number;
  readonly hi: number;
  readonly lamD: number;
  readonly maxMoved: number;
  lamQ = 0.2;
  D0 = 1;
  /** Weight of cut edges and the normaliser (number of areas): a cut edge costs lamC × the mean area dispersion. */
  lamC = 0;
  E0 = 1;
  moved = 0;
  moves = 0;
  private readonly stamp: Int32Array;
  private stampId = 1;
  private readonly tstamp: Int32Array;
  private tstampId = 1;
  private readonly queue: Int32Array;
  private readonly inQueue: Uint8Array;

  constructor(
    graph: AreaGraph,
    k: number,
    load: Float64Array,
    tolerance: number,
    costs: Float64Array | null,
    lockedT: Int32Array,
    cur: Int32Array | null,
    contiguity: boolean,
    centres: readonly ({ x: number; y: number } | null)[],
    lamD: number,
    maxMoved: number,
  ) {
    const n = graph.areas.length;
    this.n = n;
    this.k = k;
    this.off = graph.offsets;
    this.nb = graph.neighbours;
    this.px = Float64Array.from(graph.areas, (a) => a.x);
    this.py = Float64Array.from(graph.areas, (a) => a.y);
    this.load = load;
    let total = 0;
    for (let i = 0; i < n; i++) total += load[i] ?? 0;
    const floor = (0.05 * total) / n;
    this.wd = Float64Array.from(load, (l) => l + floor);
    this.wdTotal = total + floor * n;
    this.costs = costs;
    this.lockedT = lockedT;
    this.cur = cur;
    this.contiguity = contiguity;
    this.island = new Uint8Array(n);
    for (let i = 0; i < n; i++) if ((graph.offsets[i] ?? 0) === (graph.offsets[i + 1] ?? 0)) this.island[i] = 1;
    this.fixedC = new Uint8Array(k);
    this.cx = new Float64Array(k);
    this.cy = new Float64Array(k);
    centres.forEach((c, t) => {
      if (c) {
        this.fixedC[t] = 1;
        this.cx[t] = c.x;
        this.cy[t] = c.y;
      }
    });
    this.terr = new Int32Array(n).fill(-1);
    this.W = new Float64Array(k);
    this.size = new Int32Array(k);
    this.mean = total / k;
    this.lo = this.mean * (1 - tolerance);
    this.hi = this.mean * (1 + tolerance);
    this.lamD = lamD;
    this.maxMoved = maxMoved;
    this.stamp = new Int32Array(n);
    this.tstamp = new Int32Array(k);
    this.queue = new Int32Array(n);
    this.inQueue = new Uint8Array(n);
  }

  cost(i: number, t: number): number {
    if (this.costs) return this.costs[i * this.k + t] ?? 0;
    return (this.wd[i] ?? 0) * Math.hypot((this.px[i] ?? 0) - (this.cx[t] ?? 0), (this.py[i] ?? 0) - (this.cy[t] ?? 0));
  }

  viol(w: number): number {
    return w > this.hi ? w - this.hi : w < this.lo ? this.lo - w : 0;
  }

  /** Places area i in territory t (from unassigned or another territory). */
  set(i: number, t: number): void {
    const a = this.terr[i] ?? -1;
    const l = this.load[i] ?? 0;
    if (a >= 0) {
      this.W[a] = (this.W[a] ?? 0) - l;
      this.size[a] = (this.size[a] ?? 0) - 1;
      if (this.cur && this.cur[i] === a) this.moved++;
    }
    if (this.cur && a >= 0 && this.cur[i] === t) this.moved--;
    this.terr[i] = t;
    this.W[t] = (this.W[t] ?? 0) + l;
    this.size[t] = (this.size[t] ?? 0) + 1;
  }

  /** Assigns from scratch (W, size, moved recomputed). */
  load_(terr: Int32Array): void {
    this.terr.set(terr);
    this.W.fill(0);
    this.size.fill(0);
    this.moved = 0;
    for (let i = 0; i < this.n; i++) {
      const t = terr[i] ?? 0;
      this.W[t] = (this.W[t] ?? 0) + (this.load[i] ?? 0);
      this.size[t] = (this.size[t] ?? 0) + 1;
      if (this.cur && (this.cur[i] ?? -1) >= 0 && this.cur[i] !== t) this.moved++;
    }
  }

  /** Free centres at the dispersion-weighted centroid of their areas. */
  updateCentres(): void {
    if (this.costs) return;
    const { k } = this;
    const sx = new Float64Array(k);
    const sy = new Float64Array(k);
    const sw = new Float64Array(k);
    for (let i = 0; i < this.n; i++) {
      const t = this.terr[i] ?? 0;
      const w = this.wd[i] ?? 0;
      sx[t] = (sx[t] ?? 0) + w * (this.px[i] ?? 0);
      sy[t] = (sy[t] ?? 0) + w * (this.py[i] ?? 0);
      sw[t] = (sw[t] ?? 0) + w;
    }
    for (let t = 0; t < k; t++) {
      if (this.fixedC[t] || (sw[t] ?? 0) <= 0) continue;
      this.cx[t] = (sx[t] ?? 0) / (sw[t] ?? 1);
      this.cy[t] = (sy[t] ?? 0) / (sw[t] ?? 1);
    }
  }

  violation(): number {
    let v = 0;
    for (let t = 0; t < this.k; t++) v += this.viol(this.W[t] ?? 0);
    return v / this.mean;
  }

  /** Penalised objective: balance violation ≫ dispersion (normalised) + disruption + a small balance-spread term. */
  objective(): number {
    let D = 0;
    for (let i = 0; i < this.n; i++) D += this.cost(i, this.terr[i] ?? 0);
    let Q = 0;
    for (let t = 0; t < this.k; t++) Q += (((this.W[t] ?? 0) - this.mean) / this.mean) ** 2;
    let R = 0;
    if (this.cur) for (let i = 0; i < this.n; i++) if ((this.cur[i] ?? -1) >= 0 && this.cur[i] !== this.terr[i]) R += this.wd[i] ?? 0;
    return 1e4 * this.violation() + D / this.D0 + this.lamQ * Q + (this.lamD * R) / this.wdTotal + (this.lamC > 0 ? (this.lamC * this.cutEdges()) / this.E0 : 0);
  }

  /** Adjacencies between different territories. */
  cutEdges(): number {
    let c = 0;
    for (let i = 0; i < this.n; i++) {
      const t = this.terr[i];
      for (let p = this.off[i] ?? 0; p < (this.off[i + 1] ?? 0); p++) if (this.terr[this.nb[p] ?? 0] !== t) c++;
    }
    return c / 2;
  }

  /** Neighbours of i in territory t. */
  nbIn(i: number, t: number): number {
    let c = 0;
    for (let p = this.off[i] ?? 0; p < (this.off[i + 1] ?? 0); p++) if (this.terr[this.nb[p] ?? 0] === t) c++;
    return c;
  }

  /** Change of the objective when area i moves from a to b (no feasibility check). */
  deltaMove(i: number, a: number, b: number): number {
    const l = this.load[i] ?? 0;
    const Wa = this.W[a] ?? 0;
    const Wb = this.W[b] ?? 0;
    const m = this.mean;
    const dV = this.viol(Wa - l) + this.viol(Wb + l) - this.viol(Wa) - this.viol(Wb);
    const dQ = (Wa - l - m) ** 2 + (Wb + l - m) ** 2 - (Wa - m) ** 2 - (Wb - m) ** 2;
    let d = (1e4 * dV) / m + (this.lamQ * dQ) / (m * m) + (this.cost(i, b) - this.cost(i, a)) / this.D0;
    if (this.lamC > 0) d += (this.lamC * (this.nbIn(i, a) - this.nbIn(i, b))) / this.E0;
    if (this.cur) {
      const c = this.cur[i];
      if (c === b) d -= (this.lamD * (this.wd[i] ?? 0)) / this.wdTotal;
      else if (c === a) d += (this.lamD * (this.wd[i] ?? 0)) / this.wdTotal;
    }
    return d;
  }

  /** Whether area i may leave a under the move budget. */
  budgetAllows(i: number, a: number, b: number): boolean {
    if (!this.cur || this.maxMoved < 0) return true;
    return !(this.cur[i] === a && this.cur[i] !== b && this.moved >= this.maxMoved);
  }

  /**
   * Whether removing i from its territory keeps its territory's piece around i connected:
   * all neighbours of i in the same territory must still reach one another.
   */
  canRemove(i: number): boolean {
    if (!this.contiguity || this.island[i]) return true;
    const a = this.terr[i] ?? 0;
    const { off, nb, terr, stamp, queue } = this;
    let targets = 0;
    let first = -1;
    for (let p = off[i] ?? 0; p < (off[i + 1] ?? 0); p++) {
      const j = nb[p] ?? 0;
      if (terr[j] === a) {
        targets++;
        if (first < 0) first = j;
      }
    }
    if (targets <= 1) return true;
    const id = ++this.stampId;
    const targetId = ++this.stampId;
    for (let p = off[i] ?? 0; p < (off[i + 1] ?? 0); p++) {
      const j = nb[p] ?? 0;
      if (terr[j] === a) stamp[j] = targetId;
    }
    stamp[i] = id;
    let head = 0;
    let tail = 0;
    queue[tail++] = first;
    stamp[first] = id;
    let found = 1;
    while (head < tail) {
      const v = queue[head++] ?? 0;
      for (let p = off[v] ?? 0; p < (off[v + 1] ?? 0); p++) {
        const w = nb[p] ?? 0;
        const s = stamp[w] ?? 0;
        if (s === id || terr[w] !== a) continue;
        if (s === targetId) {
          found++;
          if (found === targets) return true;
        }
        stamp[w] = id;
        queue[tail++] = w;
      }
    }
    return false;
  }

  /** Territories i could join: adjacent ones (contiguity) or all of them. */
  candidates(i: number, out: number[]): void {
    out.length = 0;
    const a = this.terr[i] ?? 0;
    if (!this.contiguity || this.island[i]) {
      for (let t = 0; t < this.k; t++) if (t !== a) out.push(t);
      return;
    }
    const id = ++this.tstampId;
    for (let p = this.off[i] ?? 0; p < (this.off[i + 1] ?? 0); p++) {
      const t = this.terr[this.nb[p] ?? 0] ?? 0;
      if (t !== a && this.tstamp[t] !== id) {
        this.tstamp[t] = id;
        out.push(t);
      }
    }
  }

  /** Best improving move of i, applied; returns whether it moved. */
  tryMove(i: number, cands: number[]): boolean {
    if ((this.lockedT[i] ?? -1) >= 0) return false;
    const a = this.terr[i] ?? 0;
    if ((this.size[a] ?? 0) <= 1) return false;
    this.candidates(i, cands);
    let best = -1e-10;
    let bestB = -1;
    for (const b of cands) {
      if (!this.budgetAllows(i, a, b)) continue;
      const d = this.deltaMove(i, a, b);
      if (d < best) {
        best = d;
        bestB = b;
      }
    }
    if (bestB < 0) return false;
    if (!this.canRemove(i)) return this.tryBlockMove(i, a, cands);
    this.set(i, bestB);
    this.moves++;
    return true;
  }

  /**
   * Area i is an articulation point of its territory a: removing it would cut off pieces (a
   * peninsula, a valley). Try moving i together with everything but the largest of those pieces to an
   * adjacent territory, as one move. Returns whether it moved.
   */
  tryBlockMove(i: number, a: number, cands: readonly number[]): boolean {
    const { off, nb, terr, stamp, queue } = this;
    const size = this.size[a] ?? 0;
    if (size > 20_000) return false;
    // Label the pieces of a \ {i} around i.
    const pieces: number[][] = [];
    const base = this.stampId + 1;
    stamp[i] = base;
    this.stampId = base;
    for (let p = off[i] ?? 0; p < (off[i + 1] ?? 0); p++) {
      const s0 = nb[p] ?? 0;
      if (terr[s0] !== a || (stamp[s0] ?? 0) >= base) continue;
      const id = ++this.stampId;
      const members: number[] = [];
      let head = 0;
      let tail = 0;
      queue[tail++] = s0;
      stamp[s0] = id;
      while (head < tail) {
        const v = queue[head++] ?? 0;
        members.push(v);
        for (let q = off[v] ?? 0; q < (off[v + 1] ?? 0); q++) {
          const w = nb[q] ?? 0;
          if (terr[w] !== a || (stamp[w] ?? 0) >= base) continue;
          stamp[w] = id;
          queue[tail++] = w;
        }
      }
      pieces.push(members);
    }
    if (pieces.length < 2) return false;
    let largest = 0;
    for (let c = 1; c < pieces.length; c++) if ((pieces[c]?.length ?? 0) > (pieces[largest]?.length ?? 0)) largest = c;
    const block = [i];
    for (let c = 0; c < pieces.length; c++) if (c !== largest) block.push(...(pieces[c] ?? []));
    if (block.length > Math.max(50, size / 3)) return false;
    let L = 0;
    let movedFromCur = 0;
    for (const x of block) {
      if ((this.lockedT[x] ?? -1) >= 0) return false;
      L += this.load[x] ?? 0;
      if (this.cur && this.cur[x] === a) movedFromCur++;
    }
    const inBlock = ++this.stampId;
    for (const x of block) stamp[x] = inBlock;
    const m = this.mean;
    const Wa = this.W[a] ?? 0;
    let best = -1e-10;
    let bestB = -1;
    for (const b of cands) {
      if (this.cur && this.maxMoved >= 0) {
        let back = 0;
        for (const x of block) if (this.cur[x] === b) back++;
        if (this.moved + movedFromCur - back > Math.max(this.maxMoved, this.moved)) continue;
      }
      const Wb = this.W[b] ?? 0;
      const dV = this.viol(Wa - L) + this.viol(Wb + L) - this.viol(Wa) - this.viol(Wb);
      const dQ = (Wa - L - m) ** 2 + (Wb + L - m) ** 2 - (Wa - m) ** 2 - (Wb - m) ** 2;
      let dD = 0;
      let dCut = 0;
      let dR = 0;
      for (const x of block) {
        dD += this.cost(x, b) - this.cost(x, a);
        if (this.lamC > 0) {
          for (let q = off[x] ?? 0; q < (off[x + 1] ?? 0); q++) {
            const y = nb[q] ?? 0;
            if (stamp[y] === inBlock) continue;
            const ty = terr[y];
            dCut += (ty !== b ? 1 : 0) - (ty !== a ? 1 : 0);
          }
        }
        if (this.cur) {
          if (this.cur[x] === b) dR -= this.wd[x] ?? 0;
          else if (this.cur[x] === a) dR += this.wd[x] ?? 0;
        }
      }
      const d = (1e4 * dV) / m + (this.lamQ * dQ) / (m * m) + dD / this.D0 + (this.lamC * dCut) / this.E0 + (this.lamD * dR) / this.wdTotal;
      if (d < best) {
        best = d;
        bestB = b;
      }
    }
    if (bestB < 0) return false;
    for (const x of block) this.set(x, bestB);
    this.moves += block.length;
    return true;
  }

  /** Best improving swap of i with an area j of another territory (adjacent when contiguity is on). */
  trySwap(i: number): boolean {
    if ((this.lockedT[i] ?? -1) >= 0) return false;
    const a = this.terr[i] ?? 0;
    const others: number[] = [];
    if (this.contiguity && !this.island[i]) {
      for (let p = this.off[i] ?? 0; p < (this.off[i + 1] ?? 0); p++) {
        const j = this.nb[p] ?? 0;
        if (this.terr[j] !== a) others.push(j);
      }
    } else if (this.n <= 2000) {
      for (let j = 0; j < this.n; j++) if (this.terr[j] !== a) others.push(j);
    }
    const m = this.mean;
    let best = -1e-10;
    let bestJ = -1;
    for (const j of others) {
      if ((this.lockedT[j] ?? -1) >= 0) continue;
      const b = this.terr[j] ?? 0;
      const l = (this.load[i] ?? 0) - (this.load[j] ?? 0);
      const Wa = this.W[a] ?? 0;
      const Wb = this.W[b] ?? 0;
      const dV = this.viol(Wa - l) + this.viol(Wb + l) - this.viol(Wa) - this.viol(Wb);
      const dQ = (Wa - l - m) ** 2 + (Wb + l - m) ** 2 - (Wa - m) ** 2 - (Wb - m) ** 2;
      let d = (1e4 * dV) / m + (this.lamQ * dQ) / (m * m) + (this.cost(i, b) + this.cost(j, a) - this.cost(i, a) - this.cost(j, b)) / this.D0;
      if (this.lamC > 0) {
        let adj = 0;
        for (let p = this.off[i] ?? 0; p < (this.off[i + 1] ?? 0); p++) if (this.nb[p] === j) adj = 1;
        d += (this.lamC * (this.nbIn(i, a) - this.nbIn(i, b) + this.nbIn(j, b) - this.nbIn(j, a) + 2 * adj)) / this.E0;
      }
      if (this.cur) {
        const unit = this.lamD / this.wdTotal;
        if (this.cur[i] === b) d -= unit * (this.wd[i] ?? 0);
        else if (this.cur[i] === a) d += unit * (this.wd[i] ?? 0);
        if (this.cur[j] === a) d -= unit * (this.wd[j] ?? 0);
        else if (this.cur[j] === b) d += unit * (this.wd[j] ?? 0);
      }
      if (d < best) {
        best = d;
        bestJ = j;
      }
    }
    if (bestJ < 0) return false;
    const b = this.terr[bestJ] ?? 0;
    const movedBefore = this.moved;
    if (!this.canRemove(i)) return false;
    this.set(i, b);
    const jHasA = (): boolean => {
      if (!this.contiguity || this.island[bestJ]) return true;
      for (let p = this.off[bestJ] ?? 0; p < (this.off[bestJ + 1] ?? 0); p++) if (this.terr[this.nb[p] ?? 0] === a) return true;
      return (this.size[a] ?? 0) === 0;
    };
    if (!this.canRemove(bestJ) || !jHasA()) {
      this.set(i, a);
      return false;
    }
    this.set(bestJ, a);
    if (this.cur && this.maxMoved >= 0 && this.moved > Math.max(this.maxMoved, movedBefore)) {
      this.set(bestJ, b);
      this.set(i, a);
      return false;
    }
    this.moves += 2;
    return true;
  }

  /** Local descent (moves, then swaps) until no improving move remains. Returns false when stopped. */
  descend(order: Int32Array, stop: () => boolean): boolean {
    const cands: number[] = [];
    for (;;) {
      let changed = 0;
      for (let s = 0; s < order.length; s++) {
        if ((s & 1023) === 0 && stop()) return false;
        if (this.tryMove(order[s] ?? 0, cands)) changed++;
      }
      if (changed > 0) continue;
      for (let s = 0; s < order.length; s++) {
        if ((s & 255) === 0 && stop()) return false;
        if (this.trySwap(order[s] ?? 0)) changed++;
      }
      if (changed === 0) return true;
    }
  }

  /**
   * Local descent driven by a work list: starts from `seeds`, and re-examines the neighbours of every
   * area that moves. Much cheaper than a full sweep after a local shake on large graphs.
   */
  descendFrom(seeds: readonly number[], stop: () => boolean): boolean {
    const { off, nb } = this;
    const inQueue = this.inQueue;
    const work: number[] = [];
    const push = (v: number): void => {
      if (!inQueue[v]) {
        inQueue[v] = 1;
        work.push(v);
      }
    };
    for (const v of seeds) {
      push(v);
      for (let p = off[v] ?? 0; p < (off[v + 1] ?? 0); p++) push(nb[p] ?? 0);
    }
    const cands: number[] = [];
    let steps = 0;
    let ok = true;
    while (work.length > 0) {
      if ((++steps & 1023) === 0 && stop()) {
        ok = false;
        break;
      }
      const i = work.pop() ?? 0;
      inQueue[i] = 0;
      if (this.tryMove(i, cands) || this.trySwap(i)) {
        push(i);
        for (let p = off[i] ?? 0; p < (off[i + 1] ?? 0); p++) push(nb[p] ?? 0);
      }
    }
    for (const v of work) inQueue[v] = 0;
    return ok;
  }

  snapshot(): Snapshot {
    return { terr: this.terr.slice(), V: this.violation(), f: this.objective() };
  }
}

const better = (a: Snapshot, b: Snapshot | undefined): boolean => !b || a.V < b.V - 1e-9 || (a.V <= b.V + 1e-9 && a.f < b.f - 1e-12);

const shuffled = (n: number, random: () => number): Int32Array => {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = order[i] ?? 0;
    order[i] = order[j] ?? 0;
    order[j] = t;
  }
  return order;
};

/** Weighted k-means++ then a few Lloyd rounds: k spread centres (fixed ones stay). */
const seedCentres = (s: Search, random: () => number): void => {
  const { n, k, px, py, wd, fixedC, cx, cy } = s;
  const free: number[] = [];
  const d2 = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
  const chosen: number[] = [];
  for (let t = 0; t < k; t++) {
    if (fixedC[t]) chosen.push(t);
    else free.push(t);
  }
  const refresh = (t: number): void => {
    for (let i = 0; i < n; i++) {
      const d = ((px[i] ?? 0) - (cx[t] ?? 0)) ** 2 + ((py[i] ?? 0) - (cy[t] ?? 0)) ** 2;
      if (d < (d2[i] ?? 0)) d2[i] = d;
    }
  };
  for (const t of chosen) refresh(t);
  for (const t of free) {
    let total = 0;
    for (let i = 0; i < n; i++) total += (wd[i] ?? 0) * (Number.isFinite(d2[i] ?? 0) ? (d2[i] ?? 0) : 1);
    let r = random() * total;
    let pick = n - 1;
    for (let i = 0; i < n; i++) {
      r -= (wd[i] ?? 0) * (Number.isFinite(d2[i] ?? 0) ? (d2[i] ?? 0) : 1);
      if (r <= 0) {
        pick = i;
        break;
      }
    }
    cx[t] = px[pick] ?? 0;
    cy[t] = py[pick] ?? 0;
    refresh(t);
  }
  // Lloyd rounds on the weighted points.
  const sx = new Float64Array(k);
  const sy = new Float64Array(k);
  const sw = new Float64Array(k);
  for (let round = 0; round < 6; round++) {
    sx.fill(0);
    sy.fill(0);
    sw.fill(0);
    for (let i = 0; i < n; i++) {
      let best = 0;
      let bd = Number.POSITIVE_INFINITY;
      for (let t = 0; t < k; t++) {
        const d = ((px[i] ?? 0) - (cx[t] ?? 0)) ** 2 + ((py[i] ?? 0) - (cy[t] ?? 0)) ** 2;
        if (d < bd) {
          bd = d;
          best = t;
        }
      }
      const w = wd[i] ?? 0;
      sx[best] = (sx[best] ?? 0) + w * (px[i] ?? 0);
      sy[best] = (sy[best] ?? 0) + w * (py[i] ?? 0);
      sw[best] = (sw[best] ?? 0) + w;
    }
    for (const t of free) {
      if ((sw[t] ?? 0) > 0) {
        cx[t] = (sx[t] ?? 0) / (sw[t] ?? 1);
        cy[t] = (sy[t] ?? 0) / (sw[t] ?? 1);
      }
    }
  }
};

/**
 * Region growing from one seed per territory: the lightest territory that can grow takes its
 * nearest free neighbouring area (GRASP-randomised by `noise`). Areas no territory reaches
 * (other components) go to the nearest centre.
 */
const growRegions = (s: Search, random: () => number, noise: number, seeds: Int32Array): void => {
  const { n, k, off, nb, px, py, cx, cy, terr } = s;
  const heaps = Array.from({ length: k }, () => new Heap());
  const key = (i: number, t: number): number => Math.hypot((px[i] ?? 0) - (cx[t] ?? 0), (py[i] ?? 0) - (cy[t] ?? 0)) * (1 + noise * random());
  const pushNeighbours = (i: number, t: number): void => {
    for (let p = off[i] ?? 0; p < (off[i + 1] ?? 0); p++) {
      const j = nb[p] ?? 0;
      if ((terr[j] ?? 0) < 0) heaps[t]?.push(key(j, t), j);
    }
  };
  for (let i = 0; i < n; i++) {
    const t = terr[i] ?? -1;
    if (t >= 0) pushNeighbours(i, t);
  }
  for (let t = 0; t < k; t++) {
    const seed = seeds[t] ?? -1;
    if (seed >= 0 && (terr[seed] ?? 0) < 0) {
      s.set(seed, t);
      pushNeighbours(seed, t);
    }
  }
  for (;;) {
    let best = -1;
    let bw = Number.POSITIVE_INFINITY;
    for (let t = 0; t < k; t++) {
      const h = heaps[t];
      if (!h) continue;
      while (h.size > 0 && (terr[h.peek()] ?? 0) >= 0) h.pop();
      if (h.size > 0 && (s.W[t] ?? 0) < bw) {
        bw = s.W[t] ?? 0;
        best = t;
      }
    }
    if (best < 0) break;
    const i = heaps[best]?.pop() ?? 0;
    s.set(i, best);
    pushNeighbours(i, best);
  }
  // Unreached areas (islands, components without a seed): whole components to the nearest, lightest territory.
  const stack: number[] = [];
  for (let i0 = 0; i0 < n; i0++) {
    if ((terr[i0] ?? 0) >= 0) continue;
    let bt = 0;
    let bd = Number.POSITIVE_INFINITY;
    for (let t = 0; t < k; t++) {
      const d = Math.hypot((px[i0] ?? 0) - (cx[t] ?? 0), (py[i0] ?? 0) - (cy[t] ?? 0)) * (1 + Math.max(0, ((s.W[t] ?? 0) - s.mean) / s.mean));
      if (d < bd) {
        bd = d;
        bt = t;
      }
    }
    s.set(i0, bt);
    stack.push(i0);
    while (stack.length > 0) {
      const v = stack.pop() ?? 0;
      for (let p = off[v] ?? 0; p < (off[v + 1] ?? 0); p++) {
        const w = nb[p] ?? 0;
        if ((terr[w] ?? 0) < 0) {
          s.set(w, bt);
          stack.push(w);
        }
      }
    }
  }
};

/** Greedy capacitated assignment (no contiguity): heaviest areas first, cheapest territory with room. */
const greedyAssign = (s: Search, random: () => number, noise: number): void => {
  const { n, k, terr } = s;
  const order = Array.from({ length: n }, (_, i) => i).filter((i) => (terr[i] ?? 0) < 0);
  order.sort((a, b) => (s.load[b] ?? 0) - (s.load[a] ?? 0));
  for (const i of order) {
    let bt = -1;
    let bc = Number.POSITIVE_INFINITY;
    let lightest = 0;
    for (let t = 0; t < k; t++) {
      if ((s.W[t] ?? 0) < (s.W[lightest] ?? 0)) lightest = t;
      if ((s.W[t] ?? 0) + (s.load[i] ?? 0) > s.hi) continue;
      const c = s.cost(i, t) * (1 + noise * random());
      if (c < bc) {
        bc = c;
        bt = t;
      }
    }
    s.set(i, bt >= 0 ? bt : lightest);
  }
  // No empty territory: give each empty one its cheapest movable area.
  for (let t = 0; t < k; t++) {
    if ((s.size[t] ?? 0) > 0) continue;
    let bi = -1;
    let bc = Number.POSITIVE_INFINITY;
    for (let i = 0; i < n; i++) {
      const a = terr[i] ?? 0;
      if ((s.lockedT[i] ?? -1) >= 0 || (s.size[a] ?? 0) <= 1) continue;
      const c = s.cost(i, t) - s.cost(i, a);
      if (c < bc) {
        bc = c;
        bi = i;
      }
    }
    if (bi >= 0) s.set(bi, t);
  }
};

/**
 * Splits off the detached pieces of each territory (all but its heaviest piece, or the one holding
 * its locked areas) and gives their areas to adjacent territories, so that a current plan or a
 * construction becomes contiguous. Locked areas never move.
 */
const repairContiguity = (s: Search): void => {
  if (!s.contiguity) return;
  const { n, k, off, nb, terr } = s;
  for (let round = 0; round < 5; round++) {
    const piece = new Int32Array(n).fill(-1);
    const pieceLoad: number[] = [];
    const pieceLocked: number[] = [];
    const pieceTerr: number[] = [];
    const stack: number[] = [];
    for (let i = 0; i < n; i++) {
      if (piece[i] !== -1 || s.island[i]) continue;
      const id = pieceLoad.length;
      const t = terr[i] ?? 0;
      pieceLoad.push(0);
      pieceLocked.push(0);
      pieceTerr.push(t);
      piece[i] = id;
      stack.push(i);
      while (stack.length > 0) {
        const v = stack.pop() ?? 0;
        pieceLoad[id] = (pieceLoad[id] ?? 0) + (s.wd[v] ?? 0);
        if ((s.lockedT[v] ?? -1) >= 0) pieceLocked[id] = (pieceLocked[id] ?? 0) + 1;
        for (let p = off[v] ?? 0; p < (off[v + 1] ?? 0); p++) {
          const w = nb[p] ?? 0;
          if (piece[w] === -1 && terr[w] === t) {
            piece[w] = id;
            stack.push(w);
          }
        }
      }
    }
    const keep = new Int32Array(k).fill(-1);
    for (let id = 0; id < pieceLoad.length; id++) {
      const t = pieceTerr[id] ?? 0;
      const cur = keep[t] ?? -1;
      const score = (pieceLocked[id] ?? 0) * 1e18 + (pieceLoad[id] ?? 0);
      if (cur < 0 || score > (pieceLocked[cur] ?? 0) * 1e18 + (pieceLoad[cur] ?? 0)) keep[t] = id;
    }
    let detached = 0;
    const pending = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const id = piece[i] ?? -1;
      if (id >= 0 && keep[terr[i] ?? 0] !== id && (s.lockedT[i] ?? -1) < 0) {
        pending[i] = 1;
        detached++;
      }
    }
    if (detached === 0) return;
    // Hand pending areas to an adjacent non-pending territory, layer by layer.
    let progress = true;
    while (progress) {
      progress = false;
      for (let i = 0; i < n; i++) {
        if (!pending[i]) continue;
        let bt = -1;
        let bw = Number.POSITIVE_INFINITY;
        for (let p = off[i] ?? 0; p < (off[i + 1] ?? 0); p++) {
          const j = nb[p] ?? 0;
          const t = terr[j] ?? 0;
          if (pending[j] || t === terr[i]) continue;
          if ((s.W[t] ?? 0) < bw) {
            bw = s.W[t] ?? 0;
            bt = t;
          }
        }
        if (bt >= 0) {
          s.set(i, bt);
          pending[i] = 0;
          progress = true;
        }
      }
    }
  }
};

const resolveAnchor = (graph: AreaGraph, anchor: Anchor, t: number, index: ReadonlyMap<string, number>): { area: number; x: number; y: number } => {
  if ('area' in anchor) {
    const i = index.get(anchor.area);
    const a = i === undefined ? undefined : graph.areas[i];
    if (i === undefined || !a) throw new AppError('VALIDATION', `Anchor of territory ${String(t + 1)} names an unknown area '${anchor.area}'`, { details: { territory: t } });
    return { area: i, x: a.x, y: a.y };
  }
  let x: number;
  let y: number;
  if ('x' in anchor) {
    x = anchor.x;
    y = anchor.y;
  } else {
    if (!graph.project) throw new AppError('VALIDATION', `Anchor of territory ${String(t + 1)} is given in longitude/latitude but these areas have no map projection: give x/y or an area`);
    [x, y] = graph.project(anchor.lng, anchor.lat);
  }
  if (!Number.isFinite(x) || !Number.isFinite(y)) throw new AppError('VALIDATION', `Anchor of territory ${String(t + 1)} is not a finite point`, { details: { territory: t } });
  let best = -1;
  let bd = Number.POSITIVE_INFINITY;
  graph.areas.forEach((a, i) => {
    const d = (a.x - x) ** 2 + (a.y - y) ** 2;
    if (d < bd) {
      bd = d;
      best = i;
    }
  });
  return { area: best, x, y };
};

/** The search, as a generator that yields between slices of work (see the two drivers below). */
function* designSteps(graph: AreaGraph, options: DesignOptions): Generator<undefined, TerritoryPlan, undefined> {
  const t0 = performance.now();
  let lastYield: number;
  const c0 = process.cpuUsage();
  const n = graph.areas.length;
  const { k } = options;
  if (!Number.isInteger(k) || k < 1) throw new AppError('VALIDATION', `The number of territories must be a whole number ≥ 1 (got ${String(k)})`, { details: { k } });
  if (n === 0) throw new AppError('VALIDATION', 'There are no areas to divide into territories');
  if (k > n) throw new AppError('VALIDATION', `Cannot make ${String(k)} territories from ${String(n)} areas: choose at most ${String(n)} territories or smaller areas`, { details: { k, areas: n } });
  const tolerance = options.tolerance ?? 0.05;
  if (!Number.isFinite(tolerance) || tolerance < 0 || tolerance >= 1) throw new AppError('VALIDATION', `The balance tolerance must be between 0 and 1 (e.g. 0.05 for ±5 %), got ${String(tolerance)}`);
  const loads = areaLoads(graph.areas, options.measure ?? 'workload');
  const index = new Map(graph.areas.map((a, i) => [a.id, i]));
  const territoryOk = (t: number): boolean => Number.isInteger(t) && t >= 0 && t < k;

  const lockedT = new Int32Array(n).fill(-1);
  for (const [id, t] of toMap(options.locked)) {
    const i = index.get(id);
    if (i === undefined) throw new AppError('VALIDATION', `Locked area '${id}' is not one of the areas`, { details: { area: id } });
    if (!territoryOk(t)) throw new AppError('VALIDATION', `Locked area '${id}' names territory ${String(t)}, outside 0..${String(k - 1)}`, { details: { area: id, territory: t } });
    lockedT[i] = t;
  }
  const centres: ({ x: number; y: number } | null)[] = Array.from({ length: k }, () => null);
  const seeds = new Int32Array(k).fill(-1);
  if (options.anchors) {
    if (options.anchors.length !== k) throw new AppError('VALIDATION', `Give one anchor per territory (${String(k)}), null for a free one; got ${String(options.anchors.length)}`);
    const owner = new Map<number, number>();
    options.anchors.forEach((anchor, t) => {
      if (!anchor) return;
      const r = resolveAnchor(graph, anchor, t, index);
      centres[t] = { x: r.x, y: r.y };
      const other = owner.get(r.area);
      const lk = lockedT[r.area] ?? -1;
      if ('area' in anchor) {
        if (other !== undefined) throw new AppError('VALIDATION', `Anchors of territories ${String(other + 1)} and ${String(t + 1)} name the same area '${anchor.area}'`);
        if (lk >= 0 && lk !== t) throw new AppError('VALIDATION', `Area '${anchor.area}' is locked to territory ${String(lk + 1)} but is the anchor of territory ${String(t + 1)}`);
      } else if (other !== undefined || (lk >= 0 && lk !== t)) {
        // Two reps living in one area (or a home in an area locked elsewhere): the territory keeps its
        // centre at the home and starts from the nearest free area, which is not locked.
        let best = -1;
        let bd = Number.POSITIVE_INFINITY;
        graph.areas.forEach((a, i) => {
          if (owner.has(i) || (lockedT[i] ?? -1) >= 0) return;
          const d = (a.x - r.x) ** 2 + (a.y - r.y) ** 2;
          if (d < bd) {
            bd = d;
            best = i;
          }
        });
        if (best >= 0) {
          owner.set(best, t);
          seeds[t] = best;
        }
        return;
      }
      owner.set(r.area, t);
      lockedT[r.area] = t;
      seeds[t] = r.area;
    });
  }
  let cur: Int32Array | null = null;
  if (options.current) {
    cur = new Int32Array(n).fill(-1);
    for (const [id, t] of toMap(options.current)) {
      const i = index.get(id);
      if (i === undefined) throw new AppError('VALIDATION', `The current plan names an unknown area '${id}'`, { details: { area: id } });
      if (!territoryOk(t)) throw new AppError('VALIDATION', `The current plan puts area '${id}' in territory ${String(t)}, outside 0..${String(k - 1)}`);
      cur[i] = t;
    }
  }
  let costs: Float64Array | null = null;
  if (options.costs) {
    if (options.costs.length !== n) throw new AppError('VALIDATION', `The cost matrix needs one row per area (${String(n)}), got ${String(options.costs.length)}`);
    const matrix = new Float64Array(n * k);
    costs = matrix;
    options.costs.forEach((row, i) => {
      if (row.length !== k) throw new AppError('VALIDATION', `Cost row ${String(i)} needs ${String(k)} values (one per territory)`);
      row.forEach((c, t) => {
        if (!Number.isFinite(c)) throw new AppError('VALIDATION', `Cost of area ${String(i)} in territory ${String(t)} is not a finite number`);
        matrix[i * k + t] = c;
      });
    });
  }
  const lamD = options.disruption?.weight ?? 0;
  const maxMoved = options.disruption?.maxMoved ?? -1;
  if (!Number.isFinite(lamD) || lamD < 0) throw new AppError('VALIDATION', 'The disruption weight must be ≥ 0');
  if (maxMoved !== -1 && (!Number.isInteger(maxMoved) || maxMoved < 0)) throw new AppError('VALIDATION', 'The maximum number of moved areas must be a whole number ≥ 0');
  if ((lamD > 0 || maxMoved >= 0) && !cur) throw new AppError('VALIDATION', 'Limiting disruption needs the current plan');
  const contiguity = options.contiguity ?? true;
  const shapeWeight = options.shapeWeight ?? 0.07;
  if (!Number.isFinite(shapeWeight) || shapeWeight < 0) throw new AppError('VALIDATION', 'The shape weight must be a number ≥ 0');

  const timeLimit = options.timeLimitMs ?? 20_000;
  const deadline = t0 + timeLimit;
  let stoppedBy: TerritoryPlan['stats']['stoppedBy'] = 'converged';
  const stop = (): boolean => {
    if (options.signal?.aborted) {
      stoppedBy = 'cancelled';
      return true;
    }
    if (performance.now() > deadline) {
      stoppedBy = 'time';
      return true;
    }
    return false;
  };
  const random = rng(options.seed ?? 1);
  const starts = Math.max(1, options.starts ?? (n <= 500 ? 4 : n <= 5000 ? 3 : 1));
  const patience = options.patience ?? (n > 5000 ? 60 : 200);
  const s = new Search(graph, k, loads, tolerance, costs, lockedT, cur, contiguity, centres, lamD, maxMoved);
  const grow = contiguity && !costs;

  let best: Snapshot | undefined;
  let rounds = 0;
  let startsDone = 0;
  const fromCurrent = cur !== null;
  for (let st = 0; st < starts + (fromCurrent ? 1 : 0); st++) {
    if (st > 0 && stop()) break;
    const useCurrent = fromCurrent && st === 0;
    if (!useCurrent && maxMoved >= 0) break;
    startsDone++;
    // Construction.
    s.terr.fill(-1);
    s.W.fill(0);
    s.size.fill(0);
    s.moved = 0;
    for (let t = 0; t < k; t++) {
      const c = centres[t];
      if (c) {
        s.cx[t] = c.x;
        s.cy[t] = c.y;
      }
    }
    for (let i = 0; i < n; i++) if ((lockedT[i] ?? -1) >= 0) s.set(i, lockedT[i] ?? 0);
    if (useCurrent && cur) {
      for (let i = 0; i < n; i++) if ((s.terr[i] ?? -1) < 0 && (cur[i] ?? -1) >= 0) s.set(i, cur[i] ?? 0);
      s.updateCentres();
    } else if (!costs) {
      seedCentres(s, random);
    }
    const noise = st === (fromCurrent ? 1 : 0) ? 0 : 0.3;
    if (grow) {
      const seedsNow = seeds.slice();
      const taken = new Uint8Array(n);
      for (let i = 0; i < n; i++) if ((s.terr[i] ?? -1) >= 0) taken[i] = 1;
      for (let t = 0; t < k; t++) {
        if ((seedsNow[t] ?? -1) >= 0 || (s.size[t] ?? 0) > 0) continue;
        let bi = -1;
        let bd = Number.POSITIVE_INFINITY;
        for (let i = 0; i < n; i++) {
          if (taken[i]) continue;
          const d = ((s.px[i] ?? 0) - (s.cx[t] ?? 0)) ** 2 + ((s.py[i] ?? 0) - (s.cy[t] ?? 0)) ** 2;
          if (d < bd) {
            bd = d;
            bi = i;
          }
        }
        if (bi >= 0) {
          seedsNow[t] = bi;
          taken[bi] = 1;
        }
      }
      growRegions(s, random, noise, seedsNow);
      // Under a hard cap on moved areas a non-contiguous current plan stays as it is (reported).
      if (!(useCurrent && maxMoved >= 0)) repairContiguity(s);
    } else {
      greedyAssign(s, random, noise);
    }
    s.updateCentres();
    // Count moves against the current plan from scratch (locked areas placed against it count).
    s.load_(s.terr.slice());
    // Normalise dispersion by the first construction's value.
    if (st === 0) {
      let D = 0;
      for (let i = 0; i < n; i++) D += s.cost(i, s.terr[i] ?? 0);
      s.D0 = D > 0 ? D : 1;
      s.E0 = n;
      s.lamC = shapeWeight;
    }
    // Local search, then iterated local search with local shakes.
    const order = shuffled(n, random);
    const settle = (): boolean => {
      for (let r = 0; r < 8; r++) {
        const movesBefore = s.moves;
        if (!s.descend(order, stop)) return false;
        const cx = s.cx.slice();
        const cy = s.cy.slice();
        s.updateCentres();
        let shift = 0;
        for (let t = 0; t < k; t++) shift += Math.hypot((s.cx[t] ?? 0) - (cx[t] ?? 0), (s.cy[t] ?? 0) - (cy[t] ?? 0));
        if (s.moves === movesBefore || shift < 1e-9 || costs) return true;
      }
      return true;
    };
    settle();
    yield;
    lastYield = performance.now();
    let local = s.snapshot();
    let sinceBest = 0;
    const cands: number[] = [];
    const localMode = contiguity && n > 2000;
    const span = Math.max(2, Math.min(30, Math.round(Math.sqrt(n / k))));
    while (sinceBest < patience && !stop()) {
      rounds++;
      // Shake: a short random walk of feasible moves ignoring the objective.
      const touched: number[] = [];
      let i = Math.floor(random() * n);
      for (let m = 0; m < span; m++) {
        const a = s.terr[i] ?? 0;
        if ((lockedT[i] ?? -1) < 0 && (s.size[a] ?? 0) > 1) {
          s.candidates(i, cands);
          if (cands.length > 0) {
            const b = cands[Math.floor(random() * cands.length)] ?? 0;
            if (s.budgetAllows(i, a, b) && s.canRemove(i)) {
              s.set(i, b);
              touched.push(i);
            }
          }
        }
        const deg = (graph.offsets[i + 1] ?? 0) - (graph.offsets[i] ?? 0);
        i = contiguity && deg > 0 ? (graph.neighbours[(graph.offsets[i] ?? 0) + Math.floor(random() * deg)] ?? 0) : Math.floor(random() * n);
      }
      if (!(localMode ? s.descendFrom(touched, stop) : settle())) break;
      const snap = s.snapshot();
      if (better(snap, local)) {
        const significant = snap.V < local.V - 1e-9 || snap.f < local.f - 1e-5 * Math.abs(local.f);
        local = snap;
        sinceBest = significant ? 0 : sinceBest + 1;
      } else {
        sinceBest++;
        s.load_(local.terr);
      }
      if (performance.now() - lastYield > 25) {
        yield;
        lastYield = performance.now();
      }
      if (localMode && rounds % 50 === 0) {
        // Move the centres to the new territories, then re-optimise everywhere.
        if (!settle()) break;
        local = s.snapshot();
      }
    }
    if (localMode) {
      s.load_(local.terr);
      settle();
      const snap = s.snapshot();
      if (better(snap, local)) local = snap;
    }
    if (better(local, best)) best = local;
  }
  const final = best ?? s.snapshot();
  const assignment = final.terr;
  const metrics = planMetrics(graph, assignment, k, { loads, centres, ...(cur ? { current: cur } : {}), ...(costs ? { costs } : {}) });
  const violations: Violation[] = [];
  const lockedLoad = new Float64Array(k);
  for (let i = 0; i < n; i++) if ((lockedT[i] ?? -1) >= 0) lockedLoad[lockedT[i] ?? 0] = (lockedLoad[lockedT[i] ?? 0] ?? 0) + (loads[i] ?? 0);
  for (const tm of metrics.territories) {
    if (Math.abs(tm.deviation) > tolerance + 1e-9) {
      const pct = (tm.deviation * 100).toFixed(1);
      const locked = (lockedLoad[tm.territory] ?? 0) / metrics.meanLoad;
      const why = locked > 1 + tolerance ? ` (its locked areas alone weigh ${(locked * 100).toFixed(0)} % of the mean)` : '';
      violations.push({
        kind: 'balance',
        territory: tm.territory,
        deviation: tm.deviation,
        message: `Territory ${String(tm.territory + 1)} is ${tm.deviation > 0 ? '+' : ''}${pct} % from the mean load, outside ±${(tolerance * 100).toFixed(0)} %${why}`,
      });
    }
    if (contiguity && tm.pieces > 1) {
      violations.push({ kind: 'contiguity', territory: tm.territory, pieces: tm.pieces, message: `Territory ${String(tm.territory + 1)} is in ${String(tm.pieces)} separate pieces` });
    }
  }
  const cpu = process.cpuUsage(c0);
  return {
    k,
    assignment,
    metrics,
    violations,
    stats: { starts: startsDone, rounds, moves: s.moves, timeMs: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000, stoppedBy },
  };
}

/**
 * Designs k territories over the areas of `graph`: balanced on the chosen measure (±τ of the mean),
 * compact (load-weighted distance to the territory centre), contiguous on the adjacency graph,
 * respecting locked areas, optionally close to a current plan. Multi-start GRASP construction
 * (k-means++ seeds, balanced region growing) then iterated local search (boundary moves and swaps
 * under an articulation check, penalised objective with balance ≫ dispersion). Deterministic for a seed.
 * Never throws for an infeasible balance: the best plan comes back with its violations named.
 * Synchronous: blocks the thread up to `timeLimitMs`; see `designTerritoriesAsync` to stay responsive.
 * @example designTerritories(graph, { k: 8, measure: 'workload', tolerance: 0.05 })
 */
export const designTerritories = (graph: AreaGraph, options: DesignOptions): TerritoryPlan => {
  const steps = designSteps(graph, options);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
};

/**
 * Same as `designTerritories`, but hands the event loop back every ~25 ms, so that a server stays
 * responsive and `signal.abort()` (from a request close, a button) takes effect within one slice.
 * `stats.cpuMs` then also counts whatever else ran in between.
 * @example await designTerritoriesAsync(graph, { k: 8, signal: AbortSignal.timeout(5000) })
 */
export const designTerritoriesAsync = async (graph: AreaGraph, options: DesignOptions): Promise<TerritoryPlan> => {
  const steps = designSteps(graph, options);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
};

/**
 * A plan as area id → territory, e.g. to store it or to pass it back as `current`.
 * @example designTerritories(graph, { k: 4, current: assignmentById(graph, previous.assignment) })
 */
export const assignmentById = (graph: AreaGraph, assignment: ArrayLike<number>): Map<string, number> =>
  new Map(graph.areas.map((a, i) => [a.id, assignment[i] ?? -1]));
