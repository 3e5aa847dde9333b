import type { Break, Problem, TimeWindow } from './types.ts';

/** A break compiled for the simulator: windows sorted, flat. */
export interface BreakModel {
  readonly index: number;
  readonly twStart: Float64Array;
  readonly twEnd: Float64Array;
  readonly service: number;
}

/** One route slot = one shift of one vehicle. */
export interface SlotModel {
  readonly index: number;
  readonly vehicle: number;
  readonly shift: number;
  /** Matrix index or -1. */
  readonly start: number;
  readonly end: number;
  readonly twStart: number;
  readonly twEnd: number;
  readonly breaks: readonly BreakModel[];
  readonly capacity: Float64Array;
  readonly maxTasks: number;
  /** min(maxTravelTime, maxDailyDriving). */
  readonly maxTravel: number;
  readonly maxDistance: number;
  readonly fixed: number;
  readonly dur: Float64Array;
  readonly dist: Float64Array;
  readonly cost: Float64Array;
  readonly profile: string;
  /** Slots with the same signature are interchangeable when empty. */
  readonly signature: number;
}

export interface Model {
  readonly problem: Problem;
  readonly n: number;
  /** Matrix size. */
  readonly m: number;
  readonly dims: number;
  readonly loc: Int32Array;
  readonly service: Float64Array;
  readonly setup: Float64Array;
  readonly priority: Float64Array;
  readonly delivery: Float64Array;
  readonly pickup: Float64Array;
  /** Windows of job i: indices twOffset[i] .. twOffset[i+1]-1 of twStart/twEnd, sorted. */
  readonly twOffset: Int32Array;
  readonly twStart: Float64Array;
  readonly twEnd: Float64Array;
  readonly slots: readonly SlotModel[];
  /** compat[i * slots.length + r] = 1 when job i may go on slot r (skills, pinned vehicle). */
  readonly compat: Uint8Array;
  /** Per job: reason when no slot is compatible. */
  readonly incompatReason: readonly ('no_vehicle' | 'skills' | 'pinned_vehicle' | undefined)[];
}

const flatten = (rows: readonly (readonly number[])[] | undefined, m: number): Float64Array => {
  const out = new Float64Array(m * m);
  if (rows === undefined) return out;
  for (let i = 0; i < m; i++) {
    const row = rows[i];
    if (row === undefined) continue;
    for (let j = 0; j < m; j++) out[i * m + j] = row[j] ?? 0;
  }
  return out;
};

const compileBreaks = (breaks: readonly Break[] | undefined, shift: TimeWindow): BreakModel[] => {
  const out = (breaks ?? []).map((b, index) => {
    const tws = [...(b.timeWindows ?? [])].filter((tw) => tw[1] >= tw[0]).sort((x, y) => x[0] - y[0]);
    const list = tws.length > 0 ? tws : [shift];
    return {
      index,
      twStart: Float64Array.from(list.map((tw) => tw[0])),
      twEnd: Float64Array.from(list.map((tw) => tw[1])),
      service: b.service,
    };
  });
  return out.sort((x, y) => (x.twStart[0] ?? 0) - (y.twStart[0] ?? 0) || (x.twEnd[0] ?? 0) - (y.twEnd[0] ?? 0));
};

