import { breakEarliest, earliestStart, latestStart, type Model, type SlotModel } from './model.ts';

/** Travel on a flat matrix; -1 (no start / no end) travels for free. */
export const travel = (mat: Float64Array, m: number, a: number, b: number): number => (a < 0 || b < 0 ? 0 : (mat[a * m + b] ?? 0));

/**
 * A route under construction, with its cached forward/backward data so that inserting one
 * job is checked in O(dims) time (Savelsbergh-style earliest start / latest departure).
 * Positions: 0 = start, 1..len = jobs, len + 1 = end. Breaks are ignored by the cached
 * data (a relaxation); routes with breaks are confirmed by `simulate`.
 */
export class RouteState {
  readonly slot: SlotModel;
  jobs: number[] = [];
  /**
   * Per-position caches, valid for positions 0..len + 1 (typed arrays with spare capacity,
   * reallocated when the route outgrows them). Location per position (-1 for a missing start/end).
   */
  locs: Int32Array = new Int32Array(0);
  /** Earliest start of work per position (position 0: departure; end: arrival). */
  early: Float64Array = new Float64Array(0);
  /** Work duration at the position (setup + service). */
  work: Float64Array = new Float64Array(0);
  /** Latest departure per position keeping the rest feasible (end: shift end). */
  lateDep: Float64Array = new Float64Array(0);
  /** Prefix sums of travel time, distance and cost up to the position. */
  cumTravel: Float64Array = new Float64Array(0);
  cumDist: Float64Array = new Float64Array(0);
  cumCost: Float64Array = new Float64Array(0);
  /** Load after position k, per dim: loads[k * dims + d], k = 0..len. */
  loads: Float64Array = new Float64Array(0);
  /** Cumulated deliveries / pickups of the jobs at positions 1..k, per dim. */
  cumDel: Float64Array = new Float64Array(0);
  cumPick: Float64Array = new Float64Array(0);
  prefMax: Float64Array = new Float64Array(0);
  sufMax: Float64Array = new Float64Array(0);
  travel = 0;
  distance = 0;
  cost = 0;
  feasible = true;
  private readonly scratch: number[] = [];
  private sim: SimState = newSimState(0);
  /** True when `sim` holds the recorded break schedule of the current jobs (feasible route with breaks). */
  private simValid = false;
  /** Start/end actually used: differ from the slot's around overnight stays (-1 = none). */
  startLoc: number;
  endLoc: number;
  /** Cost of the night after this shift when the vehicle stays out. */
  nightCost = 0;
  /** True when the vehicle stays overnight near its last visit after this shift. */
  overnightAfter = false;

  constructor(slot: SlotModel) {
    this.slot = slot;
    this.startLoc = slot.start;
    this.endLoc = slot.end;
  }

  get length(): number {
    return this.jobs.length;
  }

