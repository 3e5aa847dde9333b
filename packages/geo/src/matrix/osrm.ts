import { AppError, type LngLat } from '@geocrm/domain';
import { emptyMatrix, planLocationBlocks, type MatrixBlock } from './blocks.ts';
import { requestWithRetries, resolveHttpOptions, runPool, type HttpAnswer, type HttpProviderOptions } from './http.ts';
import { finishMatrix, type MatrixProvider, type MatrixResult } from './types.ts';

export interface OsrmMatrixOptions extends HttpProviderOptions {
  /** OSRM profile in the URL; osrm-routed ignores it but hosted services route on it. Default `driving`. */
  readonly profile?: string;
  /** Coordinates per `/table` request: the server's `--max-table-size` (default 100). */
  readonly maxLocations?: number;
}

const NAME = 'osrm';

/** 6 decimals ≈ 0.1 m, what OSRM itself echoes. */
const coordinate = (p: LngLat): string => `${Number(p[0].toFixed(6))},${Number(p[1].toFixed(6))}`;

interface OsrmTable {
  readonly code: string;
  readonly message?: string;
  readonly durations?: unknown;
  readonly distances?: unknown;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const asTable = (body: unknown): OsrmTable | undefined =>
  isRecord(body) && typeof body['code'] === 'string'
    ? { code: body['code'], message: typeof body['message'] === 'string' ? body['message'] : undefined, durations: body['durations'], distances: body['distances'] }
    : undefined;

const isCells = (v: unknown, rows: number, cols: number): v is (number | null)[][] =>
  Array.isArray(v) &&
  v.length === rows &&
  v.every((row) => Array.isArray(row) && row.length === cols && row.every((x) => x === null || (typeof x === 'number' && Number.isFinite(x))));

interface BlockRequest {
  readonly url: string;
  /** Global point for each coordinate in the request: which list and which index. */
  readonly points: readonly { readonly list: 'sources' | 'destinations'; readonly index: number }[];
}

/**
 * Travel matrices from an OSRM server's table service
 * (`GET /table/v1/{profile}/{lng,lat;…}?sources=…&destinations=…&annotations=duration,distance`).
 * Large matrices are cut into blocks of at most `maxLocations` coordinates and reassembled.
 * Unreachable pairs (OSRM `null`) stay `null`.
 * Errors: `VALIDATION` when OSRM cannot place a location on a road (`NoSegment`, with the
 * location's index in `details`); `UNAVAILABLE` when it cannot be reached, times out, answers 429/5xx
 * after the retries, refuses the request for another reason (`InvalidQuery`, `TooBig`…, message
 * quoted) or answers something that is not a table.
 * @throws AppError VALIDATION (at creation) on bad options.
 */
export const createOsrmMatrixProvider = (options: OsrmMatrixOptions): MatrixProvider => {
  const http = resolveHttpOptions(NAME, options);
  const { profile = 'driving', maxLocations = 100 } = options;
  if (!/^[\w-]+$/.test(profile)) throw new AppError('VALIDATION', 'osrm: profile must be a plain name', { details: { provider: NAME, profile } });
  if (!Number.isInteger(maxLocations) || maxLocations < 2) {
    throw new AppError('VALIDATION', 'osrm: maxLocations must be an integer ≥ 2', { details: { provider: NAME, maxLocations } });
  }

  const requestFor = (block: MatrixBlock, sources: readonly LngLat[], destinations: readonly LngLat[] | undefined): BlockRequest => {
    let points: BlockRequest['points'];
    let query: string;
    if (destinations === undefined) {
      // Square: rows = cols, the full table of these points.
      points = block.rows.map((index) => ({ list: 'sources', index }));
      query = '';
    } else {
      points = [...block.rows.map((index) => ({ list: 'sources' as const, index })), ...block.cols.map((index) => ({ list: 'destinations' as const, index }))];
      const s = block.rows.map((_, i) => i).join(';');
      const d = block.cols.map((_, i) => block.rows.length + i).join(';');
      query = `sources=${s}&destinations=${d}&`;
    }
    const coords = points.map((p) => {
      const at = (p.list === 'sources' ? sources : (destinations ?? sources))[p.index];
      if (!at) throw new AppError('INTERNAL', 'osrm: block refers to a missing point');
      return coordinate(at);
    });
    return { url: `${http.baseUrl}/table/v1/${profile}/${coords.join(';')}?${query}annotations=duration,distance`, points };
  };

  const refusal = (answer: HttpAnswer, table: OsrmTable | undefined, request: BlockRequest): AppError => {
    const code = table?.code ?? `HTTP ${answer.status}`;
    const message = table?.message ?? (typeof answer.body === 'string' ? answer.body.slice(0, 200) : '');
    const details: Record<string, unknown> = { provider: NAME, status: answer.status, code, message };
    if (code === 'NoSegment') {
      const local = /coordinate (\d+)/.exec(message)?.[1];
      const point = local === undefined ? undefined : request.points[Number(local)];
      if (point) details[point.list === 'sources' ? 'sourceIndex' : 'destinationIndex'] = point.index;
      return new AppError('VALIDATION', `OSRM cannot place a location on a road: ${message}`, { details });
    }
    return new AppError('UNAVAILABLE', `OSRM refused the travel matrix request (${code}): ${message}`, { details });
  };

  return {
    name: NAME,
    matrix: async (sources, destinations, opts = {}): Promise<MatrixResult> => {
      opts.signal?.throwIfAborted();
      const rows = sources.length;
      const cols = destinations === undefined ? rows : destinations.length;
      // A single point: nothing to ask (OSRM wants two coordinates or more).
      if (destinations === undefined && rows === 1) return { provider: NAME, durations: [[0]], distances: [[0]], unreachable: 0 };
      const durations = emptyMatrix(rows, cols);
      const distances = emptyMatrix(rows, cols);
      const blocks = planLocationBlocks(rows, destinations?.length, maxLocations);
      const tasks = blocks.map((block) => async (signal: AbortSignal): Promise<void> => {
        const request = requestFor(block, sources, destinations);
        const answer = await requestWithRetries(NAME, http, request.url, { method: 'GET' }, signal);
        const table = asTable(answer.body);
        if (answer.status !== 200 || table?.code !== 'Ok') throw refusal(answer, table, request);
        const { rows: r, cols: c } = block;
        if (!isCells(table.durations, r.length, c.length) || !isCells(table.distances, r.length, c.length)) {
          throw new AppError('UNAVAILABLE', 'OSRM answered without a complete durations and distances table', {
            details: { provider: NAME, expected: [r.length, c.length] },
          });
        }
        const td = table.durations;
        const tm = table.distances;
        r.forEach((i, bi) => {
          const drow = durations[i];
          const mrow = distances[i];
          if (!drow || !mrow) return;
          c.forEach((j, bj) => {
            drow[j] = td[bi]?.[bj] ?? null;
            mrow[j] = tm[bi]?.[bj] ?? null;
          });
        });
      });
      await runPool(tasks, http.concurrency, opts.signal);
      return finishMatrix(NAME, durations, distances);
    },
  };
};
