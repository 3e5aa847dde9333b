import { AppError, type LngLat } from '@geocrm/domain';

/**
 * Travel times and distances from each source to each destination, as a provider returns them.
 *
 * Rows are sources, columns destinations (`durations[i][j]`: source i → destination j).
 * Durations in seconds, distances in metres, both rounded to the unit.
 * **Unreachable pairs are `null`** in both matrices (no road between them, a location the engine
 * could not snap to a road, an island without a car ferry…), exactly as OSRM writes them; the
 * count is in `unreachable`. Use {@link toTravelMatrix} to get plain numbers or a clear error.
 */
export interface MatrixResult {
  /** Name of the provider that computed it (`estimated`, `osrm`, `valhalla`). */
  readonly provider: string;
  readonly durations: (number | null)[][];
  readonly distances: (number | null)[][];
  /** Number of (source, destination) pairs with no route. */
  readonly unreachable: number;
}

export interface MatrixRequestOptions {
  /** Cancels the request: pending HTTP requests are aborted and the promise rejects with `signal.reason`. */
  readonly signal?: AbortSignal;
}

/**
 * Anything that computes travel matrices. `destinations` omitted = the square matrix of `sources`
 * (zero diagonal). Errors are `AppError`s: `VALIDATION` for bad options or a location the engine
 * cannot place on a road, `UNAVAILABLE` when the engine cannot be reached or refuses the request.
 */
export interface MatrixProvider {
  readonly name: string;
  matrix(sources: readonly LngLat[], destinations?: readonly LngLat[], opts?: MatrixRequestOptions): Promise<MatrixResult>;
}

/** Complete square or rectangular matrices of plain numbers (seconds, metres). */
export interface TravelMatrix {
  /** durations[i][j]: seconds from points[i] to points[j], rounded to the second. */
  readonly durations: number[][];
  /** distances[i][j]: metres from points[i] to points[j], rounded to the metre. */
  readonly distances: number[][];
}

const noNulls = (rows: (number | null)[][]): rows is number[][] => rows.every((row) => row.every((v) => v !== null));

/**
 * Plain-number matrices for the optimiser.
 * @throws AppError INFEASIBLE listing the first unreachable pairs (source/destination indexes) when there is one.
 */
export const toTravelMatrix = (result: MatrixResult): TravelMatrix => {
  const { durations, distances } = result;
  if (noNulls(durations) && noNulls(distances)) return { durations, distances };
  const pairs: [number, number][] = [];
  durations.forEach((row, i) =>
    row.forEach((v, j) => {
      if ((v === null || distances[i]?.[j] === null) && pairs.length < 10) pairs.push([i, j]);
    }),
  );
  throw new AppError('INFEASIBLE', `No road route between ${result.unreachable} pair(s) of locations`, {
    details: { provider: result.provider, unreachable: result.unreachable, pairs },
  });
};

/**
 * Rounds durations to the second and distances to the metre, and makes a pair unreachable in both
 * matrices when either engine value is missing, then counts the unreachable pairs.
 */
export const finishMatrix = (provider: string, durations: (number | null)[][], distances: (number | null)[][]): MatrixResult => {
  let unreachable = 0;
  durations.forEach((row, i) => {
    const drow = distances[i];
    row.forEach((t, j) => {
      const d = drow?.[j] ?? null;
      if (t === null || d === null) {
        row[j] = null;
        if (drow) drow[j] = null;
        unreachable++;
      } else {
        row[j] = Math.round(t);
        if (drow) drow[j] = Math.round(d);
      }
    });
  });
  return { provider, durations, distances, unreachable };
};