  /**
   * Recomputes every cache from `jobs`. O(len · dims). `unchangedBefore` = k promises that the
   * first k jobs and the start are those of the previous update: the break schedule then resumes
   * its recorded state at k instead of starting over.
   */
  update(md: Model, unchangedBefore = 0): void {
    const { slot } = this;
    const { m, dims } = md;
    const len = this.jobs.length;
    if (this.locs.length < len + 2) {
      const cap = Math.max(len + 2, 2 * this.locs.length);
      this.locs = new Int32Array(cap);
      this.early = new Float64Array(cap);
      this.work = new Float64Array(cap);
      this.lateDep = new Float64Array(cap);
      this.cumTravel = new Float64Array(cap);
      this.cumDist = new Float64Array(cap);
      this.cumCost = new Float64Array(cap);
    }
    const locs = this.locs;
    locs[0] = this.startLoc;
    for (let k = 0; k < len; k++) locs[k + 1] = md.loc[this.jobs[k] ?? 0] ?? 0;
    locs[len + 1] = this.endLoc;
    const early = this.early;
    const work = this.work;
    const cumTravel = this.cumTravel;
    const cumDist = this.cumDist;
    const cumCost = this.cumCost;
    early[0] = slot.twStart;
    work[0] = 0;
    cumTravel[0] = 0;
    cumDist[0] = 0;
    cumCost[0] = 0;
    let feasible = true;
    let prevLoc = this.startLoc;
    let t = slot.twStart;
    for (let k = 1; k <= len + 1; k++) {
      const l = locs[k] ?? -1;
      const tt = travel(slot.dur, m, prevLoc, l);
      cumTravel[k] = (cumTravel[k - 1] ?? 0) + tt;
      cumDist[k] = (cumDist[k - 1] ?? 0) + travel(slot.dist, m, prevLoc, l);
      cumCost[k] = (cumCost[k - 1] ?? 0) + travel(slot.cost, m, prevLoc, l);
      const arr = t + tt;
      if (k <= len) {
        const j = this.jobs[k - 1] ?? 0;
        const s = earliestStart(md, j, arr);
        if (s === Infinity) feasible = false;
        early[k] = s;
        const w = (md.service[j] ?? 0) + (prevLoc !== l ? (md.setup[j] ?? 0) : 0);
        work[k] = w;
        t = s + w;
        prevLoc = l;
      } else {
        early[k] = len === 0 ? slot.twStart : arr;
        work[k] = 0;
        if (arr > slot.twEnd) feasible = false;
      }
    }
    const lateDep = this.lateDep;
    lateDep[len + 1] = slot.twEnd;
    let latestArrNext = slot.twEnd;
    for (let k = len; k >= 0; k--) {
      const ld = latestArrNext - travel(slot.dur, m, locs[k] ?? -1, locs[k + 1] ?? -1);
      lateDep[k] = ld;
      if (k >= 1) latestArrNext = latestStart(md, this.jobs[k - 1] ?? 0, ld - (work[k] ?? 0));
    }
    if ((lateDep[0] ?? 0) < slot.twStart) feasible = false;
    this.travel = len === 0 ? 0 : (cumTravel[len + 1] ?? 0);
    this.distance = len === 0 ? 0 : (cumDist[len + 1] ?? 0);
    this.cost = len === 0 ? 0 : (cumCost[len + 1] ?? 0) + slot.fixed + this.nightCost;
    if (len > 0 && (this.travel > slot.maxTravel || this.distance > slot.maxDistance || len > slot.maxTasks)) feasible = false;

    if (dims > 0) {
      const size = (len + 1) * dims;
      if (this.loads.length < size) {
        const cap = Math.max(size, this.loads.length * 2);
        this.loads = new Float64Array(cap);
        this.prefMax = new Float64Array(cap);
        this.sufMax = new Float64Array(cap);
        this.cumDel = new Float64Array(cap);
        this.cumPick = new Float64Array(cap);
      }
      const { loads, prefMax, sufMax, cumDel, cumPick } = this;
      for (let d = 0; d < dims; d++) {
        cumDel[d] = 0;
        cumPick[d] = 0;
        for (let k = 1; k <= len; k++) {
          const j = this.jobs[k - 1] ?? 0;
          cumDel[k * dims + d] = (cumDel[(k - 1) * dims + d] ?? 0) + (md.delivery[j * dims + d] ?? 0);
          cumPick[k * dims + d] = (cumPick[(k - 1) * dims + d] ?? 0) + (md.pickup[j * dims + d] ?? 0);
        }
        let l0 = 0;
        for (let k = 0; k < len; k++) l0 += md.delivery[(this.jobs[k] ?? 0) * dims + d] ?? 0;
        loads[d] = l0;
        for (let k = 1; k <= len; k++) {
          const j = this.jobs[k - 1] ?? 0;
          loads[k * dims + d] = (loads[(k - 1) * dims + d] ?? 0) - (md.delivery[j * dims + d] ?? 0) + (md.pickup[j * dims + d] ?? 0);
        }
        let pm = -Infinity;
        for (let k = 0; k <= len; k++) {
          const x = loads[k * dims + d] ?? 0;
          if (x > pm) pm = x;
          prefMax[k * dims + d] = pm;
        }
        let sm = -Infinity;
        for (let k = len; k >= 0; k--) {
          const x = loads[k * dims + d] ?? 0;
          if (x > sm) sm = x;
          sufMax[k * dims + d] = sm;
        }
        if (pm > (slot.capacity[d] ?? Infinity)) feasible = false;
      }
    }
    if (feasible && len > 0 && slot.breaks.length > 0) {
      let resume: { state: SimState; k: number } | undefined;
      if (this.sim.t.length < len + 2) this.sim = newSimState(2 * len + 4);
      else if (unchangedBefore > 0 && this.simValid) resume = { state: this.sim, k: Math.min(unchangedBefore, len) };
      feasible = simulate(md, slot, this.jobs, undefined, this.startLoc, this.sim, resume, this.endLoc);
      this.simValid = feasible;
    }
    if (!feasible || len === 0 || slot.breaks.length === 0) this.simValid = false;
    this.feasible = feasible;
  }

