import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The Pfizer Turkey case (22 bricks, 4 reps), read from shared/benchmarks/territory beside the repository. */
export interface PfizerCase {
  readonly bricks: readonly string[];
  readonly loads: readonly number[];
  /** km from each rep's office to each brick: costs[brick][rep]. */
  readonly costs: readonly (readonly number[])[];
  /** Current rep of each brick (0-based). */
  readonly current: readonly number[];
  /** Office bricks: brick index → rep. */
  readonly offices: ReadonlyMap<number, number>;
}

export const PFIZER_PATH = process.env['GEOCRM_TERRITORY_DATA']
  ? `${process.env['GEOCRM_TERRITORY_DATA']}/pfizer_22x4.csv`
  : fileURLToPath(new URL('../../../../shared/benchmarks/territory/pfizer_22x4.csv', import.meta.url));

/** Published optima (README of the data set): band half-width τ → minimum total distance (km). */
export const PFIZER_OPTIMA: readonly { readonly tolerance: number; readonly optimum: number }[] = [
  { tolerance: 0.2, optimum: 154.6 },
  { tolerance: 0.15, optimum: 160.32 },
  { tolerance: 0.1, optimum: 162.43 },
];

export const hasPfizer = (): boolean => existsSync(PFIZER_PATH);

export const readPfizer = (): PfizerCase => {
  const rows = readFileSync(PFIZER_PATH, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '')
    .slice(1)
    .map((l) => l.trim().split(','));
  const offices = new Map<number, number>();
  rows.forEach((r, i) => {
    if ((r[7] ?? '') !== '') offices.set(i, Number(r[7]) - 1);
  });
  return {
    bricks: rows.map((r) => r[0] ?? ''),
    loads: rows.map((r) => Number(r[1])),
    costs: rows.map((r) => [2, 3, 4, 5].map((c) => Number(r[c]))),
    current: rows.map((r) => Number(r[6]) - 1),
    offices,
  };
};
