/** One engine request: a block of rows (source indexes) × columns (destination indexes) of the full matrix. */
export interface MatrixBlock {
  readonly rows: readonly number[];
  readonly cols: readonly number[];
}

const range = (from: number, to: number): number[] => Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);

const chunks = (n: number, size: number): number[][] => {
  const out: number[][] = [];
  for (let start = 0; start < n; start += size) out.push(range(start, Math.min(n, start + size)));
  return out;
};

/**
 * Blocks for an engine that limits the **coordinates per request** (OSRM's `--max-table-size`,
 * 100 by default), where a block needs its rows' and columns' coordinates in the request.
 *
 * Square matrix (sources = destinations): the points are cut into chunks of ⌊max/2⌋ and each pair
 * of chunks is one request for the full table of their union, which gives both off-diagonal
 * blocks (a→b and b→a) and both diagonal ones: C(k, 2) requests for k chunks, not k².
 * Rectangular: sources and destinations are cut so that each request has ≤ max coordinates.
 */
export const planLocationBlocks = (nSources: number, nDestinations: number | undefined, maxLocations: number): MatrixBlock[] => {
  if (nDestinations === undefined) {
    if (nSources === 0) return [];
    if (nSources <= maxLocations) {
      const all = range(0, nSources);
      return [{ rows: all, cols: all }];
    }
    const parts = chunks(nSources, Math.floor(maxLocations / 2));
    const blocks: MatrixBlock[] = [];
    for (let a = 0; a < parts.length; a++) {
      for (let b = a + 1; b < parts.length; b++) {
        const union = [...(parts[a] ?? []), ...(parts[b] ?? [])];
        blocks.push({ rows: union, cols: union });
      }
    }
    return blocks;
  }
  if (nSources === 0 || nDestinations === 0) return [];
  const half = Math.floor(maxLocations / 2);
  let rows: number;
  let cols: number;
  if (nSources + nDestinations <= maxLocations) [rows, cols] = [nSources, nDestinations];
  else if (nSources <= half) [rows, cols] = [nSources, maxLocations - nSources];
  else if (nDestinations <= half) [rows, cols] = [maxLocations - nDestinations, nDestinations];
  else [rows, cols] = [half, maxLocations - half];
  const blocks: MatrixBlock[] = [];
  for (const r of chunks(nSources, rows)) for (const c of chunks(nDestinations, cols)) blocks.push({ rows: r, cols: c });
  return blocks;
};

/**
 * Blocks for an engine that limits **source × target pairs per request** (Valhalla's
 * `max_matrix_location_pairs`, 2,500 by default): as wide as possible, at most `maxPairs` cells.
 */
export const planPairBlocks = (nSources: number, nDestinations: number, maxPairs: number): MatrixBlock[] => {
  if (nSources === 0 || nDestinations === 0) return [];
  const side = Math.max(1, Math.floor(Math.sqrt(maxPairs)));
  let rows: number;
  let cols: number;
  if (nSources * nDestinations <= maxPairs) [rows, cols] = [nSources, nDestinations];
  else if (nDestinations <= side) [rows, cols] = [Math.max(1, Math.floor(maxPairs / nDestinations)), nDestinations];
  else if (nSources <= side) [rows, cols] = [nSources, Math.max(1, Math.floor(maxPairs / nSources))];
  else [rows, cols] = [side, Math.max(1, Math.floor(maxPairs / side))];
  const blocks: MatrixBlock[] = [];
  for (const r of chunks(nSources, rows)) for (const c of chunks(nDestinations, cols)) blocks.push({ rows: r, cols: c });
  return blocks;
};

/** An all-null matrix to fill block by block. */
export const emptyMatrix = (rows: number, cols: number): (number | null)[][] =>
  Array.from({ length: rows }, () => new Array<number | null>(cols).fill(null));