  /**
   * Cost delta of inserting job j after position p (0..len), or Infinity when infeasible.
   * Skills/pinning are the caller's business (Model.compat).
   */
  insertionDelta(md: Model, j: number, p: number, bound = Infinity, relaxed = false): number {
    const { slot } = this;
    const { m, dims } = md;
    const len = this.jobs.length;
    if (len + 1 > slot.maxTasks) return Infinity;
    const la = this.locs[p] ?? -1;
    const lb = this.locs[p + 1] ?? -1;
    const lj = md.loc[j] ?? 0;
    // cost first: most positions are pruned by the best insertion found so far
    let delta = travel(slot.cost, m, la, lj) + travel(slot.cost, m, lj, lb);
    if (len === 0) delta += slot.fixed;
    else delta -= travel(slot.cost, m, la, lb);
    if (delta >= bound) return Infinity;
    const tAJ = travel(slot.dur, m, la, lj);
    const tJB = travel(slot.dur, m, lj, lb);
    // an empty route is not driven: its start → end arc costs nothing
    const tAB = len === 0 ? 0 : travel(slot.dur, m, la, lb);
    if (this.travel + tAJ + tJB - tAB > slot.maxTravel) return Infinity;
    if (slot.maxDistance !== Infinity) {
      const dd = travel(slot.dist, m, la, lj) + travel(slot.dist, m, lj, lb) - (len === 0 ? 0 : travel(slot.dist, m, la, lb));
      if (this.distance + dd > slot.maxDistance) return Infinity;
    }
    const depA = (this.early[p] ?? 0) + (this.work[p] ?? 0);
    const sJ = earliestStart(md, j, depA + tAJ);
    if (sJ === Infinity) return Infinity;
    const depJ = sJ + (md.service[j] ?? 0) + (la !== lj ? (md.setup[j] ?? 0) : 0);
    if (p + 1 === len + 1) {
      if (depJ + tJB > slot.twEnd) return Infinity;
    } else {
      const b = this.jobs[p] ?? 0;
      const sB = earliestStart(md, b, depJ + tJB);
      const wB = (md.service[b] ?? 0) + (lj !== lb ? (md.setup[b] ?? 0) : 0);
      if (sB + wB > (this.lateDep[p + 1] ?? 0)) return Infinity;
    }
    for (let d = 0; d < dims; d++) {
      const cap = slot.capacity[d] ?? Infinity;
      if (cap === Infinity) continue;
      if ((this.prefMax[p * dims + d] ?? 0) + (md.delivery[j * dims + d] ?? 0) > cap) return Infinity;
      if ((this.sufMax[p * dims + d] ?? 0) + (md.pickup[j * dims + d] ?? 0) > cap) return Infinity;
    }
    if (!relaxed && slot.breaks.length > 0 && !this.breaksAllow(md, j, p)) return Infinity;
    return delta;
  }

  /**
   * Schedule simulation with the breaks after inserting j after position p (the part of
   * `insertionDelta` that the cached data relaxes). True when the route stays feasible.
   */
  breaksAllow(md: Model, j: number, p: number): boolean {
    const { slot } = this;
    const len = this.jobs.length;
    {
      const seq = this.scratch;
      seq.length = 0;
      for (let k = 0; k < len; k++) {
        if (k === p) seq.push(j);
        seq.push(this.jobs[k] ?? 0);
      }
      if (p === len) seq.push(j);
      // the schedule up to position p is unchanged: resume the recorded simulation there
      // (route feasible ⇒ states recorded; an empty route starts from scratch)
      const resume = len > 0 && this.feasible ? { state: this.sim, k: p } : undefined;
      return simulate(md, slot, seq, undefined, this.startLoc, undefined, resume, this.endLoc);
    }
  }
}

