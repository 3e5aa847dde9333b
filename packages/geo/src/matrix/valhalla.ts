import { AppError, type LngLat } from '@geocrm/domain';
import { emptyMatrix, planPairBlocks, type MatrixBlock } from './blocks.ts';
import { requestWithRetries, resolveHttpOptions, runPool, type HttpAnswer, type HttpProviderOptions } from './http.ts';
import { finishMatrix, type MatrixProvider, type MatrixResult } from './types.ts';

export interface ValhallaMatrixOptions extends HttpProviderOptions {
  /** Valhalla costing model. Default `auto`. */
  readonly costing?: string;
  /** Extra `costing_options` for that model (e.g. `{ auto: { use_highways: 0.5 } }`), sent as is. */
  readonly costingOptions?: Readonly<Record<string, unknown>>;
  /**
   * Sources × targets per request: the server's `service_limits.<costing>.max_matrix_location_pairs`
   * (2,500 in Valhalla's default configuration). Default 2,500.
   */
  readonly maxPairs?: number;
}

const NAME = 'valhalla';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** Valhalla error codes about a location that cannot be placed on the network (`No suitable edges near location`…). */
const LOCATION_ERRORS = new Set([171]);

const refusal = (answer: HttpAnswer): AppError => {
  const body = isRecord(answer.body) ? answer.body : {};
  const errorCode = num(body['error_code']);
  const message = typeof body['error'] === 'string' ? body['error'] : typeof answer.body === 'string' ? answer.body.slice(0, 200) : `HTTP ${answer.status}`;
  const details = { provider: NAME, status: answer.status, ...(errorCode === null ? {} : { errorCode }), message };
  if (errorCode !== null && LOCATION_ERRORS.has(errorCode)) {
    return new AppError('VALIDATION', `Valhalla cannot place a location on a road: ${message}`, { details });
  }
  return new AppError('UNAVAILABLE', `Valhalla refused the travel matrix request${errorCode === null ? '' : ` (${errorCode})`}: ${message}`, { details });
};

const malformed = (why: string): AppError => new AppError('UNAVAILABLE', `Valhalla answered an unexpected matrix: ${why}`, { details: { provider: NAME } });

/**
 * Writes one block of a `sources_to_targets` answer into the full matrices. Reads the default
 * verbose format (`[[{ from_index, to_index, time, distance }]]`, distance in km, `null` time and
 * distance = no route) and the concise one (`{ durations, distances }`, Valhalla ≥ 3.5 with
 * `verbose: false`).
 */
const fill = (body: unknown, block: MatrixBlock, durations: (number | null)[][], distances: (number | null)[][]): void => {
  if (!isRecord(body)) throw malformed('not a JSON object');
  const table = body['sources_to_targets'];
  const km = body['units'] === 'miles' ? 1609.344 : 1000;
  const put = (bi: number, bj: number, time: number | null, distance: number | null): void => {
    const i = block.rows[bi];
    const j = block.cols[bj];
    if (i === undefined || j === undefined) throw malformed(`index ${bi}→${bj} outside the request`);
    const drow = durations[i];
    const mrow = distances[i];
    if (!drow || !mrow) return;
    drow[j] = time;
    mrow[j] = distance === null ? null : distance * km;
  };
  if (Array.isArray(table)) {
    if (table.length !== block.rows.length) throw malformed(`${table.length} rows for ${block.rows.length} sources`);
    table.forEach((row: unknown, bi) => {
      if (!Array.isArray(row) || row.length !== block.cols.length) throw malformed(`row ${bi} does not have ${block.cols.length} targets`);
      row.forEach((cell: unknown, bj) => {
        if (!isRecord(cell)) throw malformed(`cell ${bi}→${bj} is not an object`);
        put(num(cell['from_index']) ?? bi, num(cell['to_index']) ?? bj, num(cell['time']), num(cell['distance']));
      });
    });
    return;
  }
  if (isRecord(table) && Array.isArray(table['durations']) && Array.isArray(table['distances'])) {
    const times = table['durations'] as unknown[];
    const dists = table['distances'] as unknown[];
    for (let bi = 0; bi < block.rows.length; bi++) {
      const trow = times[bi];
      const drow = dists[bi];
      if (!Array.isArray(trow) || !Array.isArray(drow) || trow.length !== block.cols.length) throw malformed(`row ${bi} is incomplete`);
      for (let bj = 0; bj < block.cols.length; bj++) put(bi, bj, num(trow[bj]), num(drow[bj]));
    }
    return;
  }
  throw malformed('no sources_to_targets table');
};

const location = (p: LngLat): { lat: number; lon: number } => ({ lat: Number(p[1].toFixed(6)), lon: Number(p[0].toFixed(6)) });

/**
 * Travel matrices from a Valhalla server (`POST /sources_to_targets`, units kilometres, converted
 * to metres). Large matrices are cut into blocks of at most `maxPairs` source × target cells.
 * Unreachable pairs (Valhalla `null` time and distance) stay `null`.
 * Errors: `VALIDATION` when Valhalla cannot place a location on a road (error 171); `UNAVAILABLE`
 * when it cannot be reached, times out, answers 429/5xx after the retries, refuses the request for
 * another reason (e.g. 154, a pair beyond `max_matrix_distance`, 400 km by default; message quoted)
 * or answers something that is not a matrix.
 * @throws AppError VALIDATION (at creation) on bad options.
 */
export const createValhallaMatrixProvider = (options: ValhallaMatrixOptions): MatrixProvider => {
  const http = resolveHttpOptions(NAME, options);
  const { costing = 'auto', costingOptions, maxPairs = 2500 } = options;
  if (!/^[\w-]+$/.test(costing)) throw new AppError('VALIDATION', 'valhalla: costing must be a plain name', { details: { provider: NAME, costing } });
  if (!Number.isInteger(maxPairs) || maxPairs < 1) {
    throw new AppError('VALIDATION', 'valhalla: maxPairs must be a positive integer', { details: { provider: NAME, maxPairs } });
  }
  const url = `${http.baseUrl}/sources_to_targets`;

  return {
    name: NAME,
    matrix: async (sources, destinations, opts = {}): Promise<MatrixResult> => {
      opts.signal?.throwIfAborted();
      const targets = destinations ?? sources;
      const durations = emptyMatrix(sources.length, targets.length);
      const distances = emptyMatrix(sources.length, targets.length);
      const tasks = planPairBlocks(sources.length, targets.length, maxPairs).map((block) => async (signal: AbortSignal): Promise<void> => {
        const at = (list: readonly LngLat[], i: number): { lat: number; lon: number } => {
          const p = list[i];
          if (!p) throw new AppError('INTERNAL', 'valhalla: block refers to a missing point');
          return location(p);
        };
        const body = JSON.stringify({
          sources: block.rows.map((i) => at(sources, i)),
          targets: block.cols.map((j) => at(targets, j)),
          costing,
          ...(costingOptions === undefined ? {} : { costing_options: costingOptions }),
          units: 'kilometers',
        });
        const answer = await requestWithRetries(NAME, http, url, { method: 'POST', body }, signal);
        if (answer.status !== 200) throw refusal(answer);
        fill(answer.body, block, durations, distances);
      });
      await runPool(tasks, http.concurrency, opts.signal);
      return finishMatrix(NAME, durations, distances);
    },
  };
};