/** Compiles a validated problem into flat typed arrays. */
export const compileModel = (problem: Problem): Model => {
  const n = problem.jobs.length;
  let m = 0;
  for (const mat of Object.values(problem.matrices)) m = Math.max(m, mat.durations.length);
  let dims = 0;
  for (const v of problem.vehicles) dims = Math.max(dims, v.capacity?.length ?? 0);
  for (const j of problem.jobs) dims = Math.max(dims, j.delivery?.length ?? 0, j.pickup?.length ?? 0);

  const loc = new Int32Array(n);
  const service = new Float64Array(n);
  const setup = new Float64Array(n);
  const priority = new Float64Array(n);
  const delivery = new Float64Array(n * dims);
  const pickup = new Float64Array(n * dims);
  const twOffset = new Int32Array(n + 1);
  const starts: number[] = [];
  const ends: number[] = [];
  problem.jobs.forEach((j, i) => {
    loc[i] = j.location;
    service[i] = j.service ?? 0;
    setup[i] = j.setup ?? 0;
    priority[i] = j.priority ?? 0;
    for (let d = 0; d < dims; d++) {
      delivery[i * dims + d] = j.delivery?.[d] ?? 0;
      pickup[i * dims + d] = j.pickup?.[d] ?? 0;
    }
    twOffset[i] = starts.length;
    if (j.pinnedTime !== undefined) {
      starts.push(j.pinnedTime);
      ends.push(j.pinnedTime);
    } else if (j.timeWindows === undefined || j.timeWindows.length === 0) {
      starts.push(-Infinity);
      ends.push(Infinity);
    } else {
      const tws = [...j.timeWindows].sort((a, b) => a[0] - b[0]);
      // merge overlapping windows so that the list is strictly increasing
      let cs = tws[0]?.[0] ?? 0;
      let ce = tws[0]?.[1] ?? 0;
      for (let k = 1; k < tws.length; k++) {
        const tw = tws[k];
        if (tw === undefined) continue;
        if (tw[0] <= ce) ce = Math.max(ce, tw[1]);
        else {
          starts.push(cs);
          ends.push(ce);
          cs = tw[0];
          ce = tw[1];
        }
      }
      starts.push(cs);
      ends.push(ce);
    }
  });
  twOffset[n] = starts.length;

  const matrixCache = new Map<string, { dur: Float64Array; dist: Float64Array }>();
  const costCache = new Map<string, Float64Array>();
  const slots: SlotModel[] = [];
  problem.vehicles.forEach((v, vi) => {
    const profile = v.profile ?? 'car';
    let mats = matrixCache.get(profile);
    if (mats === undefined) {
      const raw = problem.matrices[profile];
      mats = { dur: flatten(raw?.durations, m), dist: flatten(raw?.distances, m) };
      matrixCache.set(profile, mats);
    }
    const perHour = v.costs?.perHour ?? 3600;
    const perKm = v.costs?.perKm ?? 0;
    const key = `${profile}|${perHour}|${perKm}`;
    let cost = costCache.get(key);
    if (cost === undefined) {
      cost = new Float64Array(m * m);
      const a = perHour / 3600;
      const b = perKm / 1000;
      for (let k = 0; k < m * m; k++) cost[k] = a * (mats.dur[k] ?? 0) + b * (mats.dist[k] ?? 0);
      costCache.set(key, cost);
    }
    const capacity = new Float64Array(dims).fill(Infinity);
    v.capacity?.forEach((c, d) => (capacity[d] = c));
    const shifts = v.shifts ?? [{ timeWindow: v.timeWindow ?? ([0, Infinity] as const), breaks: v.breaks }];
    shifts.forEach((s, si) => {
      slots.push({
        index: slots.length,
        vehicle: vi,
        shift: si,
        start: v.start ?? -1,
        end: v.end ?? -1,
        twStart: s.timeWindow[0],
        twEnd: s.timeWindow[1],
        breaks: compileBreaks(s.breaks, s.timeWindow),
        capacity,
        maxTasks: v.maxTasks ?? Infinity,
        maxTravel: Math.min(v.maxTravelTime ?? Infinity, v.maxDailyDriving ?? Infinity),
        maxDistance: v.maxDistance ?? Infinity,
        fixed: v.costs?.fixed ?? 0,
        dur: mats.dur,
        dist: mats.dist,
        cost,
        profile,
        signature: -1,
      });
    });
  });

  const signatures = new Map<string, number>();
  const withSig: SlotModel[] = slots.map((slot) => {
    const v = problem.vehicles[slot.vehicle];
    const key = JSON.stringify([{ ...v, id: undefined, shifts: undefined }, slot.twStart, slot.twEnd, v?.shifts?.[slot.shift]?.breaks]);
    let sig = signatures.get(key);
    if (sig === undefined) {
      sig = signatures.size;
      signatures.set(key, sig);
    }
    return { ...slot, signature: sig };
  });
  slots.length = 0;
  slots.push(...withSig);
  const R = slots.length;
  const compat = new Uint8Array(n * R);
  const incompatReason: ('no_vehicle' | 'skills' | 'pinned_vehicle' | undefined)[] = [];
  const vehicleSkills = problem.vehicles.map((v) => new Set((v.skills ?? []).map(String)));
  problem.jobs.forEach((j, i) => {
    let any = false;
    let skillOk = false;
    for (const slot of slots) {
      const vs = vehicleSkills[slot.vehicle];
      const hasSkills = (j.skills ?? []).every((s) => vs?.has(String(s)) ?? false);
      if (hasSkills) skillOk = true;
      const vehicle = problem.vehicles[slot.vehicle];
      const pinOk = j.pinnedVehicle === undefined || String(j.pinnedVehicle) === String(vehicle?.id);
      if (hasSkills && pinOk) {
        compat[i * R + slot.index] = 1;
        any = true;
      }
    }
    incompatReason.push(any ? undefined : slots.length === 0 ? 'no_vehicle' : skillOk ? 'pinned_vehicle' : 'skills');
  });

  return {
    problem,
    n,
    m,
    dims,
    loc,
    service,
    setup,
    priority,
    delivery,
    pickup,
    twOffset,
    twStart: Float64Array.from(starts),
    twEnd: Float64Array.from(ends),
    slots,
    compat,
    incompatReason,
  };
};

/** Earliest start ≥ t inside one of job i's windows, or Infinity. */
export const earliestStart = (md: Model, i: number, t: number): number => {
  const end = md.twOffset[i + 1] ?? 0;
  for (let k = md.twOffset[i] ?? 0; k < end; k++) {
    const we = md.twEnd[k] ?? 0;
    if (t <= we) {
      const ws = md.twStart[k] ?? 0;
      return t > ws ? t : ws;
    }
  }
  return Infinity;
};

/** Latest start ≤ t inside one of job i's windows, or -Infinity. */
export const latestStart = (md: Model, i: number, t: number): number => {
  const begin = md.twOffset[i] ?? 0;
  for (let k = (md.twOffset[i + 1] ?? 0) - 1; k >= begin; k--) {
    const ws = md.twStart[k] ?? 0;
    if (t >= ws) {
      const we = md.twEnd[k] ?? 0;
      return t < we ? t : we;
    }
  }
  return -Infinity;
};

/** Earliest start ≥ t inside one of a break's windows, or Infinity. */
export const breakEarliest = (b: BreakModel, t: number): number => {
  for (let k = 0; k < b.twStart.length; k++) {
    const we = b.twEnd[k] ?? 0;
    if (t <= we) {
      const ws = b.twStart[k] ?? 0;
      return t > ws ? t : ws;
    }
  }
  return Infinity;
};