/** One scheduled step produced by `simulate`. */
export interface SimStep {
  kind: 'start' | 'job' | 'break' | 'end';
  /** Job index or break index. */
  ref: number;
  location: number;
  arrival: number;
  start: number;
  setup: number;
  service: number;
  travelBefore: number;
  distBefore: number;
}

/** Simulator state before leg k (after the work at position k): for resuming a simulation. */
export interface SimState {
  readonly t: Float64Array;
  readonly prevLoc: Int32Array;
  readonly pending: Int32Array;
  readonly travel: Float64Array;
  readonly dist: Float64Array;
}

export const newSimState = (size: number): SimState => ({
  t: new Float64Array(size),
  prevLoc: new Int32Array(size),
  pending: new Int32Array(size),
  travel: new Float64Array(size),
  dist: new Float64Array(size),
});

/** What `legBreaks` leaves besides the arrival: the breaks still pending, and whether one was taken on arrival. */
export const LEG = { pending: 0, atDest: false };

/**
 * The breaks of one leg (from work ending at `t` to job `j`, or to the route's end when j < 0,
 * `tt` seconds of driving, `wNext` = setup + service of j), placed greedily: a break is taken as
 * soon as it costs no delay — before driving, or on arrival while waiting for the visit to open —
 * or when it could not wait until after the visit; otherwise where it delays least. Returns the
 * arrival (after a break taken on arrival) or Infinity when a break can no longer be taken or the
 * visit be reached; `LEG` holds the breaks still pending. Shared by `simulate` and the selection DP.
 */
export const legBreaks = (md: Model, slot: SlotModel, t: number, pending: number, tt: number, j: number, wNext: number, out?: SimStep[], loc = -1, dd = 0): number => {
  const breaks = slot.breaks;
  const isEnd = j < 0;
  let legT = tt;
  LEG.atDest = false;
  const twEnd = slot.twEnd + 1e-9;
  while (pending < breaks.length) {
    const b = breaks[pending];
    if (b === undefined) break;
    const bsA = breakEarliest(b, t);
    if (bsA === Infinity) return Infinity;
    const xN = t + legT;
    const sNone = isEnd ? (xN > twEnd ? Infinity : xN) : earliestStart(md, j, xN);
    // no delay: before the drive (A), or on arrival while waiting (B)
    let atDest = false;
    let take = sNone !== Infinity && bsA + b.service + legT <= sNone + 1e-9;
    let bs = bsA;
    if (!take && legT > 0 && sNone !== Infinity && sNone - xN >= b.service - 1e-9) {
      const bsB = breakEarliest(b, xN);
      if (bsB !== Infinity && bsB + b.service <= sNone + 1e-9) {
        take = true;
        atDest = true;
        bs = bsB;
      }
    }
    if (!take) {
      // it delays the visit: wait until after it if the break can, else take it where it delays least
      if (!isEnd && sNone !== Infinity && breakEarliest(b, sNone + wNext) !== Infinity) break;
      const xA = bsA + b.service + legT;
      const sA = isEnd ? (xA > twEnd ? Infinity : xA) : earliestStart(md, j, xA);
      const bsB = legT > 0 ? breakEarliest(b, xN) : Infinity;
      const xB = bsB + b.service;
      const sB = bsB === Infinity ? Infinity : isEnd ? (xB > twEnd ? Infinity : xB) : earliestStart(md, j, xB);
      if (sA === Infinity && sB === Infinity) return Infinity;
      if (sB < sA) {
        atDest = true;
        bs = bsB;
      }
    }
    if (atDest) {
      out?.push({ kind: 'break', ref: b.index, location: loc, arrival: xN, start: bs, setup: 0, service: b.service, travelBefore: legT, distBefore: dd });
      legT = 0;
      LEG.atDest = true;
    } else {
      out?.push({ kind: 'break', ref: b.index, location: -1, arrival: t, start: bs, setup: 0, service: b.service, travelBefore: 0, distBefore: 0 });
    }
    t = bs + b.service;
    pending++;
  }
  LEG.pending = pending;
  return t + legT;
};

