/** Client-side balance of a plan after hand moves: loads per territory, deviations, counts outside ±5/10/20 %. */
export interface BalanceArea {
  readonly code: string;
  readonly load: number;
  readonly territory: number;
}

export interface Balance {
  readonly loads: readonly number[];
  readonly areas: readonly number[];
  readonly mean: number;
  /** (load − mean) / mean per territory (0 when the mean is 0). */
  readonly deviations: readonly number[];
  readonly maxDeviation: number;
  readonly outside: { readonly pct5: number; readonly pct10: number; readonly pct20: number };
}

export const balanceOf = (areas: readonly BalanceArea[], k: number): Balance => {
  const loads = new Array<number>(k).fill(0);
  const counts = new Array<number>(k).fill(0);
  for (const a of areas) {
    if (a.territory < 0 || a.territory >= k) continue;
    loads[a.territory] = (loads[a.territory] ?? 0) + a.load;
    counts[a.territory] = (counts[a.territory] ?? 0) + 1;
  }
  const mean = k > 0 ? loads.reduce((s, l) => s + l, 0) / k : 0;
  const deviations = loads.map((l) => (mean > 0 ? (l - mean) / mean : 0));
  const abs = deviations.map(Math.abs);
  const eps = 1e-9;
  return {
    loads,
    areas: counts,
    mean,
    deviations,
    maxDeviation: Math.max(0, ...abs),
    outside: { pct5: abs.filter((d) => d > 0.05 + eps).length, pct10: abs.filter((d) => d > 0.1 + eps).length, pct20: abs.filter((d) => d > 0.2 + eps).length },
  };
};

/** Moves one area to a territory; returns a new list (the same list when nothing changes). */
export const moveArea = <A extends BalanceArea>(areas: readonly A[], code: string, territory: number): readonly A[] =>
  areas.some((a) => a.code === code && a.territory !== territory) ? areas.map((a) => (a.code === code ? { ...a, territory } : a)) : areas;

export const formatPercent = (x: number, signed = false): string => `${signed && x > 0 ? '+' : ''}${(x * 100).toFixed(1)} %`;
