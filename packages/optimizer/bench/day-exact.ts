/**
 * Exact optimum of a one-rep day with at most one break (bench only): label-setting DP over
 * (visited set, last visit, break taken) with Pareto labels (cost, finish time). The break is
 * taken between two stops, before driving to the next or on arrival there (before the visit
 * starts, or before the shift ends at home), like the solver's schedule simulation. Objective: served priority, then served visits, then cost.
 * Practical up to about 14 visits.
 */
import type { Problem } from '../src/types.ts';

export interface DayOptimum {
  readonly priority: number;
  readonly served: number;
  readonly cost: number;
  /** Served jobs (bit i = job i). */
  readonly mask?: number;
}

export const solveDayExact = (p: Problem): DayOptimum => {
  const v = p.vehicles[0];
  const mat = p.matrices[v?.profile ?? 'car'];
  if (v === undefined || mat === undefined || p.vehicles.length !== 1) throw new Error('one vehicle expected');
  const n = p.jobs.length;
  const dur = (a: number, b: number): number => mat.durations[a]?.[b] ?? 0;
  const home0 = v.start ?? 0;
  const home1 = v.end ?? 0;
  const [ws, we] = v.timeWindow ?? [0, Infinity];
  const br = v.breaks?.[0];
  const bw = br?.timeWindows?.[0] ?? [ws, we];
  const bService = br?.service ?? 0;
  const hasBreak = br !== undefined;
  const loc = p.jobs.map((j) => j.location);
  const service = p.jobs.map((j) => j.service ?? 0);
  const tws = p.jobs.map((j) => [...(j.timeWindows ?? [[-Infinity, Infinity] as const])].sort((a, b) => a[0] - b[0]));
  const startAt = (i: number, t: number): number => {
    for (const [a, b] of tws[i] ?? []) if (t <= b) return Math.max(t, a);
    return Infinity;
  };
  /** Break after time t: end of the break, or Infinity. */
  const breakEnd = (t: number): number => {
    const s = Math.max(t, bw[0]);
    return s <= bw[1] ? s + bService : Infinity;
  };
  // labels[(mask * n + last) * 2 + b] = flat [cost, time, cost, time, ...]
  const labels = new Map<number, number[]>();
  const add = (key: number, cost: number, time: number): void => {
    let list = labels.get(key);
    if (list === undefined) {
      labels.set(key, [cost, time]);
      return;
    }
    for (let k = 0; k < list.length; k += 2) if ((list[k] ?? 0) <= cost + 1e-9 && (list[k + 1] ?? 0) <= time + 1e-9) return;
    const kept: number[] = [];
    for (let k = 0; k < list.length; k += 2) {
      const c = list[k] ?? 0;
      const t = list[k + 1] ?? 0;
      if (!(cost <= c + 1e-9 && time <= t + 1e-9)) kept.push(c, t);
    }
    kept.push(cost, time);
    list = kept;
    labels.set(key, list);
  };
  const extend = (mask: number, last: number, b: number, cost: number, time: number): void => {
    const from = last < 0 ? home0 : (loc[last] ?? 0);
    for (let j = 0; j < n; j++) {
      if ((mask & (1 << j)) !== 0) continue;
      const lj = loc[j] ?? 0;
      const c = cost + dur(from, lj);
      const key = ((mask | (1 << j)) * n + j) * 2;
      const s = startAt(j, time + dur(from, lj));
      if (s !== Infinity) add(key + b, c, s + (service[j] ?? 0));
      if (hasBreak && b === 0) {
        const e = breakEnd(time);
        if (e !== Infinity) {
          const s2 = startAt(j, e + dur(from, lj));
          if (s2 !== Infinity) add(key + 1, c, s2 + (service[j] ?? 0));
        }
        const e2 = breakEnd(time + dur(from, lj));
        if (e2 !== Infinity) {
          const s3 = startAt(j, e2);
          if (s3 !== Infinity) add(key + 1, c, s3 + (service[j] ?? 0));
        }
      }
    }
  };
  extend(0, -1, 0, 0, ws);
  let best: DayOptimum = { priority: 0, served: 0, cost: 0 };
  const prio = p.jobs.map((j) => j.priority ?? 0);
  for (let mask = 1; mask < 1 << n; mask++) {
    let pr = 0;
    let served = 0;
    for (let i = 0; i < n; i++) {
      if ((mask & (1 << i)) === 0) continue;
      pr += prio[i] ?? 0;
      served++;
    }
    for (let last = 0; last < n; last++) {
      if ((mask & (1 << last)) === 0) continue;
      for (let b = 0; b < 2; b++) {
        const list = labels.get((mask * n + last) * 2 + b);
        if (list === undefined) continue;
        for (let k = 0; k < list.length; k += 2) {
          const cost = list[k] ?? 0;
          const time = list[k + 1] ?? 0;
          extend(mask, last, b, cost, time);
          const back = dur(loc[last] ?? 0, home1);
          const tEnd = b === 0 && hasBreak ? Math.min(breakEnd(time) + back, breakEnd(time + back)) : time + back;
          if (tEnd > we + 1e-9) continue;
          const total = cost + back;
          if (pr > best.priority || (pr === best.priority && (served > best.served || (served === best.served && total < best.cost - 1e-9)))) {
            best = { priority: pr, served, cost: total, mask };
          }
        }
        labels.delete((mask * n + last) * 2 + b);
      }
    }
  }
  return best;
};