/**
 * Full schedule of a job sequence on a slot, with breaks placed greedily: a break is taken
 * as soon as it costs no delay (it fits in a wait, before driving or on arrival at the next
 * visit) or when it could not be taken after the next visit. Returns false when infeasible.
 * When `out` is given the steps are appended (a break taken on arrival carries the leg's
 * travel and its location; the visit's arrival is then the end of the break).
 * `startOverride` replaces the slot's start location (overnight stays).
 */
export const simulate = (
  md: Model,
  slot: SlotModel,
  jobs: readonly number[],
  out: SimStep[] | undefined,
  startOverride?: number,
  record?: SimState,
  resume?: { readonly state: SimState; readonly k: number },
  endOverride?: number,
): boolean => {
  const { m } = md;
  const startLoc = startOverride ?? slot.start;
  const endLoc = endOverride ?? slot.end;
  const len = jobs.length;
  let t = slot.twStart;
  // leave as late as possible without changing the schedule: no waiting at the first visit
  if (len > 0 && slot.breaks.length === 0) {
    const j0 = jobs[0] ?? 0;
    const tt = travel(slot.dur, m, startLoc, md.loc[j0] ?? 0);
    const s0 = earliestStart(md, j0, t + tt);
    if (s0 !== Infinity && s0 - tt > t) t = s0 - tt;
  }
  out?.push({ kind: 'start', ref: -1, location: startLoc, arrival: t, start: t, setup: 0, service: 0, travelBefore: 0, distBefore: 0 });
  let prevLoc = startLoc;
  let pending = 0;
  let travelSum = 0;
  let distSum = 0;
  let k0 = 0;
  if (resume !== undefined) {
    k0 = resume.k;
    t = resume.state.t[k0] ?? 0;
    prevLoc = resume.state.prevLoc[k0] ?? -1;
    pending = resume.state.pending[k0] ?? 0;
    travelSum = resume.state.travel[k0] ?? 0;
    distSum = resume.state.dist[k0] ?? 0;
  }
  for (let k = k0; k <= len; k++) {
    if (record !== undefined) {
      record.t[k] = t;
      record.prevLoc[k] = prevLoc;
      record.pending[k] = pending;
      record.travel[k] = travelSum;
      record.dist[k] = distSum;
    }
    const isEnd = k === len;
    const j = isEnd ? -1 : (jobs[k] ?? 0);
    const l = isEnd ? endLoc : (md.loc[j] ?? 0);
    const tt = travel(slot.dur, m, prevLoc, l);
    const dd = travel(slot.dist, m, prevLoc, l);
    let arr = t + tt;
    let atDest = false;
    if (len > 0 && pending < slot.breaks.length) {
      const wNext = isEnd ? 0 : (md.service[j] ?? 0) + (prevLoc !== l ? (md.setup[j] ?? 0) : 0);
      arr = legBreaks(md, slot, t, pending, tt, j, wNext, out, l, dd);
      if (arr === Infinity) return false;
      pending = LEG.pending;
      atDest = LEG.atDest;
    }
    travelSum += tt;
    distSum += dd;
    const tb = atDest ? 0 : tt;
    const db = atDest ? 0 : dd;
    if (isEnd) {
      if (arr > slot.twEnd + 1e-9) return false;
      out?.push({ kind: 'end', ref: -1, location: l, arrival: arr, start: arr, setup: 0, service: 0, travelBefore: tb, distBefore: db });
    } else {
      const s = earliestStart(md, j, arr);
      if (s === Infinity) return false;
      const setup = prevLoc !== l ? (md.setup[j] ?? 0) : 0;
      const service = md.service[j] ?? 0;
      out?.push({ kind: 'job', ref: j, location: l, arrival: arr, start: s, setup, service, travelBefore: tb, distBefore: db });
      t = s + setup + service;
      prevLoc = l;
    }
  }
  if (len > 0 && (travelSum > slot.maxTravel + 1e-9 || distSum > slot.maxDistance + 1e-9 || len > slot.maxTasks)) return false;
  return true;
};
