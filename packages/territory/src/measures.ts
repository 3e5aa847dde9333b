import { AppError } from '@geocrm/domain';
import { MEASURES, type Area, type MeasureName } from './types.ts';

/** One measure, or a weighted mix of measures (each normalised by its total before mixing). */
export type MeasureSpec = MeasureName | Partial<Readonly<Record<MeasureName, number>>>;

const isMeasure = (m: string): m is MeasureName => (MEASURES as readonly string[]).includes(m);

/**
 * The load of every area for a measure or a mix. A single measure keeps its units; a mix
 * `{ revenue: 2, count: 1 }` adds each measure's share of its total, times its weight.
 * Throws VALIDATION for negative / non-finite values, unknown measures and a measure that is zero everywhere.
 * @example areaLoads(areas, 'workload')
 */
export const areaLoads = (areas: readonly Area[], spec: MeasureSpec): Float64Array => {
  const weights: [MeasureName, number][] =
    typeof spec === 'string' ? [[spec, 1]] : Object.entries(spec).map(([m, w]): [string, number] => [m, w ?? 0]).filter(([, w]) => w !== 0) as [MeasureName, number][];
  if (weights.length === 0) throw new AppError('VALIDATION', 'Choose a measure to balance (count, revenue, potential or workload), or give a mix with a positive weight');
  for (const [m, w] of weights) {
    if (!isMeasure(m)) throw new AppError('VALIDATION', `Unknown measure '${String(m)}': use count, revenue, potential or workload`, { details: { measure: m } });
    if (!Number.isFinite(w) || w < 0) throw new AppError('VALIDATION', `The weight of measure '${m}' must be a positive number`, { details: { measure: m } });
  }
  const n = areas.length;
  const loads = new Float64Array(n);
  const single = weights.length === 1;
  for (const [m, w] of weights) {
    let total = 0;
    for (let i = 0; i < n; i++) {
      const v = areas[i]?.measures[m] ?? 0;
      if (!Number.isFinite(v) || v < 0) {
        throw new AppError('VALIDATION', `Area '${areas[i]?.id ?? String(i)}' has an invalid ${m} (${String(v)}): measures must be finite and ≥ 0`, { details: { area: areas[i]?.id, measure: m } });
      }
      total += v;
    }
    if (total <= 0) throw new AppError('VALIDATION', `The measure '${m}' is zero for every area: nothing to balance`, { details: { measure: m } });
    const scale = single ? 1 : w / total;
    for (let i = 0; i < n; i++) loads[i] = (loads[i] ?? 0) + (areas[i]?.measures[m] ?? 0) * scale;
  }
  return loads;
};
